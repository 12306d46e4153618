// leanscope summary: the per-client figures and findings of one devnet, as a
// terminal table, JSON or CSV (docs/GUIDE.md, "The summary").
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "analysis/registry.h"
#include "analysis/summary.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/output.h"
#include "report/summary_cache.h"

namespace leanscope::cli {

namespace {
struct SummaryFlags {
  std::string devnet = "latest";
  std::string format = "table";
  std::string data_dir = "data";
  std::string site = "site";
  std::string report;
  bool compact = false;
};

int run_summary(const SummaryFlags& flags) {
  auto settings = finding_settings();
  if (!settings) return usage_error(settings.error());
  auto file = archive::load_devnets(flags.data_dir);
  if (!file) return fail(file.error());
  auto selected = archive::select_devnets(*file, flags.devnet, /*allow_all=*/false);
  if (!selected) return fail(selected.error());
  const auto& devnet = selected->front();
  if (!flags.report.empty() && analysis::find_report(flags.report) == nullptr) {
    std::string known;
    for (const auto* r : analysis::all_reports()) known += (known.empty() ? "" : ", ") + r->id;
    fmt::print(stderr, "leanscope: usage error: summary: unknown --report '{}' (reports: {})\n", flags.report, known);
    return kExitUsage;
  }
  auto manifest = archive::load_manifest(flags.data_dir);
  if (!manifest) return fail(manifest.error());
  const report::SummaryInputs inputs{flags.data_dir, &*manifest, file->thresholds, *settings};
  // After render, the record it cached beside the pages gives the same
  // output in milliseconds (a month of 64 clients takes seconds to analyse).
  auto result = report::devnet_summary_models(inputs, flags.site, devnet);
  if (!result) return fail(result.error());
  bool any = false;
  for (const auto& d : analysis::datasets_of(analysis::all_reports())) {
    std::error_code ec;
    if (std::filesystem::exists(archive::dataset_path(flags.data_dir, devnet.id, d), ec)) any = true;
  }
  if (!any) {
    // Still a summary (every figure null), but the reader should know why.
    progress(fmt::format("leanscope: warning: no datasets archived for {} in {} (run 'leanscope fetch --devnet {}')",
                         devnet.id, flags.data_dir, devnet.id));
  }
  if (flags.format == "json") {
    fmt::print("{}\n", analysis::summary_json(*result, !flags.compact));
  } else if (flags.format == "csv") {
    print_data(analysis::summary_csv(*result));
  } else {
    print_table(analysis::summary_table(
        *result, flags.report.empty() ? std::nullopt : std::optional<std::string_view>(flags.report)));
  }
  return kExitOk;
}
}  // namespace

void add_summary_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<SummaryFlags>();
  auto* sub = app.add_subcommand("summary", "Print the summary of one devnet (table, JSON or CSV)");
  sub->add_option("--devnet", flags->devnet, "Devnet id, or 'latest'")
      ->capture_default_str()
      ->check(devnet_validator());
  sub->add_option("--format", flags->format, "Output format: table, json or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_flag("--compact", flags->compact, "JSON on one line");
  sub->add_option("--report", flags->report, "Limit the table to one report (networking, consensus, ...)");
  sub->add_option("--data-dir", flags->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  sub->add_option("--site", flags->site, "Site folder whose cached summary is used when its inputs are unchanged")
      ->capture_default_str();
  sub->callback([&dispatch, flags] { dispatch.action = [flags] { return run_summary(*flags); }; });
}

}  // namespace leanscope::cli
