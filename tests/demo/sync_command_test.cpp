// `leanscope sync` against a real Prometheus loaded with the simulator's output.
#include <gtest/gtest.h>

#include "archive/devnets.h"
#include "common/time.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::testing;

namespace {

TEST(SyncCommand, DetectFetchRenderAgainstPrometheus) {
  if (!have_program("prometheus") || !have_program("promtool")) GTEST_SKIP() << "prometheus not installed";
  TempDir tmp;
  const TimeMs end = (now_ms() / 60'000) * 60'000 - 3'600'000;
  const std::string end_arg = format_iso_z(end);
  auto simulated = run_leanscope({"simulate", "--openmetrics", (tmp / "sim.om").string(), "--iterations", "2",
                                  "--hours", "1", "--seed", "11", "--end", end_arg});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  PrometheusServer prometheus(tmp / "sim.om", tmp / "prom");
  ASSERT_TRUE(prometheus.ok());

  const std::vector<std::string> args{"sync",
                                      "--prometheus-url",
                                      prometheus.url(),
                                      "--devnet",
                                      "all",
                                      "--data-dir",
                                      (tmp / "data").string(),
                                      "--out",
                                      (tmp / "site").string(),
                                      "--start",
                                      format_iso_z(end - 4 * 3'600'000),
                                      "--end",
                                      end_arg};
  auto first = run_leanscope(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("sync: devnets: 2 new"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("0 failed"), std::string::npos) << first.out;
  auto devnets = archive::load_devnets(tmp / "data");
  ASSERT_TRUE(devnets.ok()) << devnets.error().message;
  ASSERT_EQ(devnets->devnets.size(), 2u);
  EXPECT_TRUE(fs::exists(tmp / "site/index.html"));
  EXPECT_TRUE(fs::exists(tmp / "site/data.html"));
  for (const auto& d : devnets->devnets) {
    EXPECT_TRUE(fs::exists(tmp / "data" / d.id / "head_slot.parquet")) << d.id;
    EXPECT_TRUE(fs::exists(tmp / "site" / d.id / "index.html")) << d.id;
    EXPECT_TRUE(fs::exists(tmp / "site" / d.id / "networking.html")) << d.id;
  }

  // Nothing changed on the server: nothing new, nothing rewritten.
  auto second = run_leanscope(args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("devnets: 0 new, 0 updated, 2 unchanged"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("datasets: 0 written"), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("pages: 0 written"), std::string::npos) << second.out;
}

TEST(SyncCommand, RefusedServerExitsNonZeroWithASummary) {
  TempDir tmp;
  auto port = free_loopback_port();  // nothing listens there
  auto r = run_leanscope({"sync", "--prometheus-url", "http://127.0.0.1:" + std::to_string(port), "--retries", "1",
                          "--data-dir", (tmp / "data").string(), "--out", (tmp / "site").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("sync: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; 1 failure\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("leanscope: failed: detect:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("leanscope: error: sync: 1 step failed"), std::string::npos) << r.err;
}

}  // namespace
