// The networking report page (docs/GUIDE.md, "Networking") from a finished analysis.
#pragma once

#include <string>

#include "analysis/networking.h"
#include "report/reports.h"

namespace leanscope::report {

// The section titles, in page order (also the order of the reference notebook).
[[nodiscard]] const std::vector<std::string>& networking_section_titles();

// The whole self-contained HTML page.
[[nodiscard]] std::string networking_page_html(const analysis::NetworkingAnalysis& analysis,
                                               const PageContext& context);

}  // namespace leanscope::report
