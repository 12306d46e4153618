#include "report/detail/chart_data.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <new>
#include <string_view>

#include "common/strings.h"
#include "report/detail/html.h"

namespace leanscope::report::detail {

namespace {

// Merges sorted `b` into sorted `a`, keeping for each time the larger of its
// two multiplicities (a break and a sample may share a timestamp). Stops and
// returns false when the result would exceed `limit`.
bool merge_times(std::vector<TimeMs>& a, const std::vector<TimeMs>& b, std::size_t limit,
                 std::vector<TimeMs>& scratch) {
  scratch.clear();
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (scratch.size() > limit) return false;
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      scratch.push_back(a[i++]);
    } else if (i == a.size() || b[j] < a[i]) {
      scratch.push_back(b[j++]);
    } else {
      const TimeMs t = a[i];
      std::size_t ra = 0, rb = 0;
      while (i < a.size() && a[i] == t) ++i, ++ra;
      while (j < b.size() && b[j] == t) ++j, ++rb;
      scratch.insert(scratch.end(), std::max(ra, rb), t);
    }
  }
  if (scratch.size() > limit) return false;
  a.swap(scratch);
  return true;
}

// A line on the union axis: each sample takes the first free slot of its time.
void align_exact(const analysis::TimeSeries& s, const std::vector<TimeMs>& x, std::vector<double>& out) {
  out.assign(x.size(), kMissing);
  std::size_t j = 0;
  for (std::size_t i = 0; i < x.size() && j < s.size(); ++i) {
    if (s.t[j] == x[i]) out[i] = s.v[j++];
  }
}

// Per-bucket state of one line while downsampling.
struct Bucket {
  std::size_t count = 0;
  double min = 0, max = 0;
  std::size_t min_at = 0, max_at = 0;
  bool has_break = false;
  bool value_after_break = false;
  double last_before_break = 0, last_after_break = 0;
  bool any_before_break = false;

  void add(double v, std::size_t order) {
    if (std::isnan(v)) {
      has_break = true;
      value_after_break = false;
      return;
    }
    if (has_break) {
      last_after_break = v;
      value_after_break = true;
    } else {
      last_before_break = v;
      any_before_break = true;
    }
    if (count == 0 || v < min) min = v, min_at = order;
    if (count == 0 || v > max) max = v, max_at = order;
    ++count;
  }
  // Two points, in time order.
  void emit(double& first, double& second) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (has_break) {
      if (value_after_break) {
        first = nan, second = last_after_break;
      } else {
        first = any_before_break ? last_before_break : kMissing, second = nan;
      }
    } else if (count == 0) {
      first = second = kMissing;
    } else if (min_at <= max_at) {
      first = min, second = max;
    } else {
      first = max, second = min;
    }
  }
};

void align_buckets(const analysis::TimeSeries& s, TimeMs lo, double width, std::size_t buckets,
                   std::vector<double>& out) {
  out.assign(2 * buckets, kMissing);
  Bucket bucket;
  std::size_t current = 0;
  bool open = false;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const double pos = static_cast<double>(s.t[k] - lo) / width;
    const std::size_t b = std::min(buckets - 1, static_cast<std::size_t>(std::max(0.0, pos)));
    if (open && b != current) {
      bucket.emit(out[2 * current], out[2 * current + 1]);
      bucket = Bucket{};
    }
    current = b;
    open = true;
    bucket.add(s.v[k], k);
  }
  if (open) bucket.emit(out[2 * current], out[2 * current + 1]);
}

bool sorted_by_time(const analysis::TimeSeries& s) { return std::is_sorted(s.t.begin(), s.t.end()); }

// ,"s":[last,min,max,mean] of the line's finite samples (every sample, not
// the drawn buckets), for the legend before any hovering.
void append_line_stats(std::string& out, const analysis::TimeSeries& s) {
  double last = 0, mn = 0, mx = 0, sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.v.size(); ++i) {
    const double v = s.v[i];
    if (!std::isfinite(v)) continue;
    last = v;
    mn = n == 0 ? v : std::min(mn, v);
    mx = n == 0 ? v : std::max(mx, v);
    sum += v;
    ++n;
  }
  if (n == 0) return;
  out.append(",\"s\":[");
  append_compact_number(out, last);
  out.push_back(',');
  append_compact_number(out, mn);
  out.push_back(',');
  append_compact_number(out, mx);
  out.push_back(',');
  append_compact_number(out, sum / static_cast<double>(n));
  out.push_back(']');
}

