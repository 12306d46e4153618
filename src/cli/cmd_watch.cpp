// leanscope watch: keeps the running devnet current and serves the site live.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/detect_options.h"
#include "cli/output.h"
#include "cli/prom_options.h"
#include "common/time.h"
#include "serve/server.h"
#include "watch/watch.h"

namespace leanscope::cli {

namespace {

struct WatchFlags {
  PromOptions prom;
  std::string data_dir = "data";
  std::string out = "site";
  std::string host = "127.0.0.1";
  int port = 8080;
  double interval_seconds = 60;
  int days = 2;
  double stale_after_minutes = 10;
  int cycles = 0;
  bool no_serve = false;
  bool no_wait = false;
};

int run_watch_command(const WatchFlags& f) {
  DetectOptions detect;
  detect.days = f.days;
  auto params = make_detect_params(detect, f.prom.selector, now_ms());
  if (!params) return usage_error(params.error());
  auto config = make_client_config(f.prom);
  if (!config) return usage_error(config.error());
  auto settings = finding_settings();
  if (!settings) return usage_error(settings.error());

  watch::WatchOptions options;
  options.sync.prometheus = std::move(*config);
  options.sync.detect = std::move(*params);
  options.sync.data_dir = f.data_dir;
  options.sync.out = f.out;
  options.sync.settings = std::move(settings).value();
  options.sync.progress = [](std::string_view line) { progress(line); };
  options.days = f.days;
  options.interval = std::chrono::milliseconds(std::llround(f.interval_seconds * 1000));
  options.stale_after_ms = static_cast<TimeMs>(std::llround(f.stale_after_minutes * 60'000));
  options.serve = !f.no_serve;
  options.server.host = f.host;
  options.server.port = f.port;
  options.server.data_dir = f.data_dir;
  options.cycles = f.cycles;
  options.no_wait = f.no_wait;
  options.on_ready = [&f](const std::string& url) {
    if (!url.empty()) {
      if (!serve::is_loopback_host(f.host)) {
        progress(fmt::format("leanscope: warning: listening on {}: the site is reachable from other machines", f.host));
      }
      fmt::print("Serving {} at {} (Ctrl-C to stop)\n", f.out, url);
    }
    fmt::print("Watching every {} s; a devnet with data in the last {} min is running\n", f.interval_seconds,
               f.stale_after_minutes);
    std::fflush(stdout);
  };
  auto result = watch::run_watch(options);
  if (!result) return fail(result.error());
  progress(fmt::format("watch: stopped after {} cycle{} ({} with failures)", result->cycles,
                       result->cycles == 1 ? "" : "s", result->failed_cycles));
  if (result->interrupted) return kExitOk;
  return result->failed_cycles == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void add_watch_command(CLI::App& app, Dispatch& dispatch) {
  auto f = std::make_shared<WatchFlags>();
  auto* sub = app.add_subcommand(
      "watch",
      "Keep the running devnet current and serve the site live: every interval detect, fetch the new tail, "
      "render; open pages update without a reload. Ctrl-C stops it, leaving a complete archive");
  sub->add_option("--interval", f->interval_seconds, "Seconds from one cycle's start to the next")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0))
      ->type_name("S");
  sub->add_option("--days", f->days, "Detect devnets over the last N days")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  sub->add_option("--stale-after", f->stale_after_minutes,
                  "Minutes without new data after which the newest devnet counts as ended")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 100000.0))
      ->type_name("MIN");
  sub->add_option("--out", f->out, "Site folder (rendered and served)")->capture_default_str();
  sub->add_option("--host", f->host, "Address to serve on (loopback unless you mean to share it)")
      ->capture_default_str()
      ->check(check_listen_host);
  sub->add_option("--port", f->port, "Port to serve on; 0 picks a free one")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  sub->add_flag("--no-serve", f->no_serve, "Keep the site current without serving it");
  sub->add_option("--cycles", f->cycles, "Stop after N cycles (0: until Ctrl-C)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  sub->add_option("--data-dir", f->data_dir, "Data folder (devnets.json and the archive)")->capture_default_str();
  add_no_wait_flag(*sub, f->no_wait);
  add_prom_options(*sub, f->prom);
  sub->callback([&dispatch, f] { dispatch.action = [f] { return run_watch_command(*f); }; });
}

}  // namespace leanscope::cli
