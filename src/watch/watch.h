// `leanscope watch`: keeps the devnet that is running now current and serves
// the site while it does. Every interval: detect over the last days, mark
// the running devnet in devnets.json, fetch only its tail (fetch's tail
// mode), re-render its pages and the index, and rewrite the small version
// files that open pages poll (docs/GUIDE.md, "watch").
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/time.h"
#include "demo/sync.h"
#include "serve/server.h"

namespace leanscope::watch {

struct WatchOptions {
  // The server, detection settings (the window is set every cycle), data
  // folder, site, thresholds and the progress sink; `devnet` and `force`
  // are not used.
  demo::SyncOptions sync;
  int days = 2;                                // detect over the last N days
  std::chrono::milliseconds interval{60'000};  // from one cycle's start to the next
  TimeMs stale_after_ms = 10 * 60'000;         // data older than this: the devnet has ended
  bool serve = true;                           // serve the site while watching
  serve::ServeOptions server;                  // its site is sync.out
  int cycles = 0;                              // stop after this many cycles; 0: until a signal
  bool no_wait = false;                        // fail instead of waiting for another writer's lock
  // Runs once the site is served (with its URL) or, without serving, before the first cycle.
  std::function<void(const std::string& url)> on_ready;
};

struct WatchResult {
  int cycles = 0;
  int failed_cycles = 0;  // cycles with any failure (server down, a dataset failed)
  bool interrupted = false;
};

// The version file of a site folder or of a devnet's folder: what open
// pages poll (SITE/version.json, SITE/<devnet>/version.json).
struct VersionInfo {
  std::int64_t version = 0;  // changes when the pages changed (ms of that render)
  TimeMs updated = 0;        // when the pages were last written
  TimeMs checked = 0;        // when watch last looked at the server
  std::string devnet;        // empty for the site's file
  std::optional<TimeMs> data_end;
  bool live = false;  // watch is running and (for a devnet) the devnet is ongoing
  int poll_seconds = 5;
  std::string note;  // a line for the page: why the data may be old
};
[[nodiscard]] std::filesystem::path version_path(const std::filesystem::path& site, std::string_view devnet = {});
[[nodiscard]] std::string serialize_version(const VersionInfo& info);
// Written atomically (the devnet's folder is made when missing).
[[nodiscard]] Status write_version(const std::filesystem::path& site, const VersionInfo& info);

// Blocks SIGINT and SIGTERM in this thread (and the threads it starts) and
// runs until one arrives, or `cycles` are done; a second signal ends the
// process at once (status 130; every file is written atomically). An error
// only when the site cannot be served or the locks not taken with no_wait.
[[nodiscard]] Result<WatchResult> run_watch(const WatchOptions& options);

}  // namespace leanscope::watch
