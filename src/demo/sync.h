// `leanscope sync`: detect + fetch + render in one go, for a cron job or CI,
// and the path the demo takes against its local Prometheus. Every step runs
// even when an earlier one had failures (render shows what is archived), and
// the summary says what changed and what failed.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/settings.h"
#include "detect/detect.h"
#include "prom/client.h"

namespace leanscope::demo {

struct SyncOptions {
  prom::ClientConfig prometheus;  // base_url and the connection settings
  detect::Params detect;          // window and detection settings
  std::filesystem::path data_dir = "data";
  std::filesystem::path out = "site";
  std::string devnet = "latest";  // fetched and rendered: an id, "latest" or "all"
  bool force = false;             // fetch and render again even when unchanged
  // Fetch only what is new in each archived file (fetch's tail mode), as
  // watch does for the running devnet every cycle; sync fetches whole files.
  bool tail = false;
  analysis::Settings settings;  // thresholds of findings (leanscope.toml)
  std::function<void(std::string_view)> progress;
};

struct SyncSummary {
  bool detect_ran = false;
  bool fetch_ran = false;
  bool render_ran = false;
  int devnets_new = 0;
  int devnets_updated = 0;
  int devnets_unchanged = 0;
  int datasets_fetched = 0;
  int datasets_skipped = 0;  // unchanged, or kept because the server had no data
  int datasets_failed = 0;
  int pages_written = 0;
  int pages_skipped = 0;
  int pages_failed = 0;  // devnets whose pages could not be made
  // One line per failure: "<step>: <cause>".
  std::vector<std::string> failures;

  [[nodiscard]] bool ok() const { return failures.empty(); }
};

// Runs the three steps; never throws, every failure lands in the summary.
[[nodiscard]] SyncSummary run_sync(const SyncOptions& options);

// The fetch step alone (watch runs it for the running devnet), adding to
// `summary`; nothing when the data folder has no devnets.json yet.
void fetch_step(const SyncOptions& options, prom::Client& client, SyncSummary& summary);

// The render step alone (the demo without Prometheus uses it), adding to `summary`.
void render_step(const SyncOptions& options, SyncSummary& summary);

// "devnets: 1 new, 0 updated, 2 unchanged; datasets: 7 written, 14 skipped, 0 failed;
//  pages: 4 written, 6 skipped, 0 failed; 1 failure" (steps that did not run are
// left out): the one summary shape of sync, demo, fetch and render.
[[nodiscard]] std::string format_sync_summary(const SyncSummary& summary);

}  // namespace leanscope::demo
