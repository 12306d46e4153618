// The HTML tables of the reports and the one-line health of a devnet.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/finding.h"
#include "analysis/model.h"
#include "report/detail/chart_data.h"

namespace leanscope::report::detail {

// How much a finding kind matters, for its colour: "crit" (a client cut off,
// the network not finalizing, a process killed), "warn" (worth a look) or
// "info" (about the data rather than the devnet).
[[nodiscard]] std::string_view severity(std::string_view kind);
// The worst severity of `findings` as the index colours a devnet: "ok"
// (none), "info", "warn" or "crit".
[[nodiscard]] std::string_view health_level(const std::vector<analysis::Finding>& findings);

// The findings as a table, or "No incidents found". Row i has
// id="finding-<i>"; chart_links[i] (when given and not "") links it to the
// chart that draws it.
void append_findings(std::string& out, const std::vector<analysis::Finding>& findings,
                     std::span<const std::string> chart_links = {});

// Whether the section draws the finding (analysis::Section::finding_kinds;
// a kind no section names goes on every per-client time section).
[[nodiscard]] bool section_draws(const analysis::ReportModel& m, const analysis::Section& s,
                                 const analysis::Finding& f);
// A time-chart section as the report page draws it (the devnet overview
// draws its small charts with it too); `bytes`, when given, adds its chart
// data's.
void append_time_charts(std::string& out, const analysis::ReportModel& m, const analysis::Section& s,
                        std::size_t buckets, ChartBytes* bytes = nullptr);
// A section's every client in one panel (a line per client, labelled by
// client), for the overview's small charts.
[[nodiscard]] analysis::Section overlaid(const analysis::Section& s);

// Per finding, "#<section>-<panel>": the first chart that draws it ("" = none).
[[nodiscard]] std::vector<std::string> finding_anchors(const analysis::ReportModel& m);

// "2 isolated, 1 restart" or "no incidents".
[[nodiscard]] std::string health_line(const std::vector<analysis::Finding>& findings);

}  // namespace leanscope::report::detail
