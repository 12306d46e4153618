// The shared timing sections (analysis/detail/timing.h) on hand-made
// archives: one client's instances merged by `le`, a window without
// observations breaks the line, the figures' paths, the p95 comparison.
#include "analysis/detail/timing.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis::detail {
namespace {

using Archive = leanscope::testing::TestArchive;
TimeMs at(int minute) { return leanscope::testing::at_minute(minute); }

const TimingSpec kSpec{"state_transition_histograms", "state_transition_timing",      "total", "total",
                       "State transition time",       "Time of one state transition."};

void add(Archive& a, const std::string& job, const std::string& instance, const std::string& le, int first,
         std::vector<double> values) {
  a.add("state_transition_histograms", 0, {{"job", job}, {"instance", instance}, {"le", le}}, first, std::move(values));
}

Timing sections_of(const Archive& a) {
  auto data = DevnetData::load(a.dir(), a.devnet(), {"state_transition_histograms", "state_transition_timing"});
  EXPECT_TRUE(data.ok());
  return timing_sections(*data, kSpec);
}

TEST(TimingSections, InstancesOfOneClientAreMergedByBound) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  // Instance 1: 10 observations <= 10 ms; instance 2: 10 in (10, 20] ms.
  add(a, "ream_0", "r:1", "0.01", 0, {0, 10});
  add(a, "ream_0", "r:1", "0.02", 0, {0, 10});
  add(a, "ream_0", "r:1", "+Inf", 0, {0, 10});
  add(a, "ream_0", "r:2", "0.01", 0, {0, 0});
  add(a, "ream_0", "r:2", "0.02", 0, {0, 10});
  add(a, "ream_0", "r:2", "+Inf", 0, {0, 10});
  a.write();
  const auto t = sections_of(a);
  const auto& q = t.clients.at("ream_0");
  // 20 observations, 10 in each bucket: p50 = 10 ms (rank 10 ends the first),
  // p95 = 10 + 10 × 9/10 = 19 ms.
  EXPECT_DOUBLE_EQ(*q.observations, 20);
  EXPECT_NEAR(*q.p50, 0.01, 1e-12);
  EXPECT_NEAR(*q.p95, 0.019, 1e-12);
  EXPECT_NEAR(*t.network.p95, 0.019, 1e-12);
  EXPECT_FALSE(t.from_quantile_series);
  ASSERT_EQ(t.sections.size(), 3u);
  EXPECT_EQ(t.sections[0].id, "total");
  EXPECT_EQ(t.sections[1].id, "total-distribution");
  EXPECT_EQ(t.sections[2].id, "total-network");
  EXPECT_EQ(t.sections[2].panels.at(0).client, "All clients");
}

TEST(TimingSections, ARenamedJobKeepsCountingAcrossTheRename) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  // Scraped as `ream` (instance ream:8080) until minute 4, then as `ream_0`:
  // one process, its counters continue. 40 observations <= 10 ms before the
  // rename, then 50 in (10, 20] ms, 10 of them between the two instances'
  // samples.
  for (const char* le : {"0.01", "0.02", "+Inf"}) add(a, "ream_0", "ream:8080", le, 0, {0, 10, 20, 30, 40});
  add(a, "ream_0", "ream_0:8080", "0.01", 5, {40, 40, 40, 40, 40});
  for (const char* le : {"0.02", "+Inf"}) add(a, "ream_0", "ream_0:8080", le, 5, {50, 60, 70, 80, 90});
  a.write();
  const auto q = sections_of(a).clients.at("ream_0");
  EXPECT_DOUBLE_EQ(*q.observations, 90);
  // Rank 45 is the 5th of the 50 in (10, 20]: 10 + 10 × 5/50 = 11 ms.
  EXPECT_NEAR(*q.p50, 0.011, 1e-12);
}

TEST(TimingSections, AWindowWithoutObservationsBreaksTheLine) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 15, {"zeam_0"});
  // Observations in (0, 5] and (10, 15] min only.
  add(a, "zeam_0", "z:1", "0.01", 0, {0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 7, 8, 9, 10});
  add(a, "zeam_0", "z:1", "+Inf", 0, {0, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 7, 8, 9, 10});
  a.write();
  const auto t = sections_of(a);
  const auto& line = t.sections[0].panels.at(0).lines.at(0);
  EXPECT_EQ(line.label, "p50");
  EXPECT_EQ(line.series.t, (std::vector<TimeMs>{at(5), at(10), at(15)}));
  EXPECT_FALSE(std::isnan(line.series.v[0]));
  EXPECT_TRUE(std::isnan(line.series.v[1]));
  EXPECT_FALSE(std::isnan(line.series.v[2]));
}

TEST(TimingSections, AnInfrastructureJobIsInNeitherTheNetworkLineNorItsFigures) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 5, {"ream_0"});
  // ream_0: 10 observations <= 10 ms in the one window; a job the devnet does
  // not list as a client (grafana, infrastructure): 10 in (10, 20] ms.
  for (const char* le : {"0.01", "0.02", "+Inf"}) add(a, "ream_0", "r:1", le, 0, {0, 2, 4, 6, 8, 10});
  add(a, "grafana", "g:1", "0.01", 0, {0, 0, 0, 0, 0, 0});
  for (const char* le : {"0.02", "+Inf"}) add(a, "grafana", "g:1", le, 0, {0, 2, 4, 6, 8, 10});
  a.write();
  const auto t = sections_of(a);
  // p95 of ream_0's 10 observations in (0, 10 ms]: 9.5 ms, in the figure and in the line.
  ASSERT_TRUE(t.network.p95.has_value());
  EXPECT_NEAR(*t.network.p95, 0.0095, 1e-12);
  const auto& lines = t.sections.at(2).panels.at(0).lines;
  ASSERT_EQ(lines.at(1).label, "p95");
  ASSERT_EQ(lines.at(1).series.v.size(), 1u);
  EXPECT_NEAR(lines.at(1).series.v[0], 0.0095, 1e-12);
}

TEST(TimingSections, FiguresAndComparison) {
  Quantiles q;
  q.p50 = 0.001;
  q.p99 = 0.004;
  Figures f;
  add_quantiles(f, {"state_transition", "total_s"}, q);
  ASSERT_EQ(f.items().size(), 3u);
  EXPECT_EQ(f.items()[1].path, (std::vector<std::string>{"state_transition", "total_s", "p95"}));
  EXPECT_FALSE(f.items()[1].value.has_value());
  EXPECT_EQ(format_ms(q.p50), "1.00 ms");
  EXPECT_EQ(format_ms(std::nullopt), "–");

  Timing slow, none;
  slow.clients["a_0"].p95 = 0.002;
  slow.clients["b_0"].p95 = 0.008;
  const auto s =
      p95_comparison("cmp", "Which client is slow", "text", {"a_0", "b_0", "c_0"}, {{"Slow", &slow}, {"None", &none}});
  EXPECT_EQ(s.chart, ChartKind::Bars);
  EXPECT_EQ(s.unit, Unit::Seconds);
  ASSERT_TRUE(s.bars.has_value());
  EXPECT_EQ(s.bars->categories, (std::vector<std::string>{"Slow", "None"}));
  ASSERT_EQ(s.bars->groups.size(), 2u);  // c_0 has no data anywhere
  EXPECT_DOUBLE_EQ(s.bars->groups[1].values[0], 0.008);
  EXPECT_TRUE(std::isnan(s.bars->groups[1].values[1]));
}

}  // namespace
}  // namespace leanscope::analysis::detail
