#include "stats/histogram.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>

namespace leanscope::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Prometheus ignores relative differences below this between neighbouring
// buckets: floating-point noise from sums computed in another order.
constexpr double kSmallDeltaTolerance = 1e-12;

// A counter sample worth reading: counters are finite and never negative.
bool usable(double v) { return std::isfinite(v) && v >= 0; }

// Prometheus' util/almost.Equal for the finite, non-negative counts met here.
bool almost_equal(double a, double b, double epsilon) {
  if (a == b) return true;
  const double min_normal = std::numeric_limits<double>::min();
  const double abs_sum = std::abs(a) + std::abs(b);
  const double diff = std::abs(a - b);
  if (a == 0 || b == 0 || abs_sum < min_normal) return diff < epsilon * min_normal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < epsilon;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == y;
         });
}

// Adjacent buckets with the same bound summed into one, in order (the
// buckets are sorted by `le`).
void merge_equal_bounds(std::vector<Bucket>& buckets) {
  if (buckets.empty()) return;
  std::size_t kept = 0;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].le == buckets[kept].le) {
      buckets[kept].count += buckets[i].count;
    } else {
      buckets[++kept] = buckets[i];
    }
  }
  buckets.resize(kept + 1);
}

// Buckets sorted by le with equal bounds summed, then made monotonic as
// Prometheus' ensureMonotonicAndIgnoreSmallDeltas does. Returns the number of
// observations (the +Inf count), or nullopt when the histogram has no value:
// no +Inf bucket, fewer than two buckets, a count that is not finite, or no
// observations.
std::optional<double> prepare_sorted(std::vector<Bucket>& buckets) {
  if (buckets.empty() || buckets.back().le != kInf) return std::nullopt;
  for (const Bucket& b : buckets) {
    if (!std::isfinite(b.count)) return std::nullopt;
  }
  merge_equal_bounds(buckets);
  double prev = buckets[0].count;
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    const double curr = buckets[i].count;
    if (curr == prev) continue;
    // Noise in either direction, or a decrease: the count is raised (or
    // lowered) to the last kept one, which stays the reference.
    if (almost_equal(prev, curr, kSmallDeltaTolerance) || curr < prev) {
      buckets[i].count = prev;
      continue;
    }
    prev = curr;
  }
  if (buckets.size() < 2) return std::nullopt;
  const double total = buckets.back().count;
  if (!(total > 0)) return std::nullopt;
  return total;
}

// BucketQuantile's search and interpolation on prepared buckets, for q in [0, 1].
std::optional<double> quantile_prepared(double q, const std::vector<Bucket>& buckets, double total) {
  double rank = q * total;
  const std::size_t last = buckets.size() - 1;
  std::size_t b = 0;
  while (b < last && buckets[b].count < rank) ++b;  // counts are monotonic: sort.Search's answer
  if (b == last) return buckets[last - 1].le;
  if (b == 0 && buckets[0].le <= 0) return buckets[0].le;
  double start = 0;
  double count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].le;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  const double value = start + (buckets[b].le - start) * (rank / count);
  if (std::isnan(value)) return std::nullopt;  // 0/0: q = 0 and an empty first bucket
  return value;
}

