#include "watch/watch.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <thread>
#include <vector>

#include "archive/devnets.h"
#include "common/lock.h"
#include "detect/detect.h"
#include "report/site.h"
#include "watch/signals.h"

namespace leanscope::watch {
namespace fs = std::filesystem;

namespace {

constexpr TimeMs kDayMs = 24 * 3'600'000;

std::string hh_mm(TimeMs t) { return format_iso_z(t).substr(11, 5) + " UTC"; }

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Where a cycle's time went, for its line on stderr: a slow cycle says which
// step to look at (docs/PERFORMANCE.md measures them).
struct StepSeconds {
  double detect = 0;
  double fetch = 0;
  double render = 0;
};

// The state kept from one cycle to the next, and one cycle's work.
class Watcher {
 public:
  Watcher(const WatchOptions& options, prom::Client client, const detail::StopSignals& signals)
      : o_(options), client_(std::move(client)), signals_(signals) {}

  // One cycle: false when it had failures.
  Result<bool> cycle() {
    const TimeMs now = now_ms();
    started_ = Clock::now();
    steps_ = {};
    if (reconnect_) {
      // A client that could not connect fails every later request at once
      // (prom::Client): after a failing cycle the next one starts with a
      // fresh client, so a server that is back is caught up with.
      auto client = prom::Client::create(o_.sync.prometheus);
      if (!client) return client.error();
      client_ = std::move(client).value();
      reconnect_ = false;
    }
    auto data_lock = lock(o_.sync.data_dir);
    if (!data_lock) return data_lock.error();
    auto site_lock = lock(o_.sync.out);
    if (!site_lock) return site_lock.error();
    demo::SyncSummary summary;

    detect::Params params = o_.sync.detect;
    params.window_end = now;
    params.window_start = now - static_cast<TimeMs>(o_.days) * kDayMs;
    const auto detect_start = Clock::now();
    auto merged = detect::run_detect(client_, o_.sync.data_dir, params);
    steps_.detect = seconds_since(detect_start);
    if (!merged) {
      summary.failures.push_back("detect: " + merged.error().message);
      server_note_ = fmt::format("the server did not answer at {}; the data is as of the last answer", hh_mm(now));
    } else {
      summary.detect_ran = true;
      summary.devnets_new = merged->added;
      summary.devnets_updated = merged->updated;
      summary.devnets_unchanged = merged->unchanged;
      server_note_.clear();
    }
    if (signals_.stopping()) return summary.ok();

    // Which devnet runs now; the flag in devnets.json follows.
    std::optional<std::string> running;
    std::set<std::string> flag_changed;
    std::map<std::string, TimeMs> data_end;
    std::optional<archive::Devnet> newest;
    if (fs::exists(archive::devnets_path(o_.sync.data_dir))) {
      auto file = archive::load_devnets(o_.sync.data_dir);
      if (!file) {
        summary.failures.push_back(file.error().message);
        report(now, std::nullopt, std::nullopt, data_end, summary);
        return false;
      }
      std::map<std::string, bool> before;
      for (const auto& d : file->devnets) before[d.id] = d.ongoing;
      archive::RunningMark mark;
      if (merged) {
        mark = archive::mark_running(*file, now, o_.stale_after_ms);
      } else {
        // The server did not answer: whether data stopped is unknown, so the
        // flags stay as its last answer left them (the pages say why).
        for (const auto& d : file->devnets) {
          if (d.ongoing) mark.running = d.id;
        }
      }
      for (const auto& d : file->devnets) {
        if (before[d.id] != d.ongoing) flag_changed.insert(d.id);
        data_end[d.id] = d.end;
        if (!newest || d.start > newest->start) newest = d;
      }
      if (mark.changed) {
        if (auto saved = archive::save_devnets(o_.sync.data_dir, *file); !saved.ok())
          summary.failures.push_back(saved.error().message);
      }
      running = mark.running;
    }

    // The running devnet, the one that just ended (its last minutes), and
    // any whose flag changed are brought up to date.
    std::vector<std::string> targets;
    auto add_target = [&](const std::string& id) {
      if (data_end.contains(id) && std::find(targets.begin(), targets.end(), id) == targets.end())
        targets.push_back(id);
    };
    if (running) add_target(*running);
    if (last_running_ && last_running_ != running) add_target(*last_running_);
    for (const auto& id : flag_changed) add_target(id);

    const auto fetch_start = Clock::now();
    for (const auto& id : targets) {
      if (!merged || signals_.stopping()) break;  // the server is down: nothing to fetch
      fetch_tail(id, summary);
    }
    steps_.fetch = seconds_since(fetch_start);
    reconnect_ = !summary.ok();
    const auto render_start = Clock::now();
    std::set<std::string> rendered;
    for (const auto& id : targets) {
      if (signals_.stopping()) break;
      if (render(id, summary)) rendered.insert(id);
    }
    steps_.render = seconds_since(render_start);
    if (signals_.stopping()) return summary.ok();

    // Version files: the pages poll them.
    for (const auto& id : targets) {
      auto& v = versions_[id];
      v.devnet = id;
      if (rendered.contains(id) || v.version == 0) {
        v.version = std::max(v.version + 1, now_ms());
        v.updated = now;
      }
      v.checked = now;
      v.data_end = data_end[id];
      v.live = running && *running == id;
      v.poll_seconds = poll_seconds();
      v.note = server_note_;
      if (auto s = write_version(o_.sync.out, v); !s.ok()) summary.failures.push_back("version: " + s.error().message);
    }
    if (!rendered.empty() || site_version_.version == 0) {
      site_version_.version = std::max(site_version_.version + 1, now_ms());
      site_version_.updated = now;
    }
    site_version_.checked = now;
    site_version_.live = true;
    site_version_.poll_seconds = poll_seconds();
    site_version_.note = server_note_;
    site_version_.data_end = running ? std::optional<TimeMs>(data_end[*running]) : std::nullopt;
    if (auto s = write_version(o_.sync.out, site_version_); !s.ok())
      summary.failures.push_back("version: " + s.error().message);
    for (const auto& [id, v] : versions_) {
      // A devnet watched earlier that no longer runs: its pages stop polling.
      if (std::find(targets.begin(), targets.end(), id) != targets.end() || !v.live) continue;
      auto ended = v;
      ended.live = false;
      versions_[id] = ended;
      (void)write_version(o_.sync.out, ended);
    }

    report(now, running, newest, data_end, summary);
    last_running_ = running;
    return summary.ok();
  }

