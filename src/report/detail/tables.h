// The HTML tables of the reports and the one-line health of a devnet.
#pragma once

#include <string>
#include <vector>

#include "analysis/networking.h"

namespace leanscope::report::detail {

// Clients with their versions (lean_node_info), as a compact table.
void append_client_versions(std::string& out, const analysis::NetworkingAnalysis& a);
// Final valid/invalid attestations per source per client.
void append_attestation_table(std::string& out, const analysis::NetworkingAnalysis& a);
// Per client: peers, coverage, attestations, bandwidth.
void append_summary_table(std::string& out, const analysis::NetworkingAnalysis& a);
// The findings as a table, or "No incidents found."
void append_findings(std::string& out, const std::vector<analysis::Finding>& findings);

// "2 isolated, 1 restart" or "no incidents".
[[nodiscard]] std::string health_line(const std::vector<analysis::Finding>& findings);

}  // namespace leanscope::report::detail
