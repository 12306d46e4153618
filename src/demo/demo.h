// `leanscope demo`: the whole pipeline on a local Prometheus loaded with a
// simulated devnet. DIR/sim.om + DIR/truth.json (simulate), DIR/tsdb
// (promtool backfill), a Prometheus on a free loopback port, then detect,
// fetch and render against it exactly as against a real server, into
// DIR/data and DIR/site. Prometheus is stopped on every path out.
//
// Without prometheus/promtool on PATH the demo says how to install them and
// writes the archive straight from the simulator, so the pages still appear.
// A second run reuses a recent simulation of the same shape (no simulate, no
// backfill); detect merges, fetch and render skip what did not change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "demo/sync.h"

namespace leanscope::demo {

struct DemoOptions {
  std::filesystem::path out = "demo";
  // The archive; empty: DIR/data. Only DIR/data is ever cleared when a new
  // devnet is simulated; an archive given here is merged into, never removed.
  std::filesystem::path data_dir;
  int clients = 6;
  int iterations = 3;
  double hours = 3.0;  // per iteration
  std::uint64_t seed = 7;
  // A simulation is reused while its end is at most this old.
  TimeMs reuse_window_ms = 24LL * 3600 * 1000;
  bool use_prometheus = true;                      // false: the fallback path even when Prometheus is installed
  std::function<void(std::string_view)> progress;  // one line per step, with timings
};

struct DemoResult {
  std::filesystem::path site;        // DIR/site
  std::filesystem::path site_index;  // DIR/site/index.html
  std::filesystem::path data_dir;    // DIR/data
  bool used_prometheus = false;
  bool reused_simulation = false;
  std::string prometheus_url;  // while it ran
  SyncSummary sync;            // what detect, fetch and render did
};

// Error when a step fails (Prometheus is stopped first) or on Ctrl-C.
[[nodiscard]] Result<DemoResult> run_demo(const DemoOptions& options);

// Where the demo's files go inside DIR.
struct DemoPaths {
  std::filesystem::path openmetrics, truth, tsdb, prometheus_config, prometheus_log, promtool_log, data, site;
  std::filesystem::path backfilled_marker;  // written after a complete backfill
  [[nodiscard]] static DemoPaths in(const std::filesystem::path& out, const std::filesystem::path& data_dir = {});
};

// The simulation described by DIR/truth.json, when it matches `options`
// (clients, iterations, hours, seed) and ended within the reuse window before
// `now`; its first iteration's start and its end. nullopt: simulate again.
struct ReusableSimulation {
  TimeMs first_start = 0;
  TimeMs end = 0;
};
[[nodiscard]] std::optional<ReusableSimulation> reusable_simulation(const std::filesystem::path& truth,
                                                                    const DemoOptions& options, TimeMs now);

}  // namespace leanscope::demo