  // When watch stops: pages stop polling (their data stays as it is).
  void finish() {
    auto site_lock = lock(o_.sync.out);
    if (!site_lock) return;
    for (auto& [id, v] : versions_) {
      if (!v.live) continue;
      v.live = false;
      v.note = "watch stopped";
      (void)write_version(o_.sync.out, v);
    }
    if (site_version_.version != 0) {
      site_version_.live = false;
      site_version_.note = "watch stopped";
      (void)write_version(o_.sync.out, site_version_);
    }
  }

 private:
  Result<FolderLock> lock(const fs::path& folder) {
    return FolderLock::acquire(folder, o_.no_wait ? LockWait::NoWait : LockWait::Wait, o_.sync.progress);
  }

  void say(std::string_view line) const {
    if (o_.sync.progress) o_.sync.progress(line);
  }

  int poll_seconds() const {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(o_.interval).count() / 4;
    return static_cast<int>(std::clamp<std::int64_t>(seconds, 1, 15));
  }

  // Only what is new in the devnet's files; quiet (the cycle has one line).
  void fetch_tail(const std::string& id, demo::SyncSummary& summary) {
    demo::SyncOptions options = o_.sync;
    options.devnet = id;
    options.force = false;
    options.tail = true;
    options.progress = {};
    demo::fetch_step(options, client_, summary);
  }

