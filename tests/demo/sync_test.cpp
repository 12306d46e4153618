#include "demo/sync.h"

#include <gtest/gtest.h>

#include "demo/process.h"
#include "sim/simulator.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::demo;
using leanscope::testing::TempDir;

namespace {

TEST(SyncSummary, SaysWhatEachStepDid) {
  SyncSummary s;
  EXPECT_EQ(format_sync_summary(s), "nothing changed");
  s.detect_ran = true;
  s.devnets_new = 1;
  s.devnets_unchanged = 2;
  EXPECT_EQ(format_sync_summary(s), "devnets: 1 new, 0 updated, 2 unchanged");
  s.fetch_ran = true;
  s.datasets_fetched = 7;
  s.datasets_skipped = 14;
  s.render_ran = true;
  s.pages_written = 4;
  s.pages_skipped = 6;
  EXPECT_EQ(format_sync_summary(s),
            "devnets: 1 new, 0 updated, 2 unchanged; datasets: 7 written, 14 skipped, 0 failed; "
            "pages: 4 written, 6 skipped, 0 failed");
  EXPECT_TRUE(s.ok());
  s.datasets_failed = 1;
  s.failures.push_back("fetch pqdevnet-x/peer_events: boom");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(format_sync_summary(s),
            "devnets: 1 new, 0 updated, 2 unchanged; datasets: 7 written, 14 skipped, 1 failed; "
            "pages: 4 written, 6 skipped, 0 failed; 1 failure");
  s.failures.push_back("render pqdevnet-x: boom");
  s.pages_failed = 1;
  EXPECT_EQ(format_sync_summary(s),
            "devnets: 1 new, 0 updated, 2 unchanged; datasets: 7 written, 14 skipped, 1 failed; "
            "pages: 4 written, 6 skipped, 1 failed; 2 failures");
}

SyncOptions refused_server(const TempDir& tmp) {
  SyncOptions options;
  auto port = pick_free_loopback_port();  // nothing listens there
  options.prometheus.base_url = "http://127.0.0.1:" + std::to_string(port.ok() ? *port : 1);
  options.prometheus.retry.max_attempts = 1;
  options.detect.window_end = now_ms();
  options.detect.window_start = options.detect.window_end - 3'600'000;
  options.data_dir = tmp / "data";
  options.out = tmp / "site";
  options.devnet = "all";
  return options;
}

TEST(RunSync, RefusedServerWithoutArchiveFailsOnce) {
  TempDir tmp;
  auto summary = run_sync(refused_server(tmp));
  EXPECT_FALSE(summary.ok());
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures[0].rfind("detect: ", 0), 0u) << summary.failures[0];
  EXPECT_FALSE(summary.detect_ran);
  EXPECT_FALSE(summary.render_ran);
  EXPECT_FALSE(fs::exists(tmp / "site"));
}

TEST(RunSync, RefusedServerStillRendersTheArchive) {
  TempDir tmp;
  sim::SimulationConfig config;
  config.iterations = 1;
  config.hours = 0.5;
  config.end = now_ms() - 3'600'000;
  auto simulation = sim::simulate(config);
  ASSERT_TRUE(simulation.ok()) << simulation.error().message;
  ASSERT_TRUE(sim::write_archive(*simulation, tmp / "data").ok());

  auto summary = run_sync(refused_server(tmp));
  EXPECT_FALSE(summary.ok());
  ASSERT_FALSE(summary.failures.empty());
  EXPECT_EQ(summary.failures[0].rfind("detect: ", 0), 0u);
  EXPECT_TRUE(summary.render_ran);
  EXPECT_GT(summary.pages_written, 0);
  EXPECT_TRUE(fs::exists(tmp / "site/index.html"));
}

TEST(RunSync, BadUrlIsAFailureNotACrash) {
  TempDir tmp;
  auto options = refused_server(tmp);
  options.prometheus.base_url = "not a url";
  auto summary = run_sync(options);
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_EQ(summary.failures[0].rfind("prometheus: ", 0), 0u) << summary.failures[0];
}

}  // namespace
