// The state-transitions report: the six timing histograms through the shared
// timing sections (detail/timing.h), the processing counters as rates per
// elapsed time, the summary table and figures.
#include "analysis/state_transitions.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "analysis/detail/series_ops.h"
#include "analysis/detail/timing.h"
#include "analysis/registry.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

constexpr std::string_view kStateHistograms = "state_transition_histograms";
constexpr std::string_view kStateTiming = "state_transition_timing";
constexpr std::string_view kCounters = "state_transition_counters";
constexpr double kSecondMs = 1000;
constexpr double kHourMs = 3'600'000;

// The six timings in page order: the `metric` tag, the figure key, the
// column of the summary table.
struct Metric {
  detail::TimingSpec spec;
  const char* key;
  const char* column;
};
const Metric kMetrics[] = {
    {{kStateHistograms, kStateTiming, "total", "total-time", "State transition time",
      "Time of a whole state transition: processing the slots up to a block's slot, then the block "
      "(lean_state_transition_time_seconds)."},
     "total_s",
     "Total"},
    {{kStateHistograms, kStateTiming, "slots", "slots-time", "Slots processing time",
      "Time to advance the state through the slots before a block's slot "
      "(lean_state_transition_slots_processing_time_seconds)."},
     "slots_s",
     "Slots"},
    {{kStateHistograms, kStateTiming, "block", "block-time", "Block processing time",
      "Time to apply a block to the state (lean_state_transition_block_processing_time_seconds)."},
     "block_s",
     "Block"},
    {{kStateHistograms, kStateTiming, "attestations", "attestations-time", "Attestations processing time",
      "Time to process a block's attestations (lean_state_transition_attestations_processing_time_seconds)."},
     "attestations_s",
     "Attestations"},
    {{kStateHistograms, kStateTiming, "fork_choice", "fork-choice-time", "Fork-choice block processing time",
      "Time the fork choice takes to process a block (lean_fork_choice_block_processing_time_seconds)."},
     "fork_choice_s",
     "Fork choice"},
    {{kStateHistograms, kStateTiming, "attestation_validation", "attestation-validation-time",
      "Attestation validation time", "Time to validate an attestation (lean_attestation_validation_time_seconds)."},
     "attestation_validation_s",
     "Attestation validation"},
};

const std::string& label(const archive::KeyedSeries& ks, std::size_t i) {
  static const std::string kEmpty;
  return i < ks.labels.size() ? ks.labels[i] : kEmpty;
}

struct Counters {
  // client -> series of one counter
  std::map<std::string, std::vector<const archive::Samples*>> slots, attestations;
  // client -> result -> series
  std::map<std::string, std::map<std::string, std::vector<const archive::Samples*>>> finalizations;
};

Counters counters_of(const std::vector<archive::KeyedSeries>& list) {
  const std::size_t metric = DevnetData::label(kCounters, "metric");
  const std::size_t result = DevnetData::label(kCounters, "result");
  Counters out;
  for (const auto& ks : list) {
    const auto& m = label(ks, metric);
    if (m == "lean_state_transition_slots_processed_total") {
      out.slots[ks.client].push_back(&ks.series);
    } else if (m == "lean_state_transition_attestations_processed_total") {
      out.attestations[ks.client].push_back(&ks.series);
    } else if (m == "lean_finalizations_total") {
      out.finalizations[ks.client][label(ks, result)].push_back(&ks.series);
    }
  }
  return out;
}

Section chart(std::string_view id, std::string_view title, Unit unit, std::string_view ylabel, std::string_view text) {
  Section s;
  s.id = id;
  s.title = title;
  s.text = text;
  s.unit = unit;
  s.ylabel = ylabel;
  return s;
}

// One panel per client: the summed rate of its series, per `per_ms`.
Section rate_section(const DevnetData& data, const std::map<std::string, std::vector<const archive::Samples*>>& by,
                     Section s, const std::string& line, double per_ms) {
  for (const auto& c : data.clients()) {
    Panel p{c, {}, {}, {}};
    auto it = by.find(c);
    if (it != by.end()) {
      auto rate = detail::sum_rates(it->second, per_ms);
      if (!rate.empty()) p.lines.push_back({line, std::move(rate)});
    }
    s.panels.push_back(std::move(p));
  }
  return s;
}

std::string cell(const detail::Quantiles& q) {
  return detail::format_ms(q.p50) + " / " + detail::format_ms(q.p95) + " / " + detail::format_ms(q.p99);
}

std::string health(const std::vector<std::string>& clients, const detail::Timing& total) {
  if (!total.network.p95) return "no state-transition timing data";
  std::string out = fmt::format("state transition p95 {} network-wide", detail::format_ms(total.network.p95));
  std::optional<std::pair<std::string, double>> slowest;
  for (const auto& c : clients) {
    const auto& q = total.clients.at(c);
    if (q.p95 && (!slowest || *q.p95 > slowest->second)) slowest = {{c, *q.p95}};
  }
  if (slowest) out += fmt::format("; slowest {} (p95 {})", slowest->first, format_seconds(slowest->second));
  return out;
}

}  // namespace

