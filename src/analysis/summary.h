// The summary of one devnet in the three formats of `leanscope summary`,
// from the models of every report (registry.h): one computation for the
// pages, `summary`, `compare` and `check`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analysis/registry.h"

namespace leanscope::analysis {

// The JSON object of docs/GUIDE.md, "The summary": {"devnet":{..},"clients":
// {"<client>":{..figures of every report..}},"findings":[..],"network":{..}}
// (one line, or indented).
[[nodiscard]] std::string summary_json(const DevnetAnalysis& analysis, bool pretty = false);
// An aligned table per report, for the terminal; `report` limits it to one.
[[nodiscard]] std::string summary_table(const DevnetAnalysis& analysis, std::optional<std::string_view> report = {});
// One row per client, every figure a column named by its path joined by
// '_' ("peers_avg"), RFC 4180.
[[nodiscard]] std::string summary_csv(const DevnetAnalysis& analysis);

// Every report's findings, by start time.
[[nodiscard]] std::vector<Finding> all_findings(const DevnetAnalysis& analysis);
// Every client's figures merged across reports, under each report's key.
[[nodiscard]] std::map<std::string, Figures> client_figures(const DevnetAnalysis& analysis);
// Network-wide figures merged across reports.
[[nodiscard]] Figures network_figures(const DevnetAnalysis& analysis);

}  // namespace leanscope::analysis
