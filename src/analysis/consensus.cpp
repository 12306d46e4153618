// analyse_consensus: slots per client (head, current, justified, finalized),
// the distances between them joined on timestamp, reorgs from reset-aware
// counter increases, sync status, the network's finality and the findings.
#include "analysis/consensus.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "analysis/detail/series_ops.h"
#include "analysis/registry.h"
#include "common/units.h"
#include "stats/histogram.h"

namespace leanscope::analysis {

namespace {

using detail::KeyedSeries;
using detail::RawSeries;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimeMs kHourMs = 3'600'000;
// Samples further apart than this are not consecutive 1 m samples (a gap).
constexpr TimeMs kConsecutiveMs = 90'000;

const std::string& label(const KeyedSeries& ks, std::size_t i) {
  static const std::string kEmpty;
  return i < ks.labels.size() ? ks.labels[i] : kEmpty;
}

// The highest value of several series at each time any of them has a sample.
// Slot numbers are not summed: two instances of one client (or every client,
// for the network) report positions on one chain, and the furthest counts.
template <class Series>
TimeSeries highest(const std::vector<const Series*>& list) {
  // Series scraped together share their times exactly: one pass, no map.
  if (!list.empty() && std::all_of(list.begin(), list.end(), [&](const Series* s) { return s->t == list[0]->t; })) {
    TimeSeries out{list[0]->t, list[0]->v};
    for (const auto* s : list) {
      for (std::size_t i = 0; i < s->size(); ++i) out.v[i] = std::max(out.v[i], s->v[i]);
    }
    return out;
  }
  std::map<TimeMs, double> at;
  for (const auto* s : list) {
    for (std::size_t i = 0; i < s->size(); ++i) {
      auto [it, fresh] = at.try_emplace(s->t[i], s->v[i]);
      if (!fresh) it->second = std::max(it->second, s->v[i]);
    }
  }
  TimeSeries out;
  out.t.reserve(at.size());
  out.v.reserve(at.size());
  for (const auto& [t, v] : at) {
    out.t.push_back(t);
    out.v.push_back(v);
  }
  return out;
}

TimeSeries highest(const std::vector<TimeSeries>& list) {
  std::vector<const TimeSeries*> ptrs;
  ptrs.reserve(list.size());
  for (const auto& s : list) ptrs.push_back(&s);
  return highest(ptrs);
}

// a − b at every time both have a sample.
TimeSeries difference(const TimeSeries& a, const TimeSeries& b) {
  TimeSeries out;
  out.t.reserve(std::min(a.size(), b.size()));  // series of one scrape share their times
  out.v.reserve(std::min(a.size(), b.size()));
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a.t[i] < b.t[j]) {
      ++i;
    } else if (b.t[j] < a.t[i]) {
      ++j;
    } else {
      out.t.push_back(a.t[i]);
      out.v.push_back(a.v[i] - b.v[j]);
      ++i;
      ++j;
    }
  }
  return out;
}

// The lines of a panel, moved in (an initializer list would copy each
// week-long series twice).
template <class... Lines>
std::vector<Line> lines_of(Lines&&... lines) {
  std::vector<Line> out;
  out.reserve(sizeof...(lines));
  (out.push_back(std::forward<Lines>(lines)), ...);
  return out;
}

Panel panel_of(const std::string& client, std::vector<Line> lines) {
  std::erase_if(lines, [](const Line& l) { return l.series.empty(); });
  return Panel{client, std::move(lines), {}, {}};
}

struct ClientSlots {
  TimeSeries head, current, justified, finalized;
  bool old_names = false;
};

// Series of one client, grouped by the dataset's `metric` column.
using ByMetric = std::map<std::string, std::vector<const RawSeries*>, std::less<>>;

std::map<std::string, ByMetric> by_client_metric(const std::vector<KeyedSeries>& list, std::size_t metric) {
  std::map<std::string, ByMetric> out;
  for (const auto& ks : list) out[ks.client][label(ks, metric)].push_back(&ks.series);
  return out;
}

