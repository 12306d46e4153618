// `leanscope watch` against real servers: a Prometheus loaded with a
// simulated devnet whose last iteration is still running, and a
// VictoriaMetrics that receives the devnet's next minutes while watch runs
// (its import API), so the archive grows under a running watch.
#include "watch/watch.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/read.h"
#include "common/time.h"
#include "demo/process.h"
#include "support/archive_rows.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::testing;

namespace {

constexpr TimeMs kMinute = 60'000;

std::string simulate(const TempDir& tmp, TimeMs end, const std::string& iterations, const std::string& hours) {
  auto r = run_leanscope({"simulate", "--clients", "3", "--iterations", iterations, "--hours", hours, "--seed", "5",
                          "--end", format_iso_z(end), "--openmetrics", (tmp / "sim.om").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return read_text(tmp / "sim.om");
}

std::optional<archive::Devnet> ongoing_devnet(const fs::path& data) {
  auto file = archive::load_devnets(data);
  if (!file) return std::nullopt;
  for (const auto& d : file->devnets) {
    if (d.ongoing) return d;
  }
  return std::nullopt;
}

// The "version" of a version.json text ("" when absent).
std::string version_of(const std::optional<std::string>& json) {
  if (!json) return {};
  const auto at = json->find("\"version\":");
  if (at == std::string::npos) return {};
  return json->substr(at + 10, json->find(',', at) - at - 10);
}

std::vector<fs::path> temporary_files(const fs::path& folder) {
  std::vector<fs::path> found;
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(e.path());
  }
  return found;
}

TEST(VersionFile, SaysWhatAPageNeedsToPoll) {
  watch::VersionInfo info;
  info.version = 42;
  info.updated = 1'700'000'000'000;
  info.checked = 1'700'000'060'000;
  info.devnet = "pqdevnet-20231114T2213Z";
  info.data_end = 1'700'000'030'000;
  info.live = true;
  info.poll_seconds = 3;
  EXPECT_EQ(watch::serialize_version(info),
            R"({"version":42,"updated":"2023-11-14T22:13:20Z","checked":"2023-11-14T22:14:20Z",)"
            R"("devnet":"pqdevnet-20231114T2213Z","data_end":"2023-11-14T22:13:50Z","live":true,"poll_seconds":3,)"
            R"("note":""})"
            "\n");
  EXPECT_EQ(watch::version_path("site", "d"), fs::path("site/d/version.json"));
  EXPECT_EQ(watch::version_path("site"), fs::path("site/version.json"));
}

TEST(WatchCommand, OneCycleAgainstPrometheusArchivesAndRendersTheRunningDevnetOnly) {
  if (!have_program("prometheus") || !have_program("promtool")) GTEST_SKIP() << "prometheus not installed";
  TempDir tmp;
  const TimeMs end = now_ms() / kMinute * kMinute - kMinute;
  simulate(tmp, end, "2", "0.25");
  PrometheusServer prometheus(tmp / "sim.om", tmp / "prom");
  ASSERT_TRUE(prometheus.ok());
  auto r = run_leanscope({"watch", "--cycles", "1", "--no-serve", "--prometheus-url", prometheus.url(), "--data-dir",
                          (tmp / "data").string(), "--out", (tmp / "site").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" is running (data to "), std::string::npos) << r.err;

  auto file = archive::load_devnets(tmp / "data");
  ASSERT_TRUE(file.ok()) << file.error().message;
  ASSERT_EQ(file->devnets.size(), 2u);
  const auto& finished = file->devnets[0];
  const auto& running = file->devnets[1];
  EXPECT_FALSE(finished.ongoing);
  EXPECT_TRUE(running.ongoing);
  EXPECT_NE(read_text(tmp / "data/devnets.json").find(R"("ongoing": true)"), std::string::npos);
  // Only the running devnet is fetched and rendered.
  for (const auto& spec : archive::datasets()) {
    EXPECT_TRUE(fs::exists(archive::dataset_path(tmp / "data", running.id, spec.id))) << spec.id;
  }
  EXPECT_FALSE(fs::exists(tmp / "data" / finished.id));
  EXPECT_TRUE(fs::exists(tmp / "site/index.html"));
  EXPECT_TRUE(fs::exists(tmp / "site" / running.id / "networking.html"));
  const auto version = read_text(watch::version_path(tmp / "site", running.id));
  EXPECT_NE(version.find(R"("devnet":")" + running.id), std::string::npos) << version;
  // Watch has stopped: the pages stop polling.
  EXPECT_NE(version.find(R"("live":false)"), std::string::npos) << version;
  EXPECT_NE(version.find("watch stopped"), std::string::npos) << version;
}

TEST(WatchCommand, AServerThatIsDownIsSaidAndRetried) {
  TempDir tmp;
  const auto port = free_loopback_port();  // nothing listens there
  auto r = run_leanscope({"watch", "--cycles", "2", "--interval", "0.2", "--no-serve", "--retries", "1",
                          "--prometheus-url", "http://127.0.0.1:" + std::to_string(port), "--data-dir",
                          (tmp / "data").string(), "--out", (tmp / "site").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("watch: the server did not answer; trying again in"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stopped after 2 cycles (2 with failures)"), std::string::npos) << r.err;
  // Pages of the site stop polling once watch has stopped.
  const auto version = read_text(tmp / "site/version.json");
  EXPECT_NE(version.find(R"("live":false)"), std::string::npos) << version;
}

// The devnet's first part is on the server when watch starts; its next
// minutes arrive while watch runs and serves.
TEST(WatchCommand, TheArchiveGrowsUnderARunningWatchAndSigintLeavesItComplete) {
  if (!have_program("victoria-metrics")) GTEST_SKIP() << "victoria-metrics not installed";
  TempDir tmp;
  const TimeMs end = now_ms() / kMinute * kMinute - kMinute;
  const auto om = simulate(tmp, end, "1", "0.5");
  const TimeMs cut = end - 12 * kMinute;
  write_text(tmp / "early.om", openmetrics_split(om, cut, true));
  write_text(tmp / "late.prom", openmetrics_to_prometheus_text(openmetrics_split(om, cut, false)));
  VictoriaMetricsServer vm(tmp / "early.om", tmp / "vm");
  ASSERT_TRUE(vm.ok());

  const auto data = tmp / "data";
  const auto port = free_loopback_port();
  const std::string site_url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto child = demo::ChildProcess::start(
      {leanscope_binary().string(), "watch", "--interval", "2", "--stale-after", "30", "--port", std::to_string(port),
       "--prometheus-url", vm.url(), "--data-dir", data.string(), "--out", (tmp / "site").string()},
      tmp / "watch.log");
  ASSERT_TRUE(child.ok()) << child.error().message;

  // First cycles: the early part archived, the running devnet marked and served.
  std::optional<archive::Devnet> running;
  std::string first_version;
  for (int i = 0; i < 600 && first_version.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    running = ongoing_devnet(data);
    if (running) first_version = version_of(http_get(site_url + running->id + "/version.json", 5));
  }
  ASSERT_FALSE(first_version.empty()) << read_text(tmp / "watch.log");
  const auto early_rows = read_archive_rows(data, running->id);
  const TimeMs early_end = running->end;
  EXPECT_LE(early_end, cut + kMinute);
  ASSERT_GT(count_rows(early_rows.at("head_slot")), 0u);
  const auto page = http_get(site_url + running->id + "/networking.html", 5);
  ASSERT_TRUE(page.has_value());
  EXPECT_NE(page->find("version.json"), std::string::npos);  // the page polls

  // The next minutes reach the server.
  auto imported = run_command({"curl", "-sS", "--fail", "--data-binary", "@" + (tmp / "late.prom").string(),
                               vm.url() + "/api/v1/import/prometheus"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  (void)http_get(vm.url() + "/internal/force_flush");
  (void)http_get(vm.url() + "/internal/resetRollupResultCache");

  // A later cycle fetches the tail: the served version changes and the
  // devnet's end moves on.
  std::optional<archive::Devnet> later;
  std::string later_version;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    later = ongoing_devnet(data);
    later_version = version_of(http_get(site_url + running->id + "/version.json", 5));
    if (later && later->end >= end - 2 * kMinute && !later_version.empty() && later_version != first_version &&
        fs::exists(tmp / "site" / running->id / "networking.html")) {
      // The version is written after the cycle's fetch and render.
      break;
    }
  }
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->id, running->id);
  EXPECT_GE(later->end, end - 2 * kMinute) << read_text(tmp / "watch.log");
  EXPECT_NE(later_version, first_version);
  // Wait for a cycle that started after the devnet's end moved: its files hold the tail.
  const auto late_rows = [&] {
    for (int i = 0; i < 300; ++i) {
      auto rows = read_archive_rows(data, running->id);
      if (newest_head_slot(rows) >= end - 3 * kMinute) return rows;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return read_archive_rows(data, running->id);
  }();

  // No earlier row is lost or changed: every series keeps its samples
  // older than the corrected minutes, and no dataset shrinks.
  expect_rows_kept(early_rows, late_rows, early_end - 6 * kMinute);
  EXPECT_GT(count_rows(late_rows.at("head_slot")), count_rows(early_rows.at("head_slot")));

  // Ctrl-C: watch stops between steps and leaves a complete archive.
  ASSERT_EQ(::kill(child->pid(), SIGINT), 0);
  for (int i = 0; i < 600 && child->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(child->running()) << read_text(tmp / "watch.log");
  ASSERT_TRUE(child->wait_status().has_value());
  EXPECT_EQ(demo::describe_wait_status(*child->wait_status()), "exit status 0") << read_text(tmp / "watch.log");
  EXPECT_TRUE(temporary_files(data).empty());
  EXPECT_TRUE(temporary_files(tmp / "site").empty());
  auto manifest = archive::load_manifest(data);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  for (const auto& spec : archive::datasets()) {
    const auto path = archive::dataset_path(data, running->id, spec.id);
    auto rows = archive::dataset_row_count(path);
    ASSERT_TRUE(rows.ok()) << path;
    EXPECT_EQ(*rows, manifest->devnets[running->id][spec.id].row_count) << spec.id;
  }
  EXPECT_NE(read_text(watch::version_path(tmp / "site", running->id)).find(R"("live":false)"), std::string::npos);

  // Data older than --stale-after: the devnet has ended, the flag is cleared.
  auto ended = run_leanscope({"watch", "--cycles", "1", "--no-serve", "--stale-after", "0.5", "--prometheus-url",
                              vm.url(), "--data-dir", data.string(), "--out", (tmp / "site").string()});
  EXPECT_EQ(ended.exit_code, 0) << ended.err;
  EXPECT_NE(ended.err.find("no devnet is running"), std::string::npos) << ended.err;
  EXPECT_FALSE(ongoing_devnet(data).has_value());
  auto file = archive::load_devnets(data);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(read_text(archive::devnets_path(data)).find("ongoing"), std::string::npos);
}

// A VictoriaMetrics whose process the test kills and starts again on the
// same port and storage (the shared helper's server lives for a whole test).
class RestartableVictoriaMetrics {
 public:
  explicit RestartableVictoriaMetrics(const fs::path& dir) : dir_(dir), port_(free_loopback_port()) {}
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Starts it and waits until it answers; false when it does not.
  bool start() {
    auto child =
        demo::ChildProcess::start({"victoria-metrics", "-storageDataPath=" + (dir_ / "vmdata").string(),
                                   "-httpListenAddr=127.0.0.1:" + std::to_string(port_), "-retentionPeriod=100y"},
                                  dir_ / "victoria-metrics.log");
    if (!child) return false;
    process_ = std::move(child).value();
    for (int i = 0; i < 300; ++i) {
      if (demo::loopback_http_status(port_, "/health", std::chrono::seconds(1)) == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // SIGKILL: no clean shutdown. What it answered is on its disk first (a
  // snapshot flushes the newest seconds, which it keeps in memory), as a
  // real server's data older than a few seconds would be.
  void kill() {
    (void)http_get(url() + "/snapshot/create");
    ::kill(process_.pid(), SIGKILL);
    process_.stop();
  }
  // Imports Prometheus text and makes it searchable at once.
  bool import(const fs::path& prometheus_text) {
    auto imported = run_command({"curl", "-sS", "--fail", "--data-binary", "@" + prometheus_text.string(),
                                 url() + "/api/v1/import/prometheus"});
    if (imported.exit_code != 0) return false;
    (void)http_get(url() + "/internal/force_flush");
    (void)http_get(url() + "/internal/resetRollupResultCache");
    return true;
  }

 private:
  fs::path dir_;
  std::uint16_t port_;
  demo::ChildProcess process_;
};

// The server dies while watch runs and comes back with data watch has not
// seen: watch serves what it has meanwhile, says why on stderr and on the
// pages, retries, and then archives the new rows next to the old ones.
TEST(WatchCommand, AServerKilledAndRestartedMidWatchIsCaughtUpWith) {
  if (!have_program("victoria-metrics")) GTEST_SKIP() << "victoria-metrics not installed";
  TempDir tmp;
  const TimeMs end = now_ms() / kMinute * kMinute - kMinute;
  const auto om = simulate(tmp, end, "1", "0.5");
  const TimeMs cut = end - 12 * kMinute;
  write_text(tmp / "before.prom", openmetrics_to_prometheus_text(openmetrics_split(om, cut, true)));
  write_text(tmp / "after.prom", openmetrics_to_prometheus_text(openmetrics_split(om, cut, false)));
  RestartableVictoriaMetrics vm(tmp.path());
  ASSERT_TRUE(vm.start()) << read_text(tmp / "victoria-metrics.log");
  ASSERT_TRUE(vm.import(tmp / "before.prom"));

  const auto data = tmp / "data";
  const auto port = free_loopback_port();
  const std::string site_url = "http://127.0.0.1:" + std::to_string(port) + "/";
  const auto log = tmp / "watch.log";
  auto child = demo::ChildProcess::start({leanscope_binary().string(), "watch", "--interval", "1", "--retries", "2",
                                          "--stale-after", "30", "--port", std::to_string(port), "--prometheus-url",
                                          vm.url(), "--data-dir", data.string(), "--out", (tmp / "site").string()},
                                         log);
  ASSERT_TRUE(child.ok()) << child.error().message;

  // Watch has archived and served the running devnet.
  std::optional<archive::Devnet> running;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    running = ongoing_devnet(data);
    if (running && !version_of(http_get(site_url + running->id + "/version.json", 5)).empty()) break;
  }
  ASSERT_TRUE(running.has_value()) << read_text(log);
  const auto before_rows = read_archive_rows(data, running->id);
  ASSERT_GT(count_rows(before_rows.at("head_slot")), 0u);
  EXPECT_LE(newest_head_slot(before_rows), cut);

  // Killed mid-watch: the next cycles fail, watch says so and keeps serving.
  vm.kill();
  const auto log_size = read_text(log).size();
  std::string note;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto version = http_get(site_url + running->id + "/version.json", 5);
    if (version && version->find("did not answer") != std::string::npos &&
        read_text(log).find("trying again in", log_size) != std::string::npos) {
      note = *version;
      break;
    }
  }
  ASSERT_FALSE(note.empty()) << read_text(log);
  EXPECT_NE(note.find("the data is as of the last answer"), std::string::npos) << note;
  EXPECT_NE(note.find(R"("live":true)"), std::string::npos) << note;  // still the running devnet
  const auto outage_log = read_text(log).substr(log_size);
  EXPECT_NE(outage_log.find("watch: the server did not answer; trying again in 1 s"), std::string::npos) << outage_log;
  EXPECT_NE(outage_log.find("watch: failed: detect: "), std::string::npos) << outage_log;
  const auto page = http_get(site_url + running->id + "/networking.html", 5);
  ASSERT_TRUE(page.has_value()) << "the site is not served while the server is down";
  EXPECT_NE(page->find("version.json"), std::string::npos);
  EXPECT_TRUE(child->running());
  // Nothing archived was touched by the failing cycles.
  expect_rows_kept(before_rows, read_archive_rows(data, running->id), end);

  // Back on the same port and storage, then the minutes it missed arrive.
  ASSERT_TRUE(vm.start()) << read_text(tmp / "victoria-metrics.log");
  ASSERT_TRUE(vm.import(tmp / "after.prom"));
  ArchiveRows after_rows;
  std::string caught_up;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto version = http_get(site_url + running->id + "/version.json", 5);
    if (!version || version->find(R"("note":"")") == std::string::npos) continue;
    after_rows = read_archive_rows(data, running->id);
    if (newest_head_slot(after_rows) >= end - 3 * kMinute) {
      caught_up = *version;
      break;
    }
  }
  ASSERT_FALSE(caught_up.empty()) << read_text(log);
  EXPECT_NE(caught_up.find(R"("live":true)"), std::string::npos) << caught_up;
  EXPECT_GE(ongoing_devnet(data)->end, end - 2 * kMinute);

  // The rows from after the restart are archived after the earlier ones,
  // which are as they were (but for the minutes a tail may correct), and
  // no series has a timestamp twice.
  expect_rows_kept(before_rows, after_rows, newest_head_slot(before_rows) - 6 * kMinute);
  EXPECT_GT(count_rows(after_rows.at("head_slot")), count_rows(before_rows.at("head_slot")));
  for (const auto& [dataset, series] : after_rows) {
    for (const auto& s : series) {
      for (std::size_t i = 1; i < s.series.size(); ++i) {
        ASSERT_LT(s.series.t[i - 1], s.series.t[i]) << dataset << " " << s.client << ": a row twice or out of order";
      }
    }
  }

  ASSERT_EQ(::kill(child->pid(), SIGINT), 0);
  for (int i = 0; i < 600 && child->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(child->running()) << read_text(log);
  EXPECT_EQ(demo::describe_wait_status(*child->wait_status()), "exit status 0") << read_text(log);
  auto manifest = archive::load_manifest(data);
  ASSERT_TRUE(manifest.ok()) << manifest.error().message;
  for (const auto& spec : archive::datasets()) {
    auto rows = archive::dataset_row_count(archive::dataset_path(data, running->id, spec.id));
    ASSERT_TRUE(rows.ok()) << spec.id;
    EXPECT_EQ(*rows, manifest->devnets[running->id][spec.id].row_count) << spec.id;
  }
}

// Whether data stopped is known only from the server: while it does not
// answer, a devnet stays running however long that lasts; once it answers,
// data older than the tolerance ends the devnet.
TEST(WatchCommand, ADevnetStaysRunningWhileTheServerDoesNotAnswer) {
  if (!have_program("victoria-metrics")) GTEST_SKIP() << "victoria-metrics not installed";
  TempDir tmp;
  const TimeMs end = now_ms() / kMinute * kMinute - 3 * kMinute;
  write_text(tmp / "all.prom", openmetrics_to_prometheus_text(simulate(tmp, end, "1", "0.5")));
  RestartableVictoriaMetrics vm(tmp.path());
  ASSERT_TRUE(vm.start()) << read_text(tmp / "victoria-metrics.log");
  ASSERT_TRUE(vm.import(tmp / "all.prom"));
  const auto data = tmp / "data";
  auto watch_once = [&](const std::string& stale_after) {
    return run_leanscope({"watch", "--cycles", "1", "--no-serve", "--retries", "1", "--stale-after", stale_after,
                          "--prometheus-url", vm.url(), "--data-dir", data.string(), "--out", (tmp / "site").string()});
  };
  auto first = watch_once("30");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto running = ongoing_devnet(data);
  ASSERT_TRUE(running.has_value()) << first.err;

  // Down, and the newest data is older than the tolerance (3 min > 1 min).
  vm.kill();
  auto down = watch_once("1");
  EXPECT_EQ(down.exit_code, 1) << down.err;
  EXPECT_NE(down.err.find("watch: the server did not answer"), std::string::npos) << down.err;
  const auto still = ongoing_devnet(data);
  ASSERT_TRUE(still.has_value()) << read_text(archive::devnets_path(data));
  EXPECT_EQ(still->id, running->id);

  // Back: the data is older than the tolerance, so the devnet has ended.
  ASSERT_TRUE(vm.start()) << read_text(tmp / "victoria-metrics.log");
  auto back = watch_once("1");
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_NE(back.err.find("no devnet is running"), std::string::npos) << back.err;
  EXPECT_FALSE(ongoing_devnet(data).has_value());
}

}  // namespace