// The quantile rows of a matrix of increases (`windows` rows of `bounds`
// columns) and the flags of which cells had a sample: a window's buckets are
// its present cells, in the order of `bounds`.
std::vector<WindowQuantiles> quantile_rows(const std::vector<double>& bounds, std::span<const double> increase,
                                           std::span<const unsigned char> present, std::size_t windows,
                                           std::span<const double> qs, const WindowGrid& grid) {
  std::vector<WindowQuantiles> out;
  if (bounds.empty() || bounds.back() != kInf) return out;
  const std::size_t width = bounds.size();
  std::vector<Bucket> buckets;
  buckets.reserve(width);
  for (std::size_t w = 0; w < windows; ++w) {
    buckets.clear();
    for (std::size_t b = 0; b < width; ++b) {
      if (present[w * width + b]) buckets.push_back({bounds[b], increase[w * width + b]});
    }
    auto total = prepare_sorted(buckets);
    if (!total) continue;
    WindowQuantiles row;
    row.end = grid.start + grid.window_ms + static_cast<TimeMs>(w) * grid.step_ms;
    row.observations = *total;
    row.values.reserve(qs.size());
    for (double q : qs) {
      if (std::isnan(q)) {
        row.values.emplace_back(q);
      } else if (q < 0) {
        row.values.emplace_back(-kInf);
      } else if (q > 1) {
        row.values.emplace_back(kInf);
      } else {
        row.values.push_back(quantile_prepared(q, buckets, *total));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

void sum_by_le(std::vector<Bucket>& buckets) {
  std::sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) { return a.le < b.le; });
  merge_equal_bounds(buckets);
}

std::optional<double> parse_le(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || body.front() == '+' || body.front() == '-') return std::nullopt;
  if (iequals(body, "inf") || iequals(body, "infinity")) return negative ? -kInf : kInf;
  double value = 0;
  const char* end = body.data() + body.size();
  auto [ptr, ec] = std::from_chars(body.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return negative ? -value : value;
}

// Not inlined: inside a caller's loop GCC keeps the running sum in memory.
[[gnu::noinline]] std::optional<double> counter_increase(std::span<const TimeMs> t, std::span<const double> v,
                                                         TimeMs from, TimeMs to) {
  const std::size_t n = std::min(t.size(), v.size());
  // Plain locals rather than an optional baseline: the running sum stays in a
  // register (a week of 1-minute samples per series, every series of a
  // devnet). The additions are the same, in the same order.
  bool have_prev = false;
  bool inside = false;
  double prev = 0;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = v[i];
    if (!usable(x)) continue;
    const TimeMs ti = t[i];
    if (ti <= from) {
      prev = x;
      have_prev = true;
      continue;
    }
    if (ti > to) break;
    if (have_prev) {
      const double rise = x - prev;
      sum += x >= prev ? rise : x;
    }
    inside = true;
    have_prev = true;
    prev = x;
  }
  if (!inside) return std::nullopt;
  return sum;
}

std::vector<Bucket> bucket_increase(std::span<const BucketSeries> series, TimeMs from, TimeMs to) {
  std::vector<Bucket> buckets;
  buckets.reserve(series.size());
  for (const BucketSeries& s : series) {
    if (std::isnan(s.le)) continue;
    if (auto increase = counter_increase(s.t, s.v, from, to)) buckets.push_back({s.le, *increase});
  }
  sum_by_le(buckets);
  return buckets;
}

std::optional<double> histogram_quantile(double q, std::span<const Bucket> cumulative) {
  if (cumulative.empty()) return std::nullopt;  // Prometheus outputs nothing
  if (std::isnan(q)) return q;
  if (q < 0) return -kInf;
  if (q > 1) return kInf;
  std::vector<Bucket> buckets;
  buckets.reserve(cumulative.size());
  for (const Bucket& b : cumulative) {
    if (!std::isnan(b.le)) buckets.push_back(b);
  }
  std::sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) { return a.le < b.le; });
  auto total = prepare_sorted(buckets);
  if (!total) return std::nullopt;
  return quantile_prepared(q, buckets, *total);
}

std::vector<BucketShare> bucket_shares(std::span<const Bucket> cumulative) {
  std::vector<Bucket> buckets;
  buckets.reserve(cumulative.size());
  for (const Bucket& b : cumulative) {
    if (!std::isnan(b.le)) buckets.push_back(b);
  }
  std::sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) { return a.le < b.le; });
  auto total = prepare_sorted(buckets);
  std::vector<BucketShare> shares;
  if (!total) return shares;
  shares.reserve(buckets.size());
  double lower = buckets[0].le > 0 ? 0 : -kInf;
  double below = 0;
  for (const Bucket& b : buckets) {
    shares.push_back({lower, b.le, (b.count - below) / *total});
    lower = b.le;
    below = b.count;
  }
  return shares;
}

