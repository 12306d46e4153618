// The report registry. A new report adds its analysis (src/analysis) and one
// entry here: its page, its title and the datasets it reads.
#include "report/reports.h"

#include "report/networking_page.h"

namespace leanscope::report {

namespace {
Result<ReportOutput> render_networking(const PageContext& context) {
  auto analysis = analysis::analyse_networking(context.data_dir, context.devnet);
  if (!analysis) return analysis.error();
  ReportOutput out;
  out.html = networking_page_html(*analysis, context);
  out.findings = analysis->findings;
  for (const auto& client : analysis->summary) {
    if (client.version) out.client_versions.emplace(client.client, *client.version);
  }
  return out;
}
}  // namespace

const std::vector<ReportKind>& report_kinds() {
  static const std::vector<ReportKind> kKinds{
      {"networking",
       "Networking",
       "Peers, peer coverage and churn, attestation arrivals, bandwidth against EIP-7870, and findings.",
       {"head_slot", "validators_count", "node_info", "network_peers", "peer_events", "attestation_metrics",
        "container_network"},
       render_networking},
  };
  return kKinds;
}

}  // namespace leanscope::report
