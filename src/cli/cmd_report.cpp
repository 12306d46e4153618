// leanscope render: the static site from the archive (report/site.h).
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/output.h"
#include "demo/sync.h"
#include "report/site.h"

namespace leanscope::cli {

namespace {
struct RenderFlags {
  std::string devnet;
  std::string out = "site";
  bool force = false;
  std::string data_dir = "data";
  bool no_wait = false;
};

int run_render(const RenderFlags& flags) {
  report::RenderOptions options;
  options.data_dir = flags.data_dir;
  options.out = flags.out;
  options.devnet = flags.devnet;
  options.force = flags.force;
  options.log = [](std::string_view line) { progress(line); };
  auto settings = finding_settings();
  if (!settings) return usage_error(settings.error());
  options.settings = std::move(settings).value();
  auto lock = lock_for_writing(flags.out, flags.no_wait);
  if (!lock) return fail(lock.error());
  auto summary = report::render_site(options);
  if (!summary) return fail(summary.error());
  demo::SyncSummary counts;
  counts.render_ran = true;
  counts.pages_written = static_cast<int>(summary->written.size());
  counts.pages_skipped = static_cast<int>(summary->skipped.size());
  counts.pages_failed = static_cast<int>(summary->failed.size());
  progress(fmt::format("render: {}; open {}", demo::format_sync_summary(counts),
                       (std::filesystem::path(flags.out) / "index.html").string()));
  if (!summary->failed.empty()) {
    for (std::size_t i = 1; i < summary->failed.size(); ++i) progress("leanscope: " + summary->failed[i]);
    return fail(summary->failed.front());
  }
  return kExitOk;
}
}  // namespace

void add_report_commands(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<RenderFlags>();
  auto* sub =
      app.add_subcommand("render", "Write the static site: index, devnet overviews, networking reports, data page");
  sub->add_option("--devnet", flags->devnet, "Devnet id, 'latest' or 'all'")->required()->check(devnet_validator());
  sub->add_option("--out", flags->out, "Site folder")->capture_default_str();
  sub->add_flag("--force", flags->force, "Rewrite pages whose inputs are unchanged");
  sub->add_option("--data-dir", flags->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  add_no_wait_flag(*sub, flags->no_wait);
  sub->callback([&dispatch, flags] { dispatch.action = [flags] { return run_render(*flags); }; });
}

}  // namespace leanscope::cli