std::vector<WindowQuantiles> windowed_quantiles(std::span<const BucketSeries> series, std::span<const double> qs,
                                                const WindowGrid& grid) {
  return grouped_histograms(series, {}, 0, qs, grid).merged;
}

namespace {
// Windows of the grid (WindowGrid): none without a positive window and step
// or when the range is shorter than one window.
std::size_t window_count(const WindowGrid& grid) {
  const bool gridded = grid.window_ms > 0 && grid.step_ms > 0 && grid.end - grid.start >= grid.window_ms;
  return gridded ? static_cast<std::size_t>((grid.end - grid.start - grid.window_ms) / grid.step_ms + 1) : 0;
}
}  // namespace

BucketWindows fold_bucket_series(const BucketSeries& s, const WindowGrid& grid) {
  BucketWindows out;
  out.le = s.le;
  if (std::isnan(s.le)) return out;  // dropped where the folds are combined
  const std::size_t windows = window_count(grid);
  const auto window_end = [&](std::size_t w) {
    return grid.start + grid.window_ms + static_cast<TimeMs>(w) * grid.step_ms;
  };
  // A window's increase is the sum of the rises (v[j] - v[j-1], or v[j] after
  // a drop) of the samples inside it, each measured from the sample before
  // it wherever that lies: the same as counter_increase's baseline. So each
  // sample adds its rise to the windows holding its time, found by two
  // cursors that advance with time: one pass, nothing copied.
  std::vector<double>& increase = out.increase;
  const std::size_t n = std::min(s.t.size(), s.v.size());
  bool seen = false;
  double prev = 0;
  std::size_t first = 0, past = 0;  // windows [first, past) hold the sample's time
  // The increase over (start, end] exactly as counter_increase sums it: from
  // the second usable sample on, up to the first one after the end.
  bool inside = false, ended = false;
  double range = 0;
  // Adjacent windows (a window every window_ms, the timing sections' grid):
  // a sample lies in one window at most, and samples in time order fill one
  // window after the other, so its sum is kept in a register until the next
  // window starts. Overlapping windows take the general walk below.
  const bool adjacent = windows > 0 && grid.window_ms == grid.step_ms;
  std::size_t open = SIZE_MAX;  // the window being summed
  TimeMs open_end = 0;
  double open_sum = 0;
  // Window w's cell: the first window touched starts the vector, and the
  // windows between two touched ones hold no sample (NaN).
  const auto cell = [&](std::size_t w) -> double& {
    if (increase.empty()) {
      out.first_window = w;
      increase.reserve(windows - w);
    }
    const std::size_t at = w - out.first_window;
    if (at >= increase.size()) increase.resize(at + 1, kNaN);
    return increase[at];
  };
  const auto close = [&] {
    if (open != SIZE_MAX) cell(open) = open_sum;
  };
  for (std::size_t k = 0; k < n; ++k) {
    const double v = s.v[k];
    if (!usable(v)) continue;
    const bool had_prev = seen;
    const double rise = !seen ? 0.0 : (v >= prev ? v - prev : v);
    seen = true;
    prev = v;
    const TimeMs t = s.t[k];
    if (!ended) {
      if (t > grid.end) {
        ended = true;
      } else if (t > grid.start) {
        if (had_prev) range += rise;
        inside = true;
      }
    }
    if (adjacent) {
      if (t <= grid.start) continue;
      if (open == SIZE_MAX || t > open_end) {
        const auto w = static_cast<std::size_t>((t - grid.start - 1) / grid.step_ms);
        if (w >= windows) {
          if (ended) break;
          continue;
        }
        close();
        open = w;
        open_end = window_end(w);
        open_sum = 0.0;
      }
      open_sum += rise;
    } else if (first < windows) {
      while (first < windows && window_end(first) < t) ++first;
      while (past < windows && window_end(past) - grid.window_ms < t) ++past;
      for (std::size_t w = first; w < past; ++w) {
        double& sum = cell(w);
        sum = (std::isnan(sum) ? 0.0 : sum) + rise;  // 0.0 + rise first, as a sum starting at 0 makes it
      }
    } else if (ended) {
      break;
    }
  }
  close();
  // A series that stopped early keeps no room for the windows after it.
  if (increase.capacity() > increase.size() + increase.size() / 4) increase.shrink_to_fit();
  if (inside) out.range_increase = range;
  return out;
}

