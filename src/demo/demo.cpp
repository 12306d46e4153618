#include "demo/demo.h"

#include <simdjson.h>

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <optional>
#include <system_error>

#include "archive/manifest.h"
#include "common/fs.h"
#include "demo/local_prometheus.h"
#include "demo/process.h"
#include "report/site.h"
#include "sim/simulator.h"

namespace leanscope::demo {
namespace fs = std::filesystem;

namespace {

constexpr TimeMs kMinute = 60'000;

class Steps {
 public:
  explicit Steps(const std::function<void(std::string_view)>& progress) : progress_(progress) {}
  void say(std::string_view line) const {
    if (progress_) progress_(fmt::format("demo: {}", line));
  }
  void begin(std::string_view what) {
    started_ = std::chrono::steady_clock::now();
    say(fmt::format("{} ...", what));
  }
  void end(std::string_view what) const {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    say(fmt::format("{} ({:.1f} s)", what, seconds));
  }

 private:
  const std::function<void(std::string_view)>& progress_;
  std::chrono::steady_clock::time_point started_{};
};

std::string ago(TimeMs ms) { return format_duration(std::max<TimeMs>(ms, 0)) + " ago"; }

// The folders a fresh simulation replaces. Only removed in a folder that holds
// a demo's truth.json, so `--out` pointed at a real archive never loses it.
Status clear_previous_run(const fs::path& out, const DemoPaths& paths) {
  std::error_code ec;
  for (const auto& p : {paths.tsdb, paths.data, paths.site, paths.backfilled_marker}) {
    if (p == paths.data && p != out / "data") continue;  // an archive the user named is never removed
    fs::remove_all(p, ec);
    if (ec) return make_error("{}: cannot remove the previous demo's files: {}", p.string(), ec.message());
  }
  return {};
}

Status check_out_folder(const fs::path& out, const DemoPaths& paths) {
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return make_error("{}: cannot create: {}", out.string(), ec.message());
  if (!fs::exists(paths.truth) && paths.data == out / "data" && fs::exists(paths.data / "devnets.json")) {
    return make_error("{} holds an archive but no demo (no truth.json): choose an empty --out folder", out.string());
  }
  return {};
}

TimeMs simulation_end(TimeMs now) {
  // Whole minutes, a little in the past: every devnet has then ended for
  // fetch (which refetches running ones, those that ended under 15 min ago),
  // so a second run within the reuse window fetches and renders nothing new.
  return (now / kMinute) * kMinute - 20 * kMinute;
}

Result<sim::Simulation> simulate_devnet(const DemoOptions& options, TimeMs now, Steps& steps) {
  sim::SimulationConfig config;
  config.clients = options.clients;
  config.iterations = options.iterations;
  config.hours = options.hours;
  config.seed = options.seed;
  config.end = simulation_end(now);
  steps.begin(fmt::format("simulating a devnet: {} iterations of {} h, {} clients, seed {}", config.iterations,
                          config.hours, config.clients, config.seed));
  auto simulation = sim::simulate(config);
  if (!simulation.ok()) return simulation.error();
  steps.end(fmt::format("simulated {} samples, {} incidents", simulation->sample_count(), simulation->events.size()));
  return simulation;
}

}  // namespace

DemoPaths DemoPaths::in(const fs::path& out, const fs::path& data_dir) {
  DemoPaths p;
  p.openmetrics = out / "sim.om";
  p.truth = out / "truth.json";
  p.tsdb = out / "tsdb";
  p.prometheus_config = out / "prometheus.yml";
  p.prometheus_log = out / "prometheus.log";
  p.promtool_log = out / "promtool.log";
  p.data = data_dir.empty() ? out / "data" : data_dir;
  p.site = out / "site";
  p.backfilled_marker = out / "tsdb" / ".leanscope-backfilled";
  return p;
}

std::optional<ReusableSimulation> reusable_simulation(const fs::path& truth, const DemoOptions& options, TimeMs now) {
  auto text = read_file(truth);
  if (!text.ok()) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(*text).get(root) != simdjson::SUCCESS) return std::nullopt;
  std::int64_t clients = 0, iterations = 0;
  std::uint64_t seed = 0;
  double hours = 0;
  std::string_view end_text;
  auto config = root["config"];
  if (config["clients"].get(clients) != simdjson::SUCCESS ||
      config["iterations"].get(iterations) != simdjson::SUCCESS || config["seed"].get(seed) != simdjson::SUCCESS ||
      config["hours"].get(hours) != simdjson::SUCCESS || config["end"].get(end_text) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  if (clients != options.clients || iterations != options.iterations || seed != options.seed ||
      std::abs(hours - options.hours) > 1e-9) {
    return std::nullopt;
  }
  auto end = parse_iso8601(end_text);
  if (!end.ok() || *end > now || now - *end > options.reuse_window_ms) return std::nullopt;
  simdjson::dom::array listed;
  if (root["iterations"].get(listed) != simdjson::SUCCESS || listed.size() == 0) return std::nullopt;
  std::string_view first_start_text;
  if (listed.at(0)["start"].get(first_start_text) != simdjson::SUCCESS) return std::nullopt;
  auto first_start = parse_iso8601(first_start_text);
  if (!first_start.ok()) return std::nullopt;
  return ReusableSimulation{*first_start, *end};
}

namespace {

// The devnet served by a local Prometheus, then detect + fetch + render against it.
Status run_with_prometheus(const DemoOptions& options, const DemoPaths& paths, TimeMs now, Steps& steps,
                           DemoResult& result) {
  auto reuse = reusable_simulation(paths.truth, options, now);
  TimeMs first_start = 0;
  if (reuse && fs::exists(paths.backfilled_marker)) {
    result.reused_simulation = true;
    first_start = reuse->first_start;
    steps.say(fmt::format("reusing the simulated devnet in {} (it ended {}): no simulate, no backfill",
                          options.out.string(), ago(now - reuse->end)));
  } else {
    LEANSCOPE_TRY(clear_previous_run(options.out, paths));
    auto simulation = simulate_devnet(options, now, steps);
    if (!simulation.ok()) return simulation.error();
    first_start = simulation->iterations.front().start;
    steps.begin(fmt::format("writing {}", paths.openmetrics.string()));
    LEANSCOPE_TRY(sim::write_openmetrics(*simulation, paths.openmetrics));
    steps.end(fmt::format("wrote {} ({} MB)", paths.openmetrics.string(),
                          fmt::format("{:.1f}", static_cast<double>(fs::file_size(paths.openmetrics)) / 1e6)));
    steps.begin(fmt::format("backfilling {} with promtool", paths.tsdb.string()));
    LEANSCOPE_TRY(backfill_openmetrics(paths.openmetrics, paths.tsdb, paths.promtool_log));
    // Written last: a backfill cut short is redone by the next run.
    LEANSCOPE_TRY(sim::write_truth(*simulation, paths.truth));
    LEANSCOPE_TRY(write_file_atomic(paths.backfilled_marker, format_iso_z(now) + "\n"));
    steps.end("backfilled");
  }

  steps.begin("starting Prometheus on a free loopback port");
  LocalPrometheusOptions prometheus_options;
  prometheus_options.tsdb = paths.tsdb;
  prometheus_options.config = paths.prometheus_config;
  prometheus_options.log_file = paths.prometheus_log;
  auto prometheus = LocalPrometheus::start(prometheus_options);
  if (!prometheus.ok()) return prometheus.error();
  result.prometheus_url = prometheus->url();
  steps.end(fmt::format("Prometheus is ready at {} (log: {})", prometheus->url(), paths.prometheus_log.string()));

  // The same path as `leanscope sync` against a user's server.
  SyncOptions sync;
  sync.prometheus.base_url = prometheus->url();
  // A local server that answered /-/ready does not need patient retries; and
  // after Ctrl-C stopped it, long backoffs would only delay the exit.
  sync.prometheus.retry.max_attempts = 2;
  sync.prometheus.retry.initial_backoff = std::chrono::milliseconds(200);
  sync.detect.window_start = first_start - 30 * kMinute;
  sync.detect.window_end = now;
  sync.data_dir = paths.data;
  sync.out = paths.site;
  sync.devnet = "all";
  sync.progress = options.progress;
  result.sync = run_sync(sync);

  steps.begin("stopping Prometheus");
  bool clean = prometheus->stop();
  steps.end(clean ? "Prometheus stopped" : "Prometheus did not stop on SIGTERM and was killed");
  if (interrupted()) return make_error("interrupted");
  return {};
}

// No Prometheus: the simulator writes the archive itself, then render.
Status run_without_prometheus(const DemoOptions& options, const DemoPaths& paths, TimeMs now, Steps& steps,
                              DemoResult& result) {
  auto reuse = reusable_simulation(paths.truth, options, now);
  if (reuse && fs::exists(paths.data / "devnets.json") && fs::exists(archive::manifest_path(paths.data))) {
    result.reused_simulation = true;
    steps.say(
        fmt::format("reusing the simulated archive in {} (it ended {})", paths.data.string(), ago(now - reuse->end)));
  } else {
    LEANSCOPE_TRY(clear_previous_run(options.out, paths));
    auto simulation = simulate_devnet(options, now, steps);
    if (!simulation.ok()) return simulation.error();
    steps.begin(fmt::format("writing the archive {} straight from the simulator", paths.data.string()));
    auto written = sim::write_archive(*simulation, paths.data);
    if (!written.ok()) return written.error();
    LEANSCOPE_TRY(sim::write_truth(*simulation, paths.truth));
    steps.end(fmt::format("wrote {} devnets, {} rows, {:.1f} MB", written->devnets.size(), written->rows,
                          static_cast<double>(written->bytes) / 1e6));
  }
  SyncOptions render;
  render.data_dir = paths.data;
  render.out = paths.site;
  render.devnet = "all";
  render.progress = options.progress;
  render_step(render, result.sync);
  return {};
}

}  // namespace

Result<DemoResult> run_demo(const DemoOptions& options) {
  InterruptGuard guard;
  const DemoPaths paths = DemoPaths::in(options.out, options.data_dir);
  LEANSCOPE_TRY(check_out_folder(options.out, paths));
  Steps steps(options.progress);
  const TimeMs now = now_ms();
  DemoResult result;
  result.site = paths.site;
  result.site_index = paths.site / "index.html";
  result.data_dir = paths.data;
  result.used_prometheus = options.use_prometheus && prometheus_installed();
  if (options.use_prometheus && !result.used_prometheus) {
    steps.say("prometheus and promtool are not installed (Debian/Ubuntu: sudo apt-get install prometheus);");
    steps.say("without them the simulator writes the archive directly and the pages are rendered from it");
  }
  Status status = result.used_prometheus ? run_with_prometheus(options, paths, now, steps, result)
                                         : run_without_prometheus(options, paths, now, steps, result);
  if (!status.ok()) return status.error();
  if (interrupted()) return make_error("interrupted");
  return result;
}

}  // namespace leanscope::demo
