// The HTML tables of the reports and the one-line health of a devnet.
#pragma once

#include <string>
#include <vector>

#include "analysis/finding.h"

namespace leanscope::report::detail {

// The findings as a table, or "No incidents found."
void append_findings(std::string& out, const std::vector<analysis::Finding>& findings);

// "2 isolated, 1 restart" or "no incidents".
[[nodiscard]] std::string health_line(const std::vector<analysis::Finding>& findings);

}  // namespace leanscope::report::detail
