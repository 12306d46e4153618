// leanscope summary: the per-client figures and findings of one devnet, as a
// terminal table, JSON or CSV (docs/GUIDE.md, "The summary").
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>

#include "analysis/networking.h"
#include "analysis/summary.h"
#include "archive/devnets.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace leanscope::cli {

namespace {
struct SummaryFlags {
  std::string devnet = "latest";
  std::string format = "table";
  std::string data_dir = "data";
  bool compact = false;
};

int run_summary(const SummaryFlags& flags) {
  auto file = archive::load_devnets(flags.data_dir);
  if (!file) return fail(file.error());
  auto selected = archive::select_devnets(*file, flags.devnet, /*allow_all=*/false);
  if (!selected) return fail(selected.error());
  auto result = analysis::analyse_networking(flags.data_dir, selected->front());
  if (!result) return fail(result.error());
  const auto& datasets = result->datasets;
  if (std::none_of(datasets.begin(), datasets.end(), [](const auto& d) { return d.present; })) {
    // Still a summary (every figure null), but the reader should know why.
    progress(fmt::format("leanscope: warning: no datasets archived for {} in {} (run 'leanscope fetch --devnet {}')",
                         result->devnet.id, flags.data_dir, result->devnet.id));
  }
  if (flags.format == "json") {
    fmt::print("{}\n", analysis::summary_json(*result, !flags.compact));
  } else if (flags.format == "csv") {
    fmt::print("{}", analysis::summary_csv(*result));
  } else {
    fmt::print("{}", analysis::summary_table(*result));
  }
  return kExitOk;
}
}  // namespace

void add_summary_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<SummaryFlags>();
  auto* sub = app.add_subcommand("summary", "Print the summary of one devnet (table, JSON or CSV)");
  sub->add_option("--devnet", flags->devnet, "Devnet id, or 'latest'")->capture_default_str();
  sub->add_option("--format", flags->format, "Output format: table, json or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_flag("--compact", flags->compact, "JSON on one line");
  sub->add_option("--data-dir", flags->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  sub->callback([&dispatch, flags] { dispatch.action = [flags] { return run_summary(*flags); }; });
}

}  // namespace leanscope::cli
