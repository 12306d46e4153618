// The PQ signature performance report: counters of attestation and
// aggregated signatures, signing and verification time (detail/timing.h),
// the p95 comparison, the summary and the findings.
#include "analysis/pq_signatures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "analysis/detail/timing.h"
#include "common/units.h"

namespace leanscope::analysis {

namespace {

constexpr std::string_view kPqHistograms = "pq_signature_histograms";
constexpr std::string_view kPqTiming = "pq_signature_timing";
constexpr double kDefaultSlowRatio = 3;
constexpr double kMinClientsCompared = 3;

constexpr std::string_view kAttestationText =
    "Cumulative attestation signatures each client produced, and the attestation signatures it verified as valid "
    "or invalid (the per-attestation counters lean_pq_sig_attestation_signatures_*), as reset-aware increases since "
    "the first sample: a restart does not lower the line, which breaks where a counter reset.";
constexpr std::string_view kAggregatedText =
    "Cumulative aggregated signatures (lean_pq_sig_aggregated_signatures_*): built in total, and verified as valid "
    "or invalid, as reset-aware increases since the first sample.";
constexpr std::string_view kCountsText =
    "Totals over the devnet's window: the sum of each counter's increases (the first sample in the window is the "
    "baseline; after a restart the new value is the increase), never a counter's last or largest value.";
constexpr std::string_view kSigningText =
    "Time to sign one attestation (lean_pq_sig_attestation_signing_time_seconds).";
constexpr std::string_view kVerificationText =
    "Time to verify one attestation signature (lean_pq_sig_attestation_verification_time_seconds).";
constexpr const char* kComparisonText =  // {}: the ratio
    "Every client's p95 of signing and verification over the whole devnet, side by side: the client that is slow "
    "stands out. A client whose verification p95 is at least {} times the median of the other clients' is a "
    "slow_verification finding.";
constexpr std::string_view kExportedText =
    "Which PQ signature metrics each client exported in this devnet. Each metric is read under both prefixes, "
    "lean_pq_sig_ and the older lean_pq_signature_, and counted as one.";
constexpr std::string_view kPqSummaryText =
    "Per client over the devnet's window: quantiles of the whole devnet's distribution (milliseconds) and "
    "reset-aware counter totals.";
constexpr std::string_view kPqFindingsText =
    "Clients whose attestation verification p95 is far above the other clients' (slow_verification), and clients "
    "that counted invalid PQ signatures (invalid_signatures).";

Section counter_chart(const PqCounters& counters, const std::vector<std::string>& clients, std::string_view id,
                      std::string_view title, std::string_view text,
                      const std::vector<std::pair<std::string, std::string_view>>& lines) {
  Section s = text_section(id, title, text);
  s.unit = Unit::Count;
  s.ylabel = "Signatures";
  for (const auto& c : clients) {
    Panel p{c, {}, {}, {}};
    for (const auto& [label, metric] : lines) {
      if (counters.has(c, metric)) p.lines.push_back({label, counters.cumulative(c, metric)});
    }
    s.panels.push_back(std::move(p));
  }
  return s;
}

std::string count_or_dash(const std::optional<double>& v) { return v ? format_count(*v) : std::string("–"); }

const std::vector<std::string_view>& counter_metrics() {
  static const std::vector<std::string_view> kMetrics{kAttestationSignatures,        kAttestationSignaturesValid,
                                                      kAttestationSignaturesInvalid, kAggregatedSignatures,
                                                      kAggregatedSignaturesValid,    kAggregatedSignaturesInvalid};
  return kMetrics;
}

Table counts_table(const PqCounters& counters, const std::vector<std::string>& clients) {
  Table t;
  t.css_class = "pq-counts";
  t.columns.push_back({"Client", false});
  for (const char* h : {"Attestation signatures", "Valid", "Invalid", "Aggregated", "Agg. valid", "Agg. invalid"}) {
    t.columns.push_back({h});
  }
  for (const auto& c : clients) {
    std::vector<std::string> row{c};
    for (auto m : counter_metrics()) row.push_back(count_or_dash(counters.total(c, m)));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table exported_table(const DevnetData& data, const PqCounters& counters, const detail::Timing& signing,
                     const detail::Timing& verification) {
  Table t;
  t.css_class = "exported";
  t.columns = {{"Client", false},
               {"Attestation signature counters", false},
               {"Aggregated signature counters", false},
               {"Signing time", false},
               {"Verification time", false}};
  const auto yes = [](bool b) { return std::string(b ? "yes" : "–"); };
  for (const auto& c : data.clients()) {
    t.rows.push_back({c,
                      yes(counters.has(c, kAttestationSignatures) || counters.has(c, kAttestationSignaturesValid) ||
                          counters.has(c, kAttestationSignaturesInvalid)),
                      yes(counters.has(c, kAggregatedSignatures) || counters.has(c, kAggregatedSignaturesValid) ||
                          counters.has(c, kAggregatedSignaturesInvalid)),
                      yes(signing.clients.at(c).has_data()), yes(verification.clients.at(c).has_data())});
  }
  return t;
}

}  // namespace

Result<ReportModel> analyse_pq_signatures(const DevnetData& data) {
  ReportModel m;
  m.id = "pq-signatures";
  m.title = "PQ signature performance";
  m.devnet = data.devnet();
  m.clients = data.clients();
  m.versions = data.versions();
  m.figures_key = "pq_signatures";

  const PqCounters counters(data);
  auto signing =
      detail::timing_sections(data, {kPqHistograms, kPqTiming, "signing", "signing", "Signing time", kSigningText});
  auto verification = detail::timing_sections(
      data, {kPqHistograms, kPqTiming, "verification", "verification", "Verification time", kVerificationText});
  if (signing.from_quantile_series || verification.from_quantile_series) {
    m.notes.emplace_back(detail::kQuantileSeriesNote);
  }
  const bool any_data = std::any_of(m.clients.begin(), m.clients.end(), [&](const std::string& c) {
    return std::any_of(counter_metrics().begin(), counter_metrics().end(),
                       [&](std::string_view metric) { return counters.has(c, metric); });
  });
  if (!any_data && !signing.network.has_data() && !verification.network.has_data()) {
    m.notes.emplace_back("This devnet's archive has no PQ signature metrics: every section is empty.");
  }

  const double ratio = data.setting("slow_verification.ratio", kDefaultSlowRatio);
  auto& s = m.sections;
  s.push_back(counter_chart(counters, m.clients, "attestation-signatures", "Attestation signatures", kAttestationText,
                            {{"produced", kAttestationSignatures},
                             {"valid", kAttestationSignaturesValid},
                             {"invalid", kAttestationSignaturesInvalid}}));
  s.push_back(counter_chart(counters, m.clients, "aggregated-signatures", "Aggregated signatures", kAggregatedText,
                            {{"total", kAggregatedSignatures},
                             {"valid", kAggregatedSignaturesValid},
                             {"invalid", kAggregatedSignaturesInvalid}}));
  s.push_back(text_section("signature-counts", "Signature counts", kCountsText));
  s.back().tables.push_back(counts_table(counters, m.clients));
  s.insert(s.end(), std::make_move_iterator(signing.sections.begin()), std::make_move_iterator(signing.sections.end()));
  signing.sections.clear();  // moved from; the quantiles stay for the tables below
  s.insert(s.end(), std::make_move_iterator(verification.sections.begin()),
           std::make_move_iterator(verification.sections.end()));
  verification.sections.clear();  // moved from; the quantiles stay for the tables below
  s.push_back(detail::p95_comparison(
      "p95-comparison", "Which client is slow: devnet p95",
      fmt::format(fmt::runtime(kComparisonText), format_fixed(ratio, ratio == std::floor(ratio) ? 0 : 1)), m.clients,
      {{"Signing", &signing}, {"Verification", &verification}}));
  s.push_back(text_section("exported", "Metrics exported", kExportedText));
  s.back().tables.push_back(exported_table(data, counters, signing, verification));

  // Summary: figures in the contract's order, and the table.
  Table& table = m.summary_table;
  table.css_class = "summary";
  table.columns.push_back({"Client", false});
  for (const char* h : {"Signing p50 / p95 / p99", "Verification p50 / p95 / p99", "Att. signatures", "Att. valid",
                        "Att. invalid", "Aggregated", "Agg. valid", "Agg. invalid"}) {
    table.columns.push_back({h});
  }
  std::map<std::string, std::optional<double>> verification_p95;
  for (const auto& c : m.clients) {
    const auto& sq = signing.clients.at(c);
    const auto& vq = verification.clients.at(c);
    verification_p95[c] = vq.p95;
    Figures f;
    detail::add_quantiles(f, {"signing_s"}, sq);
    detail::add_quantiles(f, {"verification_s"}, vq);
    f.add({"attestation_signatures", "total"}, counters.total(c, kAttestationSignatures));
    f.add({"attestation_signatures", "valid"}, counters.total(c, kAttestationSignaturesValid));
    f.add({"attestation_signatures", "invalid"}, counters.total(c, kAttestationSignaturesInvalid));
    f.add({"aggregated", "total"}, counters.total(c, kAggregatedSignatures));
    f.add({"aggregated", "valid"}, counters.total(c, kAggregatedSignaturesValid));
    f.add({"aggregated", "invalid"}, counters.total(c, kAggregatedSignaturesInvalid));
    m.client_figures[c] = std::move(f);
    std::vector<std::string> row{c, detail::format_quantiles_ms(sq), detail::format_quantiles_ms(vq)};
    for (auto metric : counter_metrics()) row.push_back(count_or_dash(counters.total(c, metric)));
    table.rows.push_back(std::move(row));
  }
  detail::add_quantiles(m.network_figures, {"pq_signatures", "signing_s"}, signing.network);
  detail::add_quantiles(m.network_figures, {"pq_signatures", "verification_s"}, verification.network);
  s.push_back(text_section("summary", "Summary", kPqSummaryText));
  s.back().tables.push_back(table);

  m.findings =
      slow_verification_findings(verification_p95, "attestation verification", m.devnet, ratio, kMinClientsCompared);
  const auto invalid = invalid_signature_findings(counters, m.clients, m.devnet);
  m.findings.insert(m.findings.end(), invalid.begin(), invalid.end());
  std::stable_sort(m.findings.begin(), m.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.start < b.start; });
  s.push_back(text_section("findings", "Findings", kPqFindingsText));
  s.back().findings = true;

  std::string health;
  if (verification.network.p95) {
    health = fmt::format("verification p95 {} network-wide", format_seconds(*verification.network.p95));
  } else if (signing.network.p95) {
    health = fmt::format("signing p95 {} network-wide", format_seconds(*signing.network.p95));
  } else {
    health = "no PQ signature timing data";
  }
  const auto slow = std::count_if(m.findings.begin(), m.findings.end(),
                                  [](const Finding& f) { return f.kind == "slow_verification"; });
  if (slow > 0) health += fmt::format("; {} slow {}", slow, slow == 1 ? "client" : "clients");
  const bool any_counters = std::any_of(m.clients.begin(), m.clients.end(), [&](const std::string& c) {
    return counters.has(c, kAttestationSignaturesInvalid) || counters.has(c, kAggregatedSignaturesInvalid);
  });
  if (!invalid.empty()) {
    health += fmt::format("; invalid signatures at {} {}", invalid.size(), invalid.size() == 1 ? "client" : "clients");
  } else if (any_counters) {
    health += "; no invalid signatures";
  }
  m.health = std::move(health);
  return m;
}

ReportDefinition pq_signatures_report() {
  ReportDefinition r;
  r.id = "pq-signatures";
  r.title = "PQ signature performance";
  r.description =
      "Attestation and aggregated signature counts, signing and verification time per client and network-wide, "
      "which client is slow, and invalid signatures.";
  r.datasets = {"pq_signature_metrics", std::string(kPqHistograms), std::string(kPqTiming)};
  r.settings = {{"slow_verification.ratio", kDefaultSlowRatio,
                 "A client whose devnet p95 of attestation or aggregated signature verification is at least this "
                 "many times the median of the other clients' is slow."}};
  r.analyse = analyse_pq_signatures;
  return r;
}

}  // namespace leanscope::analysis
