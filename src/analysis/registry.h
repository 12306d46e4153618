// The registry of reports. A report is declarative: its id, title and
// description, the datasets it reads (the only ones its analysis can see,
// and the inputs that decide whether its page must be rendered again), and
// an analysis from those datasets to a generic model (model.h). Adding a
// report is its dataset entries, its analysis file, and one line in
// registry.cpp (or a register_report call, as tests do).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/devnet_data.h"
#include "analysis/model.h"
#include "common/error.h"

namespace leanscope::analysis {

struct ReportDefinition {
  std::string id;           // the page is SITE/<devnet>/<id>.html
  std::string title;        // "Networking"
  std::string description;  // one sentence for the overview
  std::vector<std::string> datasets;
  // Of `datasets`, those its analysis changes in place (DevnetData::take:
  // chained, trimmed). It is analysed after the other reports that read
  // them, so that it takes them without a copy (analysis_order).
  std::vector<std::string> takes;
  // The thresholds of its findings that leanscope.toml may set.
  std::vector<SettingSpec> settings;
  std::function<Result<ReportModel>(const DevnetData&)> analyse;
};

// Every report, in navigation order.
[[nodiscard]] const std::vector<ReportDefinition>& reports();
[[nodiscard]] const ReportDefinition* find_report(std::string_view id);
// Adds a report after the built-in ones (its id must be new).
[[nodiscard]] Status register_report(ReportDefinition report);
// Removes a report register_report added (a test's own report, so that no
// other test sharing the process sees it); built-in reports stay. Pointers
// to reports registered after it are invalidated.
[[nodiscard]] Status unregister_report(std::string_view id);

// Every dataset the given reports read, each once, in first-use order.
[[nodiscard]] std::vector<std::string> datasets_of(const std::vector<const ReportDefinition*>& reports);

// The order analyse_devnet runs `reports` in (indices into it): each report
// after every other report that reads, without taking, a dataset it takes;
// otherwise the last given first. Where two reports take one dataset, the
// one run first takes a copy.
[[nodiscard]] std::vector<std::size_t> analysis_order(const std::vector<const ReportDefinition*>& reports);

// The analyses of one devnet: each report's model, from one load of the
// datasets they read together.
struct DevnetAnalysis {
  std::vector<ReportModel> models;  // in the order of `reports`
};
// Reports run in analysis_order; `models` keep the order of `reports`.
// `on_model`, when given, is called with each model as soon as it is made
// (its index in `reports`), on a second thread while the next report reads
// and analyses, one call at a time in analysis order, the last finished
// before this returns: a caller that draws the page there and then drops
// the model's chart data (drop_chart_data) draws on the other core and never
// holds every report's charts at once. An error it returns (or an exception
// it throws) ends the analysis.
using OnModel = std::function<Status(std::size_t report, ReportModel& model)>;
// An OnModel for callers that read summaries only: drop_chart_data.
[[nodiscard]] Status drop_charts_of_model(std::size_t report, ReportModel& model);
[[nodiscard]] Result<DevnetAnalysis> analyse_devnet(const std::filesystem::path& data_dir,
                                                    const archive::Devnet& devnet,
                                                    const std::vector<const ReportDefinition*>& reports,
                                                    const archive::DetectionThresholds& thresholds = {},
                                                    const Settings& settings = {}, const OnModel& on_model = {});
// Every registered report.
[[nodiscard]] std::vector<const ReportDefinition*> all_reports();
// Every setting of every report, in registry order.
[[nodiscard]] std::vector<SettingSpec> all_settings();

}  // namespace leanscope::analysis
