// The PQ signature performance report (pq-signatures.html): attestation and
// aggregated signature counters, signing and verification time, which client
// is slow, and the findings slow_verification and invalid_signatures. Also
// the PQ signature counters as the aggregation report reads them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/devnet_data.h"
#include "analysis/finding.h"
#include "analysis/model.h"
#include "analysis/registry.h"

namespace leanscope::analysis {

// The counters of pq_signature_metrics by their current name (the dataset
// maps the older prefix lean_pq_signature_ to these).
inline constexpr std::string_view kAttestationSignatures = "lean_pq_sig_attestation_signatures_total";
inline constexpr std::string_view kAttestationSignaturesValid = "lean_pq_sig_attestation_signatures_valid_total";
inline constexpr std::string_view kAttestationSignaturesInvalid = "lean_pq_sig_attestation_signatures_invalid_total";
inline constexpr std::string_view kAggregatedSignatures = "lean_pq_sig_aggregated_signatures_total";
inline constexpr std::string_view kAggregatedSignaturesValid = "lean_pq_sig_aggregated_signatures_valid_total";
inline constexpr std::string_view kAggregatedSignaturesInvalid = "lean_pq_sig_aggregated_signatures_invalid_total";
inline constexpr std::string_view kAttestationsInAggregates = "lean_pq_sig_attestations_in_aggregated_signatures_total";

// The PQ signature counters of a devnet, per client and metric: each
// client's series of one metric (several instances, a renamed instance
// continued), with reset-aware figures over the devnet's window.
class PqCounters {
 public:
  explicit PqCounters(const DevnetData& data);

  [[nodiscard]] bool has(const std::string& client, std::string_view metric) const;
  // Sum of the increases inside the window (the first sample is the
  // baseline; a drop is a restart whose new value is the increase); nullopt
  // when the client has no series of the metric.
  [[nodiscard]] std::optional<double> total(const std::string& client, std::string_view metric) const;
  // Cumulative increase since the first sample, broken where a series reset.
  [[nodiscard]] TimeSeries cumulative(const std::string& client, std::string_view metric) const;
  // Increase per `per_ms` of elapsed time between samples (4000: per slot;
  // 1000: per second), summed over the client's series.
  [[nodiscard]] TimeSeries rate(const std::string& client, std::string_view metric, double per_ms) const;
  // The first and last end times of the intervals in which the counter
  // increased; nullopt when it never did.
  [[nodiscard]] std::optional<std::pair<TimeMs, TimeMs>> increase_span(const std::string& client,
                                                                       std::string_view metric) const;

 private:
  [[nodiscard]] std::vector<const archive::Samples*> of(const std::string& client, std::string_view metric) const;
  std::map<std::string, std::map<std::string, std::vector<archive::Samples>, std::less<>>> series_;
};

// slow_verification: a client whose devnet p95 (seconds) is at least `ratio`
// times the median p95 of the OTHER clients with data; nothing unless at
// least `min_clients` clients have data. `what` names the metric in the
// detail ("attestation verification").
[[nodiscard]] std::vector<Finding> slow_verification_findings(
    const std::map<std::string, std::optional<double>>& p95_by_client, std::string_view what,
    const archive::Devnet& devnet, double ratio, double min_clients);

// invalid_signatures: every client whose attestation or aggregated
// `…_invalid_total` counter increased inside the window.
[[nodiscard]] std::vector<Finding> invalid_signature_findings(const PqCounters& counters,
                                                              const std::vector<std::string>& clients,
                                                              const archive::Devnet& devnet);

[[nodiscard]] Result<ReportModel> analyse_pq_signatures(const DevnetData& data);
[[nodiscard]] ReportDefinition pq_signatures_report();

}  // namespace leanscope::analysis