GroupedHistograms grouped_histograms(std::span<const BucketWindows* const> series,
                                     std::span<const std::size_t> group_of, std::size_t groups,
                                     std::span<const double> qs, const WindowGrid& grid) {
  GroupedHistograms out;
  out.groups.resize(groups);
  out.increases.resize(groups);
  const std::size_t windows = window_count(grid);

  // Every distinct bound, sorted: a window's buckets are a row of this.
  std::vector<double> bounds;
  for (const BucketWindows* s : series) {
    if (!std::isnan(s->le)) bounds.push_back(s->le);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  const std::size_t width = bounds.size();

  // Increase per window and bound, and whether any series of that bound had a
  // sample in the window (a bound absent from a window is absent from its
  // buckets, as a vanished series is absent from Prometheus' sum). Matrix 0
  // is every series', matrix g + 1 group g's.
  const std::size_t cells = windows * width;
  std::vector<double> increase((groups + 1) * cells, 0.0);
  std::vector<unsigned char> present((groups + 1) * cells, 0);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const BucketWindows& s = *series[i];
    if (std::isnan(s.le)) continue;
    const std::size_t g = i < group_of.size() && group_of[i] < groups ? group_of[i] : groups;
    const bool grouped = g < groups;
    const std::size_t column =
        static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), s.le) - bounds.begin());
    const std::size_t group_at = (g + 1) * cells + column;
    for (std::size_t j = 0; j < s.increase.size() && s.first_window + j < windows; ++j) {
      const double x = s.increase[j];
      if (std::isnan(x)) continue;
      const std::size_t w = s.first_window + j;
      increase[w * width + column] += x;
      present[w * width + column] = 1;
      if (grouped) {
        increase[group_at + w * width] += x;
        present[group_at + w * width] = 1;
      }
    }
    if (grouped && s.range_increase) out.increases[g].push_back({s.le, *s.range_increase});
  }

  const std::span<const double> all_increase(increase);
  const std::span<const unsigned char> all_present(present);
  out.merged = quantile_rows(bounds, all_increase.first(cells), all_present.first(cells), windows, qs, grid);
  for (std::size_t g = 0; g < groups; ++g) {
    out.groups[g] = quantile_rows(bounds, all_increase.subspan((g + 1) * cells, cells),
                                  all_present.subspan((g + 1) * cells, cells), windows, qs, grid);
    sum_by_le(out.increases[g]);
  }
  return out;
}

GroupedHistograms grouped_histograms(std::span<const BucketSeries> series, std::span<const std::size_t> group_of,
                                     std::size_t groups, std::span<const double> qs, const WindowGrid& grid) {
  std::vector<BucketWindows> folded;
  folded.reserve(series.size());
  for (const BucketSeries& s : series) folded.push_back(fold_bucket_series(s, grid));
  std::vector<const BucketWindows*> pointers;
  pointers.reserve(folded.size());
  for (const BucketWindows& f : folded) pointers.push_back(&f);
  return grouped_histograms(std::span<const BucketWindows* const>(pointers), group_of, groups, qs, grid);
}

}  // namespace leanscope::stats
