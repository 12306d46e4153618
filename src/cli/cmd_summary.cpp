// leanscope summary: the per-client figures and findings of one devnet, as a
// terminal table, JSON (PRODUCT.md section 6) or CSV.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "archive/devnets.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace leanscope::cli {

namespace {
struct SummaryFlags {
  std::string devnet;
  std::string format = "table";
  std::string data_dir = "data";
};

int run_summary(const SummaryFlags& flags) {
  auto file = archive::load_devnets(flags.data_dir);
  if (!file) return fail(file.error());
  auto selected = archive::select_devnets(*file, flags.devnet, /*allow_all=*/false);
  if (!selected) return fail(selected.error());
  return fail("summary: the networking analysis has not landed yet");
}
}  // namespace

void add_summary_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<SummaryFlags>();
  auto* sub = app.add_subcommand("summary", "Print the summary of one devnet (table, JSON or CSV)");
  sub->add_option("--devnet", flags->devnet, "Devnet id, or 'latest'")->required();
  sub->add_option("--format", flags->format, "Output format: table, json or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_option("--data-dir", flags->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  sub->callback([&dispatch, flags] { dispatch.action = [flags] { return run_summary(*flags); }; });
}

}  // namespace leanscope::cli
