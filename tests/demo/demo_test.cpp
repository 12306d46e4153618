#include "demo/demo.h"

#include <gtest/gtest.h>

#include "common/time.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace leanscope;
using namespace leanscope::demo;
using leanscope::testing::TempDir;
using leanscope::testing::write_text;

namespace {

constexpr TimeMs kHour = 3'600'000;

std::string truth_text(int clients, int iterations, double hours, int seed, const std::string& end,
                       const std::string& first_start) {
  return fmt::format(
      R"({{"config":{{"clients":{},"iterations":{},"hours":{},"seed":{},"end":"{}"}},)"
      R"("iterations":[{{"id":"pqdevnet-x","start":"{}","end":"{}","clients":["zeam_0"]}}],"events":[]}})",
      clients, iterations, hours, seed, end, first_start, end);
}

class Reuse : public ::testing::Test {
 protected:
  void SetUp() override {
    options.clients = 6;
    options.iterations = 3;
    options.hours = 3.0;
    options.seed = 7;
  }
  TempDir tmp;
  DemoOptions options;
  TimeMs end = *parse_iso8601("2026-11-24T12:00:00Z");
  TimeMs start = *parse_iso8601("2026-11-24T03:00:00Z");
};

TEST_F(Reuse, RecentSimulationOfTheSameShapeIsReused) {
  write_text(tmp / "truth.json", truth_text(6, 3, 3.0, 7, "2026-11-24T12:00:00Z", "2026-11-24T03:00:00Z"));
  auto reuse = reusable_simulation(tmp / "truth.json", options, end + 2 * kHour);
  ASSERT_TRUE(reuse.has_value());
  EXPECT_EQ(reuse->end, end);
  EXPECT_EQ(reuse->first_start, start);
}

TEST_F(Reuse, OldOrDifferentSimulationsAreNot) {
  write_text(tmp / "truth.json", truth_text(6, 3, 3.0, 7, "2026-11-24T12:00:00Z", "2026-11-24T03:00:00Z"));
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end + 25 * kHour).has_value());
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end - kHour).has_value());  // from the future
  options.seed = 8;
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end + kHour).has_value());
  options.seed = 7;
  options.clients = 5;
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end + kHour).has_value());
  options.clients = 6;
  options.hours = 2.5;
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end + kHour).has_value());
}

TEST_F(Reuse, MissingOrBrokenTruthIsNot) {
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end).has_value());
  write_text(tmp / "truth.json", "{\"config\":");
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end).has_value());
  write_text(tmp / "truth.json", R"({"config":{"clients":6,"iterations":3,"hours":3,"seed":7}})");
  EXPECT_FALSE(reusable_simulation(tmp / "truth.json", options, end).has_value());
}

TEST(DemoPaths, EverythingInsideTheOutFolder) {
  auto p = DemoPaths::in("demo");
  EXPECT_EQ(p.openmetrics, fs::path("demo/sim.om"));
  EXPECT_EQ(p.truth, fs::path("demo/truth.json"));
  EXPECT_EQ(p.tsdb, fs::path("demo/tsdb"));
  EXPECT_EQ(p.data, fs::path("demo/data"));
  EXPECT_EQ(p.site, fs::path("demo/site"));
  EXPECT_EQ(p.prometheus_log, fs::path("demo/prometheus.log"));
  EXPECT_EQ(DemoPaths::in("demo", "archive").data, fs::path("archive"));
}

TEST(Demo, RefusesAFolderHoldingAnArchiveThatIsNotADemo) {
  TempDir tmp;
  write_text(tmp / "out/data/devnets.json", "{}");
  DemoOptions options;
  options.out = tmp / "out";
  options.use_prometheus = false;
  auto result = run_demo(options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("no truth.json"), std::string::npos) << result.error().message;
  EXPECT_TRUE(fs::exists(tmp / "out/data/devnets.json"));
}

}  // namespace
