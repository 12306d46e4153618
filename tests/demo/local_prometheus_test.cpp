#include "demo/local_prometheus.h"

#include <gtest/gtest.h>

#include <chrono>

#include "support/test_support.h"

using namespace std::chrono_literals;
using namespace leanscope;
using namespace leanscope::demo;
using namespace leanscope::testing;

namespace {

TEST(LocalPrometheus, BackfillsServesAndStops) {
  if (!prometheus_installed()) GTEST_SKIP() << "prometheus/promtool not installed";
  TempDir tmp;
  write_text(tmp / "sim.om",
             "# TYPE lean_head_slot gauge\n"
             "lean_head_slot{job=\"zeam_0\"} 41 1700000000\n"
             "lean_head_slot{job=\"zeam_0\"} 42 1700000015\n"
             "# EOF\n");
  auto backfill = backfill_openmetrics(tmp / "sim.om", tmp / "tsdb", tmp / "promtool.log");
  ASSERT_TRUE(backfill.ok()) << backfill.error().message;

  LocalPrometheusOptions options;
  options.tsdb = tmp / "tsdb";
  options.config = tmp / "prometheus.yml";
  options.log_file = tmp / "prometheus.log";
  auto prometheus = LocalPrometheus::start(options);
  ASSERT_TRUE(prometheus.ok()) << prometheus.error().message;
  EXPECT_EQ(prometheus->url(), "http://127.0.0.1:" + std::to_string(prometheus->port()));
  EXPECT_EQ(loopback_http_status(prometheus->port(), "/-/ready", 5s), 200);
  auto answer = http_get(prometheus->url() + "/api/v1/query?query=lean_head_slot&time=1700000015");
  ASSERT_TRUE(answer.has_value());
  EXPECT_NE(answer->find("\"zeam_0\""), std::string::npos) << *answer;
  EXPECT_NE(answer->find("\"42\""), std::string::npos) << *answer;

  EXPECT_TRUE(prometheus->stop());  // a clean shutdown on SIGTERM
  EXPECT_FALSE(prometheus->running());
  EXPECT_FALSE(loopback_http_status(prometheus->port(), "/-/ready", 1s).has_value());
  EXPECT_NE(read_text(tmp / "prometheus.log").find("Server is ready"), std::string::npos);
}

TEST(LocalPrometheus, BadOpenMetricsIsAClearError) {
  if (!prometheus_installed()) GTEST_SKIP() << "prometheus/promtool not installed";
  TempDir tmp;
  write_text(tmp / "bad.om", "this is not openmetrics\n");
  auto backfill = backfill_openmetrics(tmp / "bad.om", tmp / "tsdb", tmp / "promtool.log");
  ASSERT_FALSE(backfill.ok());
  EXPECT_NE(backfill.error().message.find("promtool failed"), std::string::npos) << backfill.error().message;
}

}  // namespace
