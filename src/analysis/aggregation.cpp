// The aggregation performance report: signatures included in aggregates,
// building and aggregated verification time (detail/timing.h), aggregates
// built and verified per slot and per second, the share of expected
// attestations in aggregates, the summary and slow_verification.
#include "analysis/aggregation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "analysis/detail/series_ops.h"
#include "analysis/detail/timing.h"
#include "analysis/pq_signatures.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

constexpr std::string_view kAggregationHistograms = "pq_signature_histograms";
constexpr std::string_view kAggregationTiming = "pq_signature_timing";
constexpr std::string_view kValidators = "validators_count";
constexpr double kDefaultSlowRatio = 3;  // declared by the pq-signatures report
constexpr double kMinClientsCompared = 3;
constexpr double kSlotMs = 4'000;
constexpr double kSecondMs = 1'000;

constexpr std::string_view kAggregatedText =
    "Cumulative attestations included in the aggregated signatures each client counted "
    "(lean_pq_sig_attestations_in_aggregated_signatures_total), as reset-aware increases since the first sample: "
    "a restart does not lower the line, which breaks where the counter reset.";
constexpr std::string_view kBuildingText =
    "Time to build one aggregated signature (lean_pq_sig_aggregated_signatures_building_time_seconds, and the name "
    "before the rename, lean_pq_sig_attestation_signatures_building_time_seconds, read as one).";
constexpr std::string_view kVerificationText =
    "Time to verify one aggregated signature (lean_pq_sig_aggregated_signatures_verification_time_seconds).";
constexpr std::string_view kPerSlotText =
    "Aggregates built (lean_pq_sig_aggregated_signatures_total) and aggregated signatures verified valid or "
    "invalid, per 4-second slot: each counter's reset-aware increase divided by the slots elapsed between samples.";
constexpr std::string_view kPerSecondText = "The same counters per second of elapsed time between samples.";
constexpr const char* kComparisonText =  // {}: the ratio
    "Every client's p95 of aggregation building and aggregated verification over the whole devnet, side by side. "
    "A client whose verification p95 is at least {} times the median of the other clients' is a slow_verification "
    "finding.";
constexpr std::string_view kExportedText =
    "Which aggregation metrics each client exported in this devnet. The building time is read under the current "
    "name and the name before the rename, and every metric under both prefixes (lean_pq_sig_ and "
    "lean_pq_signature_), each counted as one.";
constexpr std::string_view kAggregationSummaryText =
    "Per client over the devnet's window: quantiles of the whole devnet's distribution (milliseconds), the "
    "reset-aware total of signatures included in aggregates, and aggregates built per slot (average over the "
    "window; the largest 1-minute interval).";
constexpr std::string_view kAggregationFindingsText =
    "Clients whose aggregated signature verification p95 is far above the other clients' (slow_verification).";

struct RateLine {
  const char* label;
  std::string_view metric;
};
constexpr RateLine kRateLines[] = {{"built", kAggregatedSignatures},
                                   {"verified valid", kAggregatedSignaturesValid},
                                   {"verified invalid", kAggregatedSignaturesInvalid}};

Section rate_chart(const PqCounters& counters, const std::vector<std::string>& clients, std::string_view id,
                   std::string_view title, std::string_view text, Unit unit, std::string_view ylabel, double per_ms) {
  Section s = text_section(id, title, text);
  s.unit = unit;
  s.ylabel = ylabel;
  for (const auto& c : clients) {
    Panel p{c, {}, {}, {}};
    for (const auto& line : kRateLines) {
      if (counters.has(c, line.metric)) p.lines.push_back({line.label, counters.rate(c, line.metric, per_ms)});
    }
    s.panels.push_back(std::move(p));
  }
  return s;
}

// Validators of the devnet: each client's last lean_validators_count,
// summed over its series and over clients; nullopt without data.
std::optional<double> validators_in_devnet(const DevnetData& data) {
  std::optional<double> total;
  for (const auto& ks : data.series(kValidators)) {
    if (ks.series.empty()) continue;
    total = total.value_or(0) + ks.series.v.back();
  }
  return total;
}

std::string fixed_or_dash(const std::optional<double>& v, int digits) {
  return v ? format_fixed(*v, digits) : std::string("–");
}

}  // namespace