const std::vector<const RawSeries*>& of(const ByMetric& m, std::string_view metric) {
  static const std::vector<const RawSeries*> kNone;
  auto it = m.find(metric);
  return it == m.end() ? kNone : it->second;
}

std::map<std::string, ClientSlots> client_slots(const DevnetData& data) {
  std::map<std::string, ClientSlots> out;
  for (const auto& [client, m] : by_client_metric(data.series("head_slot"), DevnetData::label("head_slot", "metric"))) {
    auto head = of(m, "lean_head_slot");
    for (const auto& alias : {"", "head_slot", "head"}) {
      const auto& more = of(m, alias);
      head.insert(head.end(), more.begin(), more.end());
    }
    out[client].head = highest(head);
    out[client].current = highest(of(m, "lean_current_slot"));
  }
  const auto finality =
      by_client_metric(data.series("finality_metrics"), DevnetData::label("finality_metrics", "metric"));
  for (const auto& [client, m] : finality) {
    auto& c = out[client];
    const auto& justified = of(m, "lean_latest_justified_slot");
    const auto& finalized = of(m, "lean_latest_finalized_slot");
    c.justified = highest(justified.empty() ? of(m, "lean_justified_slot") : justified);
    c.finalized = highest(finalized.empty() ? of(m, "lean_finalized_slot") : finalized);
    c.old_names = (justified.empty() && !of(m, "lean_justified_slot").empty()) ||
                  (finalized.empty() && !of(m, "lean_finalized_slot").empty());
  }
  return out;
}

std::optional<double> last_value(const TimeSeries& s) {
  return s.empty() ? std::nullopt : std::optional<double>(s.v.back());
}

// Runs of consecutive samples (at most kConsecutiveMs apart) where pred holds.
template <class Pred>
std::vector<detail::Episode> runs(const TimeSeries& s, Pred pred) {
  std::vector<detail::Episode> out;
  bool open = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::isnan(s.v[i]) || !pred(s.v[i])) {
      open = false;
      continue;
    }
    if (open && s.t[i] - out.back().end > kConsecutiveMs) open = false;
    if (!open) out.push_back({s.t[i], s.t[i], s.v[i]});
    open = true;
    out.back().end = s.t[i];
    out.back().peak = std::max(out.back().peak, s.v[i]);
  }
  return out;
}