// The power of ten a line's values are sent multiplied by: a line of
// fractions (seconds such as 0.005192, shares) is written with its largest
// value in [100, 1000), so "51.92" instead of "0.005192"; the same four
// significant digits in fewer bytes. Lines reaching 1 or more are sent as
// they are, so that integers (slots, counts) stay exact.
int scale_of(double largest) {
  if (!(largest > 0) || largest >= 1 || !std::isfinite(largest)) return 0;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(largest))), 0, 300);
}

double largest_magnitude(std::span<const double> values) {
  double out = 0;
  for (const double v : values) {
    if (std::isfinite(v)) out = std::max(out, std::fabs(v));
  }
  return out;
}

void append_value(std::string& out, double v, double factor) {
  if (is_missing(v)) {
    out.append("false");
  } else if (std::isinf(v)) {
    out.append(v > 0 ? "\"inf\"" : "\"-inf\"");
  } else {
    append_compact_number(out, v * factor);
  }
}

}  // namespace

double value_bytes_estimate(const analysis::TimeSeries& s) {
  constexpr std::size_t kSamples = 48;
  const std::size_t n = s.v.size();
  if (n == 0) return 6;  // "false,"
  const std::size_t step = std::max<std::size_t>(1, n / kSamples);
  double largest = 0;
  for (std::size_t i = 0; i < n; i += step) {
    if (std::isfinite(s.v[i])) largest = std::max(largest, std::fabs(s.v[i]));
  }
  const double factor = std::pow(10.0, scale_of(largest));
  std::string scratch;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; i += step, ++count) {
    append_value(scratch, s.v[i], factor);
    scratch.push_back(',');
  }
  return static_cast<double>(scratch.size()) / static_cast<double>(count);
}

bool panel_has_data(const analysis::Panel& panel) {
  return std::any_of(panel.lines.begin(), panel.lines.end(), [](const analysis::Line& l) {
    return std::any_of(l.series.v.begin(), l.series.v.end(), [](double v) { return !std::isnan(v); });
  });
}

SectionGrid build_section_grid(std::span<const analysis::Panel> panels, std::size_t buckets) {
  buckets = std::max<std::size_t>(buckets, 1);
  SectionGrid grid;
  grid.values.resize(panels.size());

  // Sort defensively: the analysis hands sorted series, but a copy costs
  // nothing when they are.
  std::vector<std::vector<analysis::TimeSeries>> sorted_copies(panels.size());
  auto series_of = [&](std::size_t p, std::size_t l) -> const analysis::TimeSeries& {
    if (!sorted_copies[p].empty() && !sorted_copies[p][l].empty()) return sorted_copies[p][l];
    return panels[p].lines[l].series;
  };
  TimeMs lo = 0, hi = 0;
  bool any = false;
  std::size_t longest = 0;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    for (std::size_t l = 0; l < panels[p].lines.size(); ++l) {
      const auto& s = panels[p].lines[l].series;
      if (s.t.size() != s.v.size()) continue;  // malformed: ignored below as well
      if (!sorted_by_time(s)) {
        sorted_copies[p].resize(panels[p].lines.size());
        std::vector<std::size_t> order(s.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.t[a] < s.t[b]; });
        auto& copy = sorted_copies[p][l];
        for (std::size_t i : order) copy.t.push_back(s.t[i]), copy.v.push_back(s.v[i]);
      }
      if (s.empty()) continue;
      const auto& sorted = series_of(p, l);  // its first and last times are its extremes
      lo = any ? std::min(lo, sorted.t.front()) : sorted.t.front();
      hi = any ? std::max(hi, sorted.t.back()) : sorted.t.back();
      any = true;
      longest = std::max(longest, s.size());
    }
  }
  if (!any) {
    for (std::size_t p = 0; p < panels.size(); ++p) grid.values[p].assign(panels[p].lines.size(), {});
    return grid;
  }

  const std::size_t limit = 2 * buckets;
  bool exact = longest <= limit;
  if (exact) {
    std::vector<TimeMs> scratch;
    for (std::size_t p = 0; p < panels.size() && exact; ++p) {
      for (std::size_t l = 0; l < panels[p].lines.size() && exact; ++l) {
        const auto& s = series_of(p, l);
        if (s.t.size() != s.v.size()) continue;
        exact = merge_times(grid.x, s.t, limit, scratch);
      }
    }
  }

  const double width = std::max(1.0, static_cast<double>(hi - lo) / static_cast<double>(buckets));
  if (!exact) {
    grid.downsampled = true;
    grid.x.resize(2 * buckets);
    for (std::size_t b = 0; b < buckets; ++b) {
      const double start = static_cast<double>(lo) + static_cast<double>(b) * width;
      grid.x[2 * b] = static_cast<TimeMs>(std::llround(start + 0.25 * width));
      grid.x[2 * b + 1] = static_cast<TimeMs>(std::llround(start + 0.75 * width));
    }
  }
  for (std::size_t p = 0; p < panels.size(); ++p) {
    grid.values[p].resize(panels[p].lines.size());
    for (std::size_t l = 0; l < panels[p].lines.size(); ++l) {
      const auto& s = series_of(p, l);
      auto& out = grid.values[p][l];
      if (s.t.size() != s.v.size()) {
        out.assign(grid.x.size(), kMissing);
      } else if (exact) {
        align_exact(s, grid.x, out);
      } else {
        align_buckets(s, lo, width, buckets, out);
      }
    }
  }
  return grid;
}

