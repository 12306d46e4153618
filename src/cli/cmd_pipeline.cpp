// leanscope sync (detect + fetch + render) and leanscope demo (the whole
// pipeline on a local Prometheus loaded with a simulated devnet).
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/detect_options.h"
#include "cli/output.h"
#include "cli/prom_options.h"
#include "common/time.h"
#include "demo/demo.h"
#include "demo/process.h"
#include "demo/sync.h"

namespace leanscope::cli {

namespace {

constexpr int kExitInterrupted = 130;

// ---- sync -----------------------------------------------------------------

struct SyncFlags {
  PromOptions prom;
  std::string data_dir = "data";
  std::string out = "site";
  std::string devnet = "latest";
  bool force = false;
  bool no_wait = false;
  DetectOptions detect;  // detect's window and settings, with detect's defaults
};

void print_failures(const demo::SyncSummary& summary);

int run_sync_command(const SyncFlags& f) {
  auto params = make_detect_params(f.detect, f.prom.selector, now_ms());
  if (!params) return usage_error(params.error());
  auto config = make_client_config(f.prom);
  if (!config) return usage_error(config.error());
  demo::SyncOptions options;
  options.prometheus = std::move(*config);
  options.detect = std::move(*params);
  options.data_dir = f.data_dir;
  options.out = f.out;
  options.devnet = f.devnet;
  options.force = f.force;
  auto settings = finding_settings();
  if (!settings) return usage_error(settings.error());
  options.settings = std::move(settings).value();
  options.progress = [](std::string_view line) { progress(line); };
  // The data folder first, then the site: every writer takes them in this order.
  auto data_lock = lock_for_writing(f.data_dir, f.no_wait);
  if (!data_lock) return fail(data_lock.error());
  auto site_lock = lock_for_writing(f.out, f.no_wait);
  if (!site_lock) return fail(site_lock.error());
  auto summary = demo::run_sync(options);
  // The summary is the command's result: stdout, for a cron mail or a CI log.
  fmt::print("sync: {}\n", demo::format_sync_summary(summary));
  std::fflush(stdout);
  if (summary.ok()) return kExitOk;
  print_failures(summary);
  return fail(fmt::format("sync: {} step{} failed", summary.failures.size(), summary.failures.size() == 1 ? "" : "s"));
}

void add_sync_command(CLI::App& app, Dispatch& dispatch) {
  auto f = std::make_shared<SyncFlags>();
  auto* sub = app.add_subcommand(
      "sync", "detect + fetch + render in one go (for cron or CI); non-zero exit when a step failed");
  sub->add_option("--devnet", f->devnet, "Devnets to fetch and render: an id, latest or all")
      ->capture_default_str()
      ->check(devnet_validator());
  sub->add_option("--out", f->out, "Site folder")->capture_default_str();
  sub->add_flag("--force", f->force, "Fetch and render again even when unchanged");
  sub->add_option("--data-dir", f->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  add_no_wait_flag(*sub, f->no_wait);
  add_detect_options(*sub, f->detect, "detect: ");
  add_prom_options(*sub, f->prom);
  sub->callback([&dispatch, f] { dispatch.action = [f] { return run_sync_command(*f); }; });
}

// ---- demo -----------------------------------------------------------------

struct DemoFlags {
  std::string out = "demo";
  std::string data_dir;  // empty: DIR/data
  bool no_prometheus = false;
  std::uint64_t seed = demo::DemoOptions{}.seed;
};

void print_failures(const demo::SyncSummary& summary) {
  for (const auto& failure : summary.failures) progress(fmt::format("leanscope: failed: {}", failure));
}

void add_demo_command(CLI::App& app, Dispatch& dispatch) {
  auto flags = std::make_shared<DemoFlags>();
  auto* sub = app.add_subcommand(
      "demo",
      "The whole pipeline on a local Prometheus loaded with a simulated devnet: simulate, backfill with promtool, "
      "detect, fetch, render. A second run reuses what is there.");
  sub->add_option("--out", flags->out, "Folder for everything the demo makes (site in DIR/site)")
      ->capture_default_str()
      ->type_name("DIR");
  sub->add_option("--data-dir", flags->data_dir, "The archive (default: DIR/data)")->type_name("DIR");
  sub->add_flag("--no-prometheus", flags->no_prometheus,
                "Skip Prometheus even when installed: the simulator writes the archive directly");
  sub->add_option("--seed", flags->seed, "Seed of the simulated devnet")->capture_default_str();
  sub->callback([&dispatch, flags] {
    dispatch.action = [flags] {
      demo::DemoOptions options;
      options.out = flags->out;
      options.data_dir = flags->data_dir;
      options.use_prometheus = !flags->no_prometheus;
      options.seed = flags->seed;
      options.progress = [](std::string_view line) { progress(line); };
      auto result = demo::run_demo(options);
      if (!result.ok()) {
        if (demo::interrupted()) {
          progress("leanscope: demo interrupted; nothing is left running");
          return kExitInterrupted;
        }
        return fail(result.error());
      }
      progress(fmt::format("demo: {}", demo::format_sync_summary(result->sync)));
      print_failures(result->sync);
      // --data-dir too: the data page links to the archive beside the site.
      // The command works when pasted: this binary's path unless it is on PATH.
      fmt::print("Site: {}\n", result->site_index.string());
      fmt::print("Serve it: {} serve --site {} --data-dir {}\n", leanscope_command(),
                 shell_quote(result->site.string()), shell_quote(result->data_dir.string()));
      std::fflush(stdout);
      return result->sync.ok() ? kExitOk : kExitFailure;
    };
  });
}

}  // namespace

void add_pipeline_commands(CLI::App& app, Dispatch& dispatch) {
  add_sync_command(app, dispatch);
  add_demo_command(app, dispatch);
}

}  // namespace leanscope::cli