void behind_head(const archive::Devnet& d, const ConsensusSettings& cfg, const std::string& client,
                 const TimeSeries& current_to_head, std::vector<Finding>& out) {
  const auto min_span = static_cast<TimeMs>(std::llround(cfg.behind_minutes * 60'000));
  for (const auto& e : runs(current_to_head, [&](double v) { return v > cfg.behind_slots; })) {
    if (e.end - e.start < min_span) continue;
    out.push_back({client, "behind_head", e.start, e.end,
                   fmt::format("{} was more than {} slots behind the current slot for {} ({} to {}), up to {} slots.",
                               client, format_fixed(cfg.behind_slots, 0), format_duration(e.end - e.start),
                               finding_time(d, e.start), finding_time(d, e.end), format_fixed(e.peak, 0))});
  }
}

// Finality stalls: from the sample at which the network's highest finalized
// slot reached a value, through the last sample at which the highest head
// rose above all its earlier values, while finalized does not rise above
// that value; at least `minutes` long. Heads that stop too are a halted
// network, not a stall.
std::vector<Shade> finality_stalls(const TimeSeries& head, const TimeSeries& finalized, double minutes) {
  const TimeSeries both = difference(head, finalized);  // the times where both are known
  std::vector<double> h, f;
  std::size_t i = 0, j = 0;
  for (TimeMs t : both.t) {
    while (head.t[i] < t) ++i;
    while (finalized.t[j] < t) ++j;
    h.push_back(head.v[i]);
    f.push_back(finalized.v[j]);
  }
  const auto min_ms = static_cast<TimeMs>(std::llround(minutes * 60'000));
  std::vector<Shade> out;
  for (std::size_t a = 0; a < both.size();) {
    std::size_t b = a + 1;
    std::optional<std::size_t> last_rise;
    double head_max = h[a];
    for (; b < both.size() && f[b] <= f[a]; ++b) {
      if (h[b] > head_max) {
        head_max = h[b];
        last_rise = b;
      }
    }
    if (last_rise && both.t[*last_rise] - both.t[a] >= min_ms) {
      out.push_back({both.t[a], both.t[*last_rise],
                     fmt::format("finalized slot stuck at {} while the head rose from {} to {}", format_fixed(f[a], 0),
                                 format_fixed(h[a], 0), format_fixed(head_max, 0))});
    }
    a = b;
  }
  return out;
}

// The reorg depth buckets of one client, the counter of reorgs, by series.
struct Reorgs {
  std::vector<const RawSeries*> counters;
  std::map<double, std::vector<const RawSeries*>> depth;  // le -> series
};

std::map<std::string, Reorgs> client_reorgs(const std::vector<KeyedSeries>& list) {
  const std::size_t metric = DevnetData::label("fork_choice_reorgs", "metric");
  const std::size_t le = DevnetData::label("fork_choice_reorgs", "le");
  std::map<std::string, Reorgs> out;
  for (const auto& ks : list) {
    if (label(ks, le).empty()) {
      if (label(ks, metric) != "lean_fork_choice_reorg_depth") out[ks.client].counters.push_back(&ks.series);
      continue;
    }
    if (auto bound = stats::parse_le(label(ks, le))) out[ks.client].depth[*bound].push_back(&ks.series);
  }
  return out;
}

// Sum of the reset-aware increases of several counters, by the time each
// interval ends, sorted by that end: (end, earliest start, amount). Sorted
// vectors rather than a map: a week of 1-minute samples is 10^4 intervals a
// series.
struct EndIncrease {
  TimeMs end = 0;
  TimeMs start = 0;
  double amount = 0;
};

std::vector<EndIncrease> increases_by_end(const std::vector<const RawSeries*>& list) {
  std::vector<EndIncrease> all;
  for (const auto* s : list) {
    for (const auto& inc : detail::increases(*s)) all.push_back({inc.to, inc.from, inc.amount});
  }
  // Stable: amounts of one end add up in the order of the series, as before.
  std::stable_sort(all.begin(), all.end(), [](const EndIncrease& a, const EndIncrease& b) { return a.end < b.end; });
  std::vector<EndIncrease> out;
  out.reserve(all.size());
  for (const auto& inc : all) {
    if (!out.empty() && out.back().end == inc.end) {
      out.back().start = std::min(out.back().start, inc.start);
      out.back().amount += inc.amount;
    } else {
      out.push_back(inc);
    }
  }
  return out;
}

// Reorgs of depth >= `depth`: the +Inf bucket's increase less that of the
// smallest bound at or above depth − 1 (depths are whole slots, so with a
// bound at depth − 1 this is exact; with a coarser one, only reorgs known to
// be that deep count). One finding per run of consecutive intervals with any.
void deep_reorgs(const archive::Devnet& d, const ConsensusSettings& cfg, const std::string& client, const Reorgs& r,
                 std::vector<Finding>& out) {
  auto inf = r.depth.find(std::numeric_limits<double>::infinity());
  if (inf == r.depth.end()) return;
  auto shallow = r.depth.lower_bound(cfg.deep_reorg_depth - 1);
  if (shallow == inf) return;  // no bound to tell deep from shallow
  const auto all = increases_by_end(inf->second);
  const auto within = increases_by_end(shallow->second);
  struct Run {
    TimeMs start, end;
    double count;
  };
  std::vector<Run> found;
  TimeMs last_end = 0;
  std::size_t w = 0;  // within's cursor: both are sorted by end
  for (const auto& inc : all) {
    while (w < within.size() && within[w].end < inc.end) ++w;
    const double deep = inc.amount - (w < within.size() && within[w].end == inc.end ? within[w].amount : 0.0);
    if (deep <= 0.5) continue;  // counts are whole reorgs
    if (!found.empty() && inc.start <= last_end) {
      found.back().end = inc.end;
      found.back().count += deep;
    } else {
      found.push_back({inc.start, inc.end, deep});
    }
    last_end = inc.end;
  }
  for (const auto& f : found) {
    out.push_back(
        {client, "deep_reorg", f.start, f.end,
         fmt::format("{} had {} reorg{} of depth {} or more between {} and {}.", client, format_fixed(f.count, 0),
                     f.count > 1.5 ? "s" : "", format_fixed(cfg.deep_reorg_depth, 0), finding_time(d, f.start),
                     finding_time(d, f.end))});
  }
}

std::string depth_category(double lower, double le) {
  if (std::isinf(le)) return fmt::format("> {}", format_fixed(lower, 0));
  return fmt::format("≤ {}", format_fixed(le, 0));
}

// Reorgs per depth bucket over the devnet, one bar group per client.
std::optional<BarChart> depth_chart(const archive::Devnet& d, const std::map<std::string, Reorgs>& reorgs) {
  std::map<double, std::string> categories;  // le -> label
  std::map<std::string, std::map<double, double>> counts;
  for (const auto& [client, r] : reorgs) {
    if (r.depth.empty()) continue;
    std::vector<stats::BucketSeries> series;
    for (const auto& [le, list] : r.depth) {
      for (const auto* s : list) series.push_back({le, s->t, s->v});
    }
    const auto buckets = stats::bucket_increase(series, d.start, d.end);
    const auto shares = stats::bucket_shares(buckets);
    if (shares.empty()) continue;
    const double total = buckets.back().count;
    for (const auto& b : shares) {
      categories.try_emplace(b.le, depth_category(b.lower, b.le));
      counts[client][b.le] = b.share * total;
    }
  }
  if (counts.empty()) return std::nullopt;
  BarChart chart;
  for (const auto& [le, text] : categories) chart.categories.push_back(text);
  for (const auto& [client, by_le] : counts) {
    BarChart::Group g{client, {}};
    for (const auto& [le, text] : categories) {
      auto it = by_le.find(le);
      g.values.push_back(it == by_le.end() ? kNaN : it->second);
    }
    chart.groups.push_back(std::move(g));
  }
  return chart;
}

// Sync status as a step line: 2 synced, 1 syncing, 0 idle, at each time a
// status series has a sample; and the share of those samples that are synced.
std::pair<TimeSeries, std::optional<double>> sync_status(const ByMetric& by_status) {
  const std::pair<const char*, int> kStates[] = {{"idle", 0}, {"syncing", 1}, {"synced", 2}};
  // Status series scraped together share their times exactly: one pass by
  // index, nothing sorted.
  const RawSeries* first = nullptr;
  bool shared = true;
  for (const auto& [status, list] : by_status) {
    for (const auto* s : list) {
      if (first == nullptr) first = s;
      shared = shared && s->t == first->t && s->v.size() == s->t.size();
    }
  }
  if (first != nullptr && shared &&
      std::adjacent_find(first->t.begin(), first->t.end(), std::greater_equal<>()) == first->t.end()) {
    std::vector<int> best(first->t.size(), -1);
    for (const auto& [name, value] : kStates) {
      for (const auto* s : of(by_status, name)) {
        for (std::size_t i = 0; i < best.size(); ++i) {
          if (s->v[i] >= 0.5) best[i] = std::max(best[i], value);
        }
      }
    }
    TimeSeries line;
    std::size_t synced = 0;
    for (std::size_t i = 0; i < best.size(); ++i) {
      if (best[i] < 0) continue;
      line.t.push_back(first->t[i]);
      line.v.push_back(best[i]);
      synced += best[i] == 2 ? 1 : 0;
    }
    if (best.empty()) return {line, std::nullopt};
    return {line, 100.0 * static_cast<double>(synced) / static_cast<double>(best.size())};
  }
  // Otherwise sorted vectors, not a map and a set: 3 statuses × 10^4 samples a week.
  std::vector<TimeMs> times;
  for (const auto& [status, list] : by_status) {
    for (const auto* s : list) times.insert(times.end(), s->t.begin(), s->t.end());
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  std::vector<std::pair<TimeMs, int>> reported;  // (time, state) of every status reported as 1
  for (const auto& [name, value] : kStates) {
    for (const auto* s : of(by_status, name)) {
      for (std::size_t i = 0; i < s->size(); ++i) {
        if (s->v[i] >= 0.5) reported.emplace_back(s->t[i], value);
      }
    }
  }
  std::sort(reported.begin(), reported.end());
  TimeSeries line;
  std::size_t synced = 0;
  for (std::size_t i = 0; i < reported.size(); ++i) {
    // The highest state of a time is the last of its run.
    if (i + 1 < reported.size() && reported[i + 1].first == reported[i].first) continue;
    line.t.push_back(reported[i].first);
    line.v.push_back(reported[i].second);
    synced += reported[i].second == 2 ? 1 : 0;
  }
  if (times.empty()) return {line, std::nullopt};
  return {line, 100.0 * static_cast<double>(synced) / static_cast<double>(times.size())};
}

}  // namespace

ConsensusAnalysis analyse_consensus(const DevnetData& data, const ConsensusSettings& cfg) {
  ConsensusAnalysis out;
  out.devnet = data.devnet();
  out.clients = data.clients();
  out.versions = data.versions();
  auto slots = client_slots(data);
  auto reorg_series = data.series("fork_choice_reorgs");
  detail::chain_segments(reorg_series, DevnetData::label("fork_choice_reorgs", "instance"));
  const auto reorgs = client_reorgs(reorg_series);
  const auto sync = by_client_metric(data.series("node_sync_status"), DevnetData::label("node_sync_status", "status"));

  std::vector<TimeSeries> heads, finalizeds;
  for (const auto& client : out.clients) {
    ConsensusSummary s;
    s.client = client;
    auto it = slots.find(client);
    ClientSlots c = it == slots.end() ? ClientSlots{} : std::move(it->second);
    s.old_names = c.old_names;
    auto cur_head = difference(c.current, c.head);
    auto head_just = difference(c.head, c.justified);
    auto just_fin = difference(c.justified, c.finalized);
    auto head_fin = difference(c.head, c.finalized);
    s.current_to_head = detail::stats_of(cur_head);
    s.head_to_justified = detail::stats_of(head_just);
    s.justified_to_finalized = detail::stats_of(just_fin);
    s.head_to_finalized = detail::stats_of(head_fin);
    s.final_head_slot = last_value(c.head);
    s.final_finalized_slot = last_value(c.finalized);
    behind_head(out.devnet, cfg, client, cur_head, out.findings);
    if (!c.head.empty()) heads.push_back(c.head);
    if (!c.finalized.empty()) finalizeds.push_back(c.finalized);
    out.head_vs_current.push_back(
        panel_of(client, lines_of(Line{"head", c.head}, Line{"current", std::move(c.current)})));
    out.slots.push_back(
        panel_of(client, lines_of(Line{"head", std::move(c.head)}, Line{"justified", std::move(c.justified)},
                                  Line{"finalized", std::move(c.finalized)})));
    out.current_to_head.push_back(panel_of(client, lines_of(Line{"current − head", std::move(cur_head)})));
    out.head_to_justified.push_back(panel_of(client, lines_of(Line{"head − justified", std::move(head_just)})));
    out.justified_to_finalized.push_back(
        panel_of(client, lines_of(Line{"justified − finalized", std::move(just_fin)})));
    out.head_to_finalized.push_back(panel_of(client, lines_of(Line{"head − finalized", std::move(head_fin)})));

    auto r = reorgs.find(client);
    if (r != reorgs.end() && !r->second.counters.empty()) {
      double total = 0;
      for (const auto* series : r->second.counters) total += detail::total_increase(*series, false);
      s.reorgs = total;
      out.reorgs_per_hour.push_back(panel_of(
          client, lines_of(Line{"reorgs/h", detail::sum_rates(r->second.counters, static_cast<double>(kHourMs))})));
      const std::vector<bool> from_zero(r->second.counters.size(), false);
      out.reorgs_cumulative.push_back(
          panel_of(client, lines_of(Line{"reorgs", detail::cumulative_increases(r->second.counters, from_zero)})));
    } else {
      out.reorgs_per_hour.push_back(panel_of(client, {}));
      out.reorgs_cumulative.push_back(panel_of(client, {}));
    }
    if (r != reorgs.end()) deep_reorgs(out.devnet, cfg, client, r->second, out.findings);

    auto st = sync.find(client);
    if (st != sync.end()) {
      auto [line, pct] = sync_status(st->second);
      s.synced_pct = pct;
      out.sync_status.push_back(panel_of(client, lines_of(Line{"status", std::move(line)})));
    } else {
      out.sync_status.push_back(panel_of(client, {}));
    }
    out.summary.push_back(std::move(s));
  }
  out.reorg_depth = depth_chart(out.devnet, reorgs);

  out.network_head = highest(heads);
  out.network_finalized = highest(finalizeds);
  out.network_lag = difference(out.network_head, out.network_finalized);
  out.network_head_to_finalized = detail::stats_of(out.network_lag);
  for (const auto& s : out.summary) {
    if (s.final_finalized_slot)
      out.network_finalized_final =
          std::max(out.network_finalized_final.value_or(*s.final_finalized_slot), *s.final_finalized_slot);
  }
  out.stalls = finality_stalls(out.network_head, out.network_finalized, cfg.stall_minutes);
  for (const auto& stall : out.stalls) {
    out.findings.push_back({"*", "finality_stall", stall.start, stall.end,
                            fmt::format("The network's highest finalized slot did not advance for {} ({} to {}): {}.",
                                        format_duration(stall.end - stall.start), finding_time(out.devnet, stall.start),
                                        finding_time(out.devnet, stall.end), stall.label)});
  }
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.start < b.start; });
  return out;
}

ConsensusAnalysis analyse_consensus(const DevnetData& data) {
  ConsensusSettings cfg;
  cfg.stall_minutes = data.setting("finality_stall.minutes", cfg.stall_minutes);
  cfg.behind_slots = data.setting("behind_head.slots", cfg.behind_slots);
  cfg.behind_minutes = data.setting("behind_head.minutes", cfg.behind_minutes);
  cfg.deep_reorg_depth = data.setting("deep_reorg.depth", cfg.deep_reorg_depth);
  return analyse_consensus(data, cfg);
}

ReportDefinition consensus_report() {
  ReportDefinition r;
  r.id = "consensus";
  r.title = "Consensus";
  r.description =
      "Head, justified and finalized slots, the distances between them, reorgs, sync status and the network's "
      "finality, with stalls and clients behind the head.";
  r.datasets = {"head_slot", "finality_metrics", "fork_choice_reorgs", "node_sync_status", "node_info"};
  const ConsensusSettings d;
  r.settings = {
      {"finality_stall.minutes", d.stall_minutes,
       "The network's highest finalized slot not advancing for at least this many minutes while heads advance is a "
       "finality stall."},
      {"behind_head.slots", d.behind_slots,
       "A client whose head is more than this many slots behind the current slot is behind the head."},
      {"behind_head.minutes", d.behind_minutes,
       "behind_head fires when the client stays behind in consecutive 1-minute samples spanning at least this many "
       "minutes (2: three samples)."},
      {"deep_reorg.depth", d.deep_reorg_depth,
       "A reorg of at least this many slots is deep (where depth is exported)."},
  };
  r.analyse = [](const DevnetData& data) -> Result<ReportModel> { return consensus_model(analyse_consensus(data)); };
  return r;
}

}  // namespace leanscope::analysis
