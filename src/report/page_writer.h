// One page writer for every report: a report's generic model
// (analysis/model.h) becomes a self-contained page with the header, the
// sections with their explanations, panel grids with a shared time range and
// synchronised cursor, "No data available", tables and findings.
#pragma once

#include <string>

#include "analysis/model.h"
#include "report/page_context.h"

namespace leanscope::report {

[[nodiscard]] std::string report_page_html(const analysis::ReportModel& model, const PageContext& context);

}  // namespace leanscope::report