int color_slot(std::string_view label, std::size_t line_index) {
  struct Known {
    std::string_view label;
    int slot;
  };
  static constexpr Known kKnown[] = {
      {"valid (gossip)", 0},
      {"valid (block)", 1},
      {"valid (unknown)", 2},
      {"invalid (gossip)", 3},
      {"invalid (block)", 4},
      {"invalid (unknown)", 5},
      {"connection", 1},
      {"disconnection", 3},
      {"rx", 0},
      {"tx", 3},
  };
  for (const auto& k : kKnown) {
    if (k.label == label) return k.slot;
  }
  static constexpr int kFallback[] = {0, 1, 6, 4, 2, 7, 3, 5};
  return kFallback[line_index % 8];
}

void append_section_json(std::string& out, std::span<const analysis::Panel> panels, const SectionGrid& grid) {
  auto it = std::back_inserter(out);
  out.append("{\"x\":[");
  for (std::size_t i = 0; i < grid.x.size(); ++i) {
    if (i == 0) {
      fmt::format_to(it, "{}", static_cast<double>(grid.x[0]) / 1000.0);
    } else {
      fmt::format_to(it, ",{}", static_cast<double>(grid.x[i] - grid.x[i - 1]) / 1000.0);
    }
  }
  out.append("],\"panels\":[");
  bool first_panel = true;
  for (std::size_t p = 0; p < panels.size(); ++p) {
    if (!panel_has_data(panels[p])) continue;
    if (!first_panel) out.push_back(',');
    first_panel = false;
    fmt::format_to(it, "{{\"p\":{},\"lines\":[", p);
    for (std::size_t l = 0; l < panels[p].lines.size(); ++l) {
      if (l > 0) out.push_back(',');
      out.append("{\"l\":");
      append_script_json_string(out, panels[p].lines[l].label);
      const auto& line = panels[p].lines[l];
      fmt::format_to(it, ",\"c\":{}", color_slot(line.label, l));
      if (line.second_axis) out.append(",\"a\":1");
      append_line_stats(out, line.series);
      const auto& values = grid.values[p][l];
      const int scale = scale_of(largest_magnitude(values));
      if (scale != 0) fmt::format_to(it, ",\"k\":{}", scale);
      const double factor = std::pow(10.0, scale);
      out.append(",\"v\":[");
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_value(out, values[i], factor);
      }
      out.append("]}");
    }
    out.append("]}");
  }
  out.append("]}");
}

ChartBytes append_chart_data_block(std::string& out, std::span<const analysis::Panel> panels, const SectionGrid& grid) {
  // Level 4: the pages of a day of 16 clients 11 % smaller than at level 1
  // in 1.7 times its time, where level 6 is 16 % smaller in 5.5 times
  // (docs/PERFORMANCE.md, "Chart data deflated").
  constexpr int kDeflateLevel = 4;
  std::string json;
  append_section_json(json, panels, grid);
  uLongf size = compressBound(static_cast<uLong>(json.size()));
  std::string deflated(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(deflated.data()), &size, reinterpret_cast<const Bytef*>(json.data()),
                static_cast<uLong>(json.size()), kDeflateLevel) != Z_OK) {
    // Only a lack of memory can fail with a large enough buffer.
    throw std::bad_alloc();
  }
  deflated.resize(size);
  out.append("<script type=\"application/octet-stream\" class=\"chart-data\" data-encoding=\"deflate-base64\">");
  const std::size_t start = out.size();
  append_base64(out, deflated);
  const std::size_t written = out.size() - start;
  out.append("</script>\n");
  return {json.size(), written, grid.downsampled ? json.size() : 0};
}

}  // namespace leanscope::report::detail