  // True when pages of the devnet were written.
  bool render(const std::string& id, demo::SyncSummary& summary) {
    report::RenderOptions options;
    options.data_dir = o_.sync.data_dir;
    options.out = o_.sync.out;
    options.devnet = id;
    options.settings = o_.sync.settings;
    auto rendered = report::render_site(options);
    if (!rendered) {
      summary.failures.push_back("render: " + rendered.error().message);
      return false;
    }
    summary.render_ran = true;
    summary.pages_written += static_cast<int>(rendered->written.size());
    summary.pages_skipped += static_cast<int>(rendered->skipped.size());
    summary.pages_failed += static_cast<int>(rendered->failed.size());
    for (const auto& failed : rendered->failed) summary.failures.push_back("render: " + failed);
    const fs::path folder = o_.sync.out / id;
    return std::any_of(rendered->written.begin(), rendered->written.end(),
                       [&](const fs::path& p) { return p.parent_path() == folder; });
  }

  void report(TimeMs now, const std::optional<std::string>& running, const std::optional<archive::Devnet>& newest,
              std::map<std::string, TimeMs>& data_end, const demo::SyncSummary& summary) const {
    std::string what;
    if (running) {
      what = fmt::format("{} is running (data to {})", *running, hh_mm(data_end[*running]));
    } else if (newest) {
      what = fmt::format("no devnet is running (the newest, {}, has no data since {}, {} min ago); serving what exists",
                         newest->id, hh_mm(newest->end), (now - newest->end) / 60'000);
    } else {
      what = "no devnet found yet; serving what exists";
    }
    say(fmt::format("watch: {}: {} ({:.3f} s; detect {:.3f} s, fetch {:.3f} s, render {:.3f} s)", what,
                    demo::format_sync_summary(summary), seconds_since(started_), steps_.detect, steps_.fetch,
                    steps_.render));
    for (const auto& failure : summary.failures) say("watch: failed: " + failure);
    if (!summary.detect_ran) {
      say(fmt::format("watch: the server did not answer; trying again in {} s",
                      std::chrono::duration_cast<std::chrono::seconds>(o_.interval).count()));
    }
  }

  const WatchOptions& o_;
  prom::Client client_;
  bool reconnect_ = false;
  const detail::StopSignals& signals_;
  std::optional<std::string> last_running_;
  std::map<std::string, VersionInfo> versions_;
  VersionInfo site_version_;
  std::string server_note_;
  Clock::time_point started_;
  StepSeconds steps_;
};

// Serves the site on a thread for as long as it lives.
class Serving {
 public:
  ~Serving() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  Status start(serve::ServeOptions options, const std::function<void(std::string_view)>& say) {
    auto server = serve::SiteServer::create(std::move(options));
    if (!server) return server.error();
    server_ = std::move(server).value();
    thread_ = std::thread([this, say] {
      if (auto s = server_->run(); !s.ok() && say) say("watch: " + s.error().message);
    });
    return {};
  }
  [[nodiscard]] std::string url() const { return server_ ? server_->url() : std::string(); }

 private:
  std::unique_ptr<serve::SiteServer> server_;
  std::thread thread_;
};

}  // namespace

Result<WatchResult> run_watch(const WatchOptions& options) {
  detail::StopSignals signals(options.sync.progress);
  auto client = prom::Client::create(options.sync.prometheus);
  if (!client) return client.error();
  std::error_code ec;
  fs::create_directories(options.sync.out, ec);
  if (ec) return make_error("{}: cannot create the site folder: {}", options.sync.out.string(), ec.message());

  Serving serving;
  if (options.serve) {
    serve::ServeOptions server = options.server;
    server.site = options.sync.out;
    if (server.data_dir.empty()) server.data_dir = options.sync.data_dir;
    LEANSCOPE_TRY(serving.start(std::move(server), options.sync.progress));
  }
  if (options.on_ready) options.on_ready(serving.url());

  WatchResult result;
  Watcher watcher(options, std::move(client).value(), signals);
  while (!signals.stopping()) {
    const auto started = std::chrono::steady_clock::now();
    auto ok = watcher.cycle();
    if (!ok) return ok.error();  // a lock that could not be taken, or devnets.json unreadable
    ++result.cycles;
    if (!*ok) ++result.failed_cycles;
    if (options.cycles > 0 && result.cycles >= options.cycles) break;
    if (signals.wait_until(started + options.interval)) break;
  }
  result.interrupted = signals.stopping();
  watcher.finish();
  return result;
}

}  // namespace leanscope::watch
