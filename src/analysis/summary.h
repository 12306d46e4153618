// The summary of one devnet in the three formats of `leanscope summary`.
#pragma once

#include <string>

#include "analysis/networking.h"

namespace leanscope::analysis {

// The JSON object of docs/GUIDE.md, "The summary" (one line, or indented).
[[nodiscard]] std::string summary_json(const NetworkingAnalysis& analysis, bool pretty = false);
// An aligned table with human units, for the terminal.
[[nodiscard]] std::string summary_table(const NetworkingAnalysis& analysis);
// One row per client, RFC 4180.
[[nodiscard]] std::string summary_csv(const NetworkingAnalysis& analysis);

}  // namespace leanscope::analysis