ReportModel state_transitions_model(const DevnetData& data) {
  ReportModel m;
  m.id = "state-transitions";
  m.title = "State transitions";
  m.devnet = data.devnet();
  m.clients = data.clients();
  m.versions = data.versions();

  std::vector<detail::Timing> timings;
  for (const auto& metric : kMetrics) {
    timings.push_back(detail::timing_sections(data, metric.spec));
    auto& t = timings.back();
    m.sections.insert(m.sections.end(), std::make_move_iterator(t.sections.begin()),
                      std::make_move_iterator(t.sections.end()));
    t.sections.clear();
  }
  if (std::any_of(timings.begin(), timings.end(), [](const auto& t) { return t.from_quantile_series; })) {
    m.notes.emplace_back(detail::kQuantileSeriesNote);
  }

  auto series = data.series(kCounters);
  detail::chain_segments(series, DevnetData::label(kCounters, "instance"));
  const auto counters = counters_of(series);
  m.sections.push_back(rate_section(
      data, counters.slots,
      chart("slots-per-second", "Slots processed per second", Unit::PerSecond, "Slots/s",
            "Slots the state transition processed (lean_state_transition_slots_processed_total) per second of "
            "elapsed time between samples: reset-aware increases, so a restart reads as a restart, not as a "
            "negative rate."),
      "slots/s", kSecondMs));
  m.sections.push_back(rate_section(
      data, counters.attestations,
      chart("attestations-per-second", "Attestations processed per second", Unit::PerSecond, "Attestations/s",
            "Attestations the state transition processed (lean_state_transition_attestations_processed_total) per "
            "second of elapsed time between samples, reset-aware."),
      "attestations/s", kSecondMs));
  Section fin = chart("finalizations", "Finalizations per hour by result", Unit::Count, "Finalizations/h",
                      "Finalizations (lean_finalizations_total) per hour of elapsed time between samples, one line "
                      "per result label, reset-aware; one finalization within a minute reads as 60 per hour.");
  for (const auto& c : m.clients) {
    Panel p{c, {}, {}, {}};
    auto it = counters.finalizations.find(c);
    if (it != counters.finalizations.end()) {
      for (const auto& [result, list] : it->second) {
        auto rate = detail::sum_rates(list, kHourMs);
        if (!rate.empty()) p.lines.push_back({result.empty() ? std::string("all") : result, std::move(rate)});
      }
    }
    fin.panels.push_back(std::move(p));
  }
  m.sections.push_back(std::move(fin));

  // Summary: per client and network-wide, p50 / p95 / p99 of each timing over
  // the whole devnet's distribution.
  Table table;
  table.css_class = "summary";
  table.columns.push_back({"Client", false});
  for (const auto& metric : kMetrics) table.columns.push_back({fmt::format("{} p50 / p95 / p99", metric.column)});
  for (const auto& c : m.clients) {
    std::vector<std::string> row{c};
    Figures f;
    for (std::size_t i = 0; i < std::size(kMetrics); ++i) {
      const auto& q = timings[i].clients.at(c);
      row.push_back(cell(q));
      detail::add_quantiles(f, {kMetrics[i].key}, q);
    }
    table.rows.push_back(std::move(row));
    m.client_figures[c] = std::move(f);
  }
  std::vector<std::string> network{"network"};
  for (std::size_t i = 0; i < std::size(kMetrics); ++i) {
    network.push_back(cell(timings[i].network));
    detail::add_quantiles(m.network_figures, {"state_transition", kMetrics[i].key}, timings[i].network);
  }
  if (std::any_of(timings.begin(), timings.end(), [](const auto& t) { return t.network.has_data(); })) {
    table.rows.push_back(std::move(network));
  }
  m.figures_key = "state_transition";
  m.summary_table = table;
  Section summary;
  summary.id = "summary";
  summary.title = "Summary";
  summary.text =
      "Per client and for the whole network (every client's buckets merged): p50 / p95 / p99 of each timing over "
      "the devnet, from the increase of each histogram bucket over the devnet's window, never a mean of the "
      "windowed quantiles.";
  summary.tables.push_back(std::move(table));
  m.sections.push_back(std::move(summary));
  Section findings;
  findings.id = "findings";
  findings.title = "Findings";
  findings.text =
      "This report has no finding kinds of its own; slow clients stand out in the distributions and the summary.";
  findings.findings = true;
  m.sections.push_back(std::move(findings));
  m.health = health(m.clients, timings.front());
  return m;
}

ReportDefinition state_transitions_report() {
  ReportDefinition r;
  r.id = "state-transitions";
  r.title = "State transitions";
  r.description =
      "State transition, block, slots, attestations, fork-choice and attestation validation times, slots and "
      "attestations processed per second, finalizations by result.";
  r.datasets = {std::string(kStateHistograms), std::string(kStateTiming), std::string(kCounters), "node_info"};
  r.analyse = [](const DevnetData& data) -> Result<ReportModel> { return state_transitions_model(data); };
  return r;
}

}  // namespace leanscope::analysis
