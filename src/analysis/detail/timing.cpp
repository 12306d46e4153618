#include "analysis/detail/timing.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <iterator>
#include <limits>
#include <set>
#include <string_view>

#include "analysis/detail/series_ops.h"
#include "common/units.h"
#include "stats/histogram.h"

namespace leanscope::analysis::detail {

namespace {

constexpr TimeMs kWindowMs = DevnetData::kBucketWindowMs;
constexpr double kQs[] = {0.5, 0.95, 0.99};
constexpr const char* kQLabels[] = {"p50", "p95", "p99"};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::string_view kNetworkPanel = "All clients";

void set_quantile(Quantiles& q, std::size_t i, std::optional<double> v) {
  (i == 0 ? q.p50 : i == 1 ? q.p95 : q.p99) = v;
}

// One line per quantile from windows at `step_ms`; a missing window (no
// observations) breaks the line instead of joining its neighbours.
std::vector<Line> window_lines(const std::vector<stats::WindowQuantiles>& windows) {
  std::vector<Line> lines;
  if (windows.empty()) return lines;
  for (std::size_t q = 0; q < std::size(kQs); ++q) {
    Line line{kQLabels[q], {}};
    line.series.t.reserve(windows.size());  // and a break per gap, rare
    line.series.v.reserve(windows.size());
    for (std::size_t w = 0; w < windows.size(); ++w) {
      if (w > 0 && windows[w].end - windows[w - 1].end > kWindowMs) {
        line.series.t.push_back(windows[w - 1].end + kWindowMs);
        line.series.v.push_back(kNaN);
      }
      line.series.t.push_back(windows[w].end);
      line.series.v.push_back(windows[w].values[q].value_or(kNaN));
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// The devnet's quantiles from every bucket's increase over the window.
Quantiles quantiles_of(const std::vector<stats::Bucket>& buckets, std::vector<stats::BucketShare>* shares) {
  Quantiles out;
  for (std::size_t q = 0; q < std::size(kQs); ++q) set_quantile(out, q, stats::histogram_quantile(kQs[q], buckets));
  if (out.has_data() && !buckets.empty() && buckets.back().le == kInf) out.observations = buckets.back().count;
  if (shares != nullptr) *shares = stats::bucket_shares(buckets);
  return out;
}

std::string bucket_label(double le, double highest_finite) {
  if (le == kInf) return "> " + format_seconds(highest_finite);
  return "≤ " + format_seconds(le);
}

Section base_section(const TimingSpec& spec, const std::string& suffix, std::string title, std::string text) {
  Section s;
  s.id = std::string(spec.id) + suffix;
  s.title = std::move(title);
  s.text = std::move(text);
  s.unit = Unit::Seconds;
  s.ylabel = "Time";
  return s;
}

Table quantile_table(const std::vector<std::string>& clients, const Timing& t) {
  Table table;
  table.css_class = "timing";
  table.columns.push_back({"Client", false});
  if (!t.from_quantile_series) table.columns.push_back({"Observations"});
  for (const char* q : kQLabels) table.columns.push_back({q});
  const auto row = [&](const std::string& name, const Quantiles& q) {
    std::vector<std::string> r{name};
    if (!t.from_quantile_series) r.push_back(q.observations ? format_count(*q.observations) : "–");
    for (const auto* v : {&q.p50, &q.p95, &q.p99}) r.push_back(format_ms(*v));
    table.rows.push_back(std::move(r));
  };
  for (const auto& c : clients) row(c, t.clients.at(c));
  if (t.network.has_data()) row(std::string(kNetworkPanel), t.network);
  return table;
}

// The sections from histogram buckets.
void from_buckets(const DevnetData& data, const TimingSpec& spec, Timing& out, Section& windows, Section& bars,
                  Section& network) {
  const std::size_t metric_col = DevnetData::label(spec.histograms, "metric");
  const std::size_t le_col = DevnetData::label(spec.histograms, "le");
  // Every series once, each with its client's group: one pass gives the
  // clients' windows, the network's and the devnet figures. Series come
  // folded onto the grid as they were read (DevnetData::folded).
  std::vector<const stats::BucketWindows*> all;
  std::deque<stats::BucketWindows> made;  // folded here (chained segments): a deque keeps `all` valid
  std::vector<std::size_t> group_of;
  std::map<std::string_view, std::size_t> group_of_client;
  const auto grid = data.bucket_grid();
  // A renamed job (`ream` -> `ream_0`) changes the instance: the segments of
  // one client's bucket are chained, as counters are, so it keeps counting
  // across the rename (DevnetData folds none of them: they are chained here
  // from their samples, then folded). Only a bucket with several series is
  // copied.
  const auto& series = data.series(spec.histograms);
  const auto& folded = data.folded(spec.histograms);
  std::map<std::pair<std::string_view, std::string_view>, std::vector<std::size_t>> by_bucket;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    if (s.labels.at(metric_col) == spec.tag) by_bucket[{s.client, s.labels.at(le_col)}].push_back(i);
  }
  const auto add = [&](const archive::KeyedSeries& s, const stats::BucketWindows* windows) {
    const auto le = stats::parse_le(s.labels.at(le_col));
    if (!le) return;  // as Prometheus drops a bucket whose bound does not parse
    if (windows == nullptr) {
      made.push_back(stats::fold_bucket_series({*le, s.series.t, s.series.v}, grid));
      windows = &made.back();
    }
    all.push_back(windows);
    group_of.push_back(group_of_client.try_emplace(s.client, group_of_client.size()).first->second);
  };
  for (const auto& [key, list] : by_bucket) {
    if (list.size() != 1) continue;
    const std::size_t i = list.front();
    add(series[i], i < folded.size() && folded[i] ? &*folded[i] : nullptr);
  }
  // Kept until the end: group_of_client's keys view their clients.
  std::vector<archive::KeyedSeries> chained;
  for (const auto& [key, list] : by_bucket) {
    if (list.size() < 2) continue;
    std::vector<archive::KeyedSeries> copies;
    for (const std::size_t i : list) copies.push_back(series[i]);
    chain_segments(copies, DevnetData::label(spec.histograms, "instance"));
    std::move(copies.begin(), copies.end(), std::back_inserter(chained));
  }
  for (const auto& s : chained) add(s, nullptr);

  // The clients and the network share this grid, and its range is the devnet's.
  const auto pass = stats::grouped_histograms(std::span<const stats::BucketWindows* const>(all), group_of,
                                              group_of_client.size(), kQs, grid);
  std::map<std::string, std::vector<stats::BucketShare>> shares;
  std::vector<stats::Bucket> merged;  // every client's devnet buckets
  for (const auto& c : data.clients()) {
    Panel panel{c, {}, {}, {}};
    const auto it = group_of_client.find(c);
    if (it != group_of_client.end()) {
      panel.lines = window_lines(pass.groups[it->second]);
      const auto& buckets = pass.increases[it->second];
      out.clients[c] = quantiles_of(buckets, &shares[c]);
      merged.insert(merged.end(), buckets.begin(), buckets.end());
    }
    windows.panels.push_back(std::move(panel));
  }
  stats::sum_by_le(merged);
  out.network = quantiles_of(merged, nullptr);
  network.panels.push_back({std::string(kNetworkPanel), window_lines(pass.merged), {}, {}});

  // Categories: every bound any client has, in order; a client without that
  // bound has no bar there.
  std::set<double> bounds;
  for (const auto& [c, list] : shares) {
    for (const auto& b : list) bounds.insert(b.le);
  }
  BarChart chart;
  double highest_finite = 0;
  for (double le : bounds) {
    if (le != kInf) highest_finite = le;
  }
  for (double le : bounds) chart.categories.push_back(bucket_label(le, highest_finite));
  for (const auto& c : data.clients()) {
    const auto it = shares.find(c);
    if (it == shares.end() || it->second.empty()) continue;
    BarChart::Group g{c, {}};
    for (double le : bounds) {
      const auto b = std::find_if(it->second.begin(), it->second.end(), [&](const auto& x) { return x.le == le; });
      g.values.push_back(b == it->second.end() ? kNaN : b->share * 100);
    }
    chart.groups.push_back(std::move(g));
  }
  if (chart.groups.empty()) chart.categories.clear();
  bars.bars = std::move(chart);
}

// "0.95", "0.950", "p95", "95" -> 0.95; nullopt otherwise.
std::optional<double> parse_quantile(std::string_view text) {
  if (!text.empty() && (text.front() == 'p' || text.front() == 'P')) text.remove_prefix(1);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v > 1 ? v / 100 : v;
}

// Mean per timestamp of several series, and the mean of that line.
struct MeanLine {
  std::map<TimeMs, std::pair<double, int>> points;
  void add(const archive::Samples& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!std::isfinite(s.v[i])) continue;
      auto& p = points[s.t[i]];
      p.first += s.v[i];
      ++p.second;
    }
  }
  [[nodiscard]] TimeSeries series() const {
    TimeSeries out;
    for (const auto& [t, p] : points) {
      out.t.push_back(t);
      out.v.push_back(p.first / p.second);
    }
    return out;
  }
  [[nodiscard]] std::optional<double> mean() const {
    if (points.empty()) return std::nullopt;
    double sum = 0;
    for (const auto& [t, p] : points) sum += p.first / p.second;
    return sum / static_cast<double>(points.size());
  }
};

// The sections from the Python observatory's quantile series.
void from_quantile_series(const DevnetData& data, const TimingSpec& spec, Timing& out, Section& windows,
                          Section& network) {
  out.from_quantile_series = true;
  const std::size_t metric_col = DevnetData::label(spec.timing, "metric");
  const std::size_t q_col = DevnetData::label(spec.timing, "quantile");
  std::map<std::string, std::array<MeanLine, 3>> by_client;
  std::array<MeanLine, 3> all;
  for (const auto& s : data.series(spec.timing)) {
    if (s.labels.at(metric_col) != spec.tag) continue;
    const auto q = parse_quantile(s.labels.at(q_col));
    if (!q) continue;
    for (std::size_t i = 0; i < std::size(kQs); ++i) {
      if (std::abs(*q - kQs[i]) > 1e-9) continue;
      by_client[s.client][i].add(s.series);
      all[i].add(s.series);
    }
  }
  const auto lines_of = [](const std::array<MeanLine, 3>& m) {
    std::vector<Line> lines;
    for (std::size_t i = 0; i < std::size(kQs); ++i) {
      if (!m[i].points.empty()) lines.push_back({kQLabels[i], m[i].series()});
    }
    return lines;
  };
  for (const auto& c : data.clients()) {
    Panel panel{c, {}, {}, {}};
    const auto it = by_client.find(c);
    if (it != by_client.end()) {
      panel.lines = lines_of(it->second);
      for (std::size_t i = 0; i < std::size(kQs); ++i) set_quantile(out.clients[c], i, it->second[i].mean());
    }
    windows.panels.push_back(std::move(panel));
  }
  for (std::size_t i = 0; i < std::size(kQs); ++i) set_quantile(out.network, i, all[i].mean());
  network.panels.push_back({std::string(kNetworkPanel), lines_of(all), {}, {}});
}

}  // namespace

Timing timing_sections(const DevnetData& data, const TimingSpec& spec) {
  Timing out;
  for (const auto& c : data.clients()) out.clients[c] = {};
  Section windows = base_section(
      spec, "", std::string(spec.title),
      fmt::format("{} p50, p95 and p99 per 5-minute window, from the increase of each histogram bucket in the "
                  "window (Prometheus' histogram_quantile).",
                  spec.text));
  // A slow client is drawn where its verification time is, not on every chart.
  if (std::string_view(spec.id).find("verification") != std::string_view::npos)
    windows.finding_kinds = {"slow_verification"};
  Section bars = base_section(
      spec, "-distribution", fmt::format("{}: distribution", spec.title),
      "Share of observations per histogram bucket over the whole devnet (the increase of each bucket), one bar per "
      "client, so clients compare at a glance.");
  bars.chart = ChartKind::Bars;
  bars.unit = Unit::Percent;
  bars.ylabel = "Share of observations";
  bars.per_client = false;
  Section network = base_section(
      spec, "-network", fmt::format("{}: network-wide", spec.title),
      "p50, p95 and p99 per 5-minute window with every client's buckets merged. The table gives the quantiles of "
      "the whole devnet's distribution (the increase of each bucket over the devnet) per client and for all "
      "clients together.");
  network.per_client = false;

  // The quantile series only where the archive has no bucket file at all.
  const bool quantile_series = !spec.timing.empty() && !data.series(spec.timing).empty();
  const bool fallback = !data.present(spec.histograms) && quantile_series;
  if (fallback) {
    from_quantile_series(data, spec, out, windows, network);
    windows.text = fmt::format("{} p50, p95 and p99 per 5-minute window as the archive holds them.", spec.text);
    bars.bars = BarChart{};
    bars.text = "The distribution needs histogram buckets, which this archive does not have.";
    network.text =
        "Mean of every client's p50, p95 and p99 series. The table gives the mean of each quantile series per "
        "client and for all clients together.";
  } else {
    from_buckets(data, spec, out, windows, bars, network);
  }
  network.tables.push_back(quantile_table(data.clients(), out));
  out.sections.push_back(std::move(windows));
  out.sections.push_back(std::move(bars));
  out.sections.push_back(std::move(network));
  return out;
}

void add_quantiles(Figures& figures, const std::vector<std::string>& path, const Quantiles& q) {
  for (std::size_t i = 0; i < std::size(kQs); ++i) {
    auto p = path;
    p.emplace_back(kQLabels[i]);
    figures.add(std::move(p), i == 0 ? q.p50 : i == 1 ? q.p95 : q.p99);
  }
}

std::string format_ms(const std::optional<double>& seconds) {
  return seconds ? format_seconds(*seconds) : std::string("–");
}

std::string format_quantiles_ms(const Quantiles& q) {
  return format_ms(q.p50) + " / " + format_ms(q.p95) + " / " + format_ms(q.p99);
}

Section p95_comparison(std::string_view id, std::string_view title, std::string_view text,
                       const std::vector<std::string>& clients,
                       const std::vector<std::pair<std::string, const Timing*>>& metrics) {
  Section s;
  s.id = id;
  s.title = title;
  s.text = text;
  s.chart = ChartKind::Bars;
  s.unit = Unit::Seconds;
  s.ylabel = "Devnet p95";
  s.per_client = false;
  BarChart chart;
  for (const auto& [label, t] : metrics) chart.categories.push_back(label);
  for (const auto& c : clients) {
    BarChart::Group g{c, {}};
    bool any = false;
    for (const auto& [label, t] : metrics) {
      const auto it = t->clients.find(c);
      const std::optional<double> p95 = it == t->clients.end() ? std::nullopt : it->second.p95;
      any = any || p95.has_value();
      g.values.push_back(p95.value_or(kNaN));
    }
    if (any) chart.groups.push_back(std::move(g));
  }
  if (chart.groups.empty()) chart.categories.clear();
  s.bars = std::move(chart);
  return s;
}

}  // namespace leanscope::analysis::detail