Result<ReportModel> analyse_aggregation(const DevnetData& data) {
  ReportModel m;
  m.id = "aggregation";
  m.title = "Aggregation performance";
  m.devnet = data.devnet();
  m.clients = data.clients();
  m.versions = data.versions();
  m.figures_key = "aggregation";

  const PqCounters counters(data);
  auto building = detail::timing_sections(data, {kAggregationHistograms, kAggregationTiming, "agg_building", "building",
                                                 "Aggregation building time", kBuildingText});
  auto verification =
      detail::timing_sections(data, {kAggregationHistograms, kAggregationTiming, "agg_verification", "verification",
                                     "Aggregated verification time", kVerificationText});
  if (building.from_quantile_series || verification.from_quantile_series) {
    m.notes.emplace_back(detail::kQuantileSeriesNote);
  }
  const bool any_data = std::any_of(m.clients.begin(), m.clients.end(), [&](const std::string& c) {
    return counters.has(c, kAggregatedSignatures) || counters.has(c, kAggregatedSignaturesValid) ||
           counters.has(c, kAggregatedSignaturesInvalid) || counters.has(c, kAttestationsInAggregates);
  });
  if (!any_data && !building.network.has_data() && !verification.network.has_data()) {
    m.notes.emplace_back("This devnet's archive has no aggregation metrics: every section is empty.");
  }

  const double ratio = data.setting("slow_verification.ratio", kDefaultSlowRatio);
  auto& s = m.sections;
  s.push_back(text_section("signatures-aggregated", "Signatures included in aggregates", kAggregatedText));
  s.back().unit = Unit::Count;
  s.back().ylabel = "Signatures";
  for (const auto& c : m.clients) {
    Panel p{c, {}, {}, {}};
    if (counters.has(c, kAttestationsInAggregates)) {
      p.lines.push_back({"signatures", counters.cumulative(c, kAttestationsInAggregates)});
    }
    s.back().panels.push_back(std::move(p));
  }
  s.insert(s.end(), std::make_move_iterator(building.sections.begin()),
           std::make_move_iterator(building.sections.end()));
  building.sections.clear();  // moved from; the quantiles stay for the tables below
  s.insert(s.end(), std::make_move_iterator(verification.sections.begin()),
           std::make_move_iterator(verification.sections.end()));
  verification.sections.clear();  // moved from; the quantiles stay for the tables below
  s.push_back(rate_chart(counters, m.clients, "per-slot", "Aggregates built and verified per slot", kPerSlotText,
                         Unit::Count, "Per slot", kSlotMs));
  s.push_back(rate_chart(counters, m.clients, "per-second", "Aggregates built and verified per second", kPerSecondText,
                         Unit::PerSecond, "Per second", kSecondMs));

  // The share of expected attestations (one per validator and slot) that
  // ended in an aggregate.
  const auto validators = validators_in_devnet(data);
  s.push_back(text_section("expected-share", "Attestations in aggregates, % of expected", ""));
  s.back().unit = Unit::Percent;
  s.back().ylabel = "% of expected";
  if (validators && *validators > 0) {
    s.back().text = fmt::format(
        "Attestations included in a client's aggregates per slot as a share of those expected: one per validator "
        "and slot ({} validators in the devnet).",
        format_count(*validators));
    for (const auto& c : m.clients) {
      Panel p{c, {}, {}, {}};
      if (counters.has(c, kAttestationsInAggregates)) {
        auto line = counters.rate(c, kAttestationsInAggregates, kSlotMs);
        for (auto& v : line.v) v = v / *validators * 100;
        p.lines.push_back({"in aggregates", std::move(line)});
      }
      s.back().panels.push_back(std::move(p));
    }
  } else {
    s.back().text =
        "Attestations included in a client's aggregates per slot as a share of those expected (one per validator "
        "and slot).";
    s.back().note = "The number of validators is unknown (no lean_validators_count data): no share can be computed.";
  }

  s.push_back(detail::p95_comparison(
      "p95-comparison", "Which client is slow: devnet p95",
      fmt::format(fmt::runtime(kComparisonText), format_fixed(ratio, ratio == std::floor(ratio) ? 0 : 1)), m.clients,
      {{"Building", &building}, {"Verification", &verification}}));

  Table exported;
  exported.css_class = "exported";
  exported.columns = {{"Client", false},
                      {"Aggregate counters", false},
                      {"Signatures in aggregates", false},
                      {"Building time", false},
                      {"Verification time", false}};
  const auto yes = [](bool b) { return std::string(b ? "yes" : "–"); };
  for (const auto& c : m.clients) {
    exported.rows.push_back(
        {c,
         yes(counters.has(c, kAggregatedSignatures) || counters.has(c, kAggregatedSignaturesValid) ||
             counters.has(c, kAggregatedSignaturesInvalid)),
         yes(counters.has(c, kAttestationsInAggregates)), yes(building.clients.at(c).has_data()),
         yes(verification.clients.at(c).has_data())});
  }
  s.push_back(text_section("exported", "Metrics exported", kExportedText));
  s.back().tables.push_back(std::move(exported));

  Table& table = m.summary_table;
  table.css_class = "summary";
  table.columns.push_back({"Client", false});
  for (const char* h : {"Building p50 / p95 / p99", "Verification p50 / p95 / p99", "Signatures aggregated",
                        "Aggregates/slot avg / max"}) {
    table.columns.push_back({h});
  }
  const double window_slots = static_cast<double>(m.devnet.end - m.devnet.start) / kSlotMs;
  std::map<std::string, std::optional<double>> verification_p95;
  double built_total = 0;
  bool any_built = false;
  for (const auto& c : m.clients) {
    const auto& bq = building.clients.at(c);
    const auto& vq = verification.clients.at(c);
    verification_p95[c] = vq.p95;
    const auto built = counters.total(c, kAggregatedSignatures);
    std::optional<double> per_slot_avg, per_slot_max;
    if (built && window_slots > 0) {
      per_slot_avg = *built / window_slots;
      per_slot_max = detail::stats_of(counters.rate(c, kAggregatedSignatures, kSlotMs)).max;
      built_total += *built;
      any_built = true;
    }
    const auto aggregated = counters.total(c, kAttestationsInAggregates);
    Figures f;
    detail::add_quantiles(f, {"building_s"}, bq);
    detail::add_quantiles(f, {"verification_s"}, vq);
    f.add({"signatures_aggregated"}, aggregated);
    f.add({"aggregates_per_slot", "avg"}, per_slot_avg);
    f.add({"aggregates_per_slot", "max"}, per_slot_max);
    m.client_figures[c] = std::move(f);
    table.rows.push_back({c, detail::format_quantiles_ms(bq), detail::format_quantiles_ms(vq),
                          aggregated ? format_count(*aggregated) : std::string("–"),
                          fixed_or_dash(per_slot_avg, 2) + " / " + fixed_or_dash(per_slot_max, 2)});
  }
  detail::add_quantiles(m.network_figures, {"aggregation", "building_s"}, building.network);
  detail::add_quantiles(m.network_figures, {"aggregation", "verification_s"}, verification.network);
  s.push_back(text_section("summary", "Summary", kAggregationSummaryText));
  s.back().tables.push_back(table);

  m.findings = slow_verification_findings(verification_p95, "aggregated signature verification", m.devnet, ratio,
                                          kMinClientsCompared);
  s.push_back(text_section("findings", "Findings", kAggregationFindingsText));
  s.back().findings = true;

  std::string health;
  if (building.network.p95) {
    health = fmt::format("building p95 {} network-wide", format_seconds(*building.network.p95));
  } else if (verification.network.p95) {
    health = fmt::format("aggregated verification p95 {} network-wide", format_seconds(*verification.network.p95));
  } else {
    health = "no aggregation timing data";
  }
  if (any_built && window_slots > 0) {
    health += fmt::format("; {} aggregates per slot across clients", format_fixed(built_total / window_slots, 2));
  }
  if (!m.findings.empty()) {
    health += fmt::format("; {} slow {}", m.findings.size(), m.findings.size() == 1 ? "client" : "clients");
  }
  m.health = std::move(health);
  return m;
}

ReportDefinition aggregation_report() {
  ReportDefinition r;
  r.id = "aggregation";
  r.title = "Aggregation performance";
  r.description =
      "Signatures included in aggregates, aggregation building and aggregated verification time, aggregates built "
      "and verified per slot, and slow aggregated verification.";
  r.datasets = {"pq_signature_metrics", std::string(kAggregationHistograms), std::string(kAggregationTiming),
                std::string(kValidators)};
  // slow_verification.ratio is declared by pq-signatures (one key for both).
  r.analyse = analyse_aggregation;
  return r;
}

}  // namespace leanscope::analysis
