// Series operations on small hand-made series whose answers are worked out
// in the comments.
#include "analysis/detail/series_ops.h"

#include <gtest/gtest.h>

#include <cmath>

namespace leanscope::analysis::detail {
namespace {

constexpr TimeMs kMin = 60'000;

RawSeries raw(std::vector<TimeMs> t, std::vector<double> v) { return {std::move(t), std::move(v)}; }

TEST(SortUnique, SortsAndKeepsTheLastOfDuplicateTimes) {
  auto s = raw({3, 1, 3, 2}, {30, 10, 31, 20});
  sort_unique(s);
  EXPECT_EQ(s.t, (std::vector<TimeMs>{1, 2, 3}));
  EXPECT_EQ(s.v, (std::vector<double>{10, 20, 31}));
}

TEST(ChainSegments, JoinsARenamedInstanceButNotConcurrentInstances) {
  // ream scraped as instance "ream:8080" until minute 2, then as "ream_0:8080"
  // (the job was renamed): one process, one counter. Instance "b" runs at the
  // same time as both: a second process.
  std::vector<KeyedSeries> list{
      {"ream_0", {"ream_0:8080", "gossip"}, raw({3 * kMin, 4 * kMin}, {40, 50})},
      {"ream_0", {"ream:8080", "gossip"}, raw({0, kMin, 2 * kMin}, {10, 20, 30})},
      {"ream_0", {"b", "gossip"}, raw({0, 4 * kMin}, {1, 2})},
      {"ream_0", {"ream:8080", "block"}, raw({0}, {1})},
  };
  chain_segments(list, 0);
  ASSERT_EQ(list.size(), 3u);
  const auto& gossip = list[0];
  EXPECT_EQ(gossip.labels, (std::vector<std::string>{"ream_0:8080", "gossip"}));
  EXPECT_EQ(gossip.series.v, (std::vector<double>{10, 20, 30, 40, 50}));
  // Counted apart, the renamed series would look new: 40 extra or a restart.
  EXPECT_DOUBLE_EQ(total_increase(gossip.series, false), 40);
  EXPECT_EQ(list[1].labels[0], "b");
  EXPECT_EQ(list[2].labels[1], "block");
}

TEST(Clip, KeepsBothEndsOfTheWindow) {
  auto s = raw({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5});
  clip(s, 2, 4);
  EXPECT_EQ(s.t, (std::vector<TimeMs>{2, 3, 4}));
  EXPECT_EQ(s.v, (std::vector<double>{2, 3, 4}));
  clip(s, 10, 20);
  EXPECT_TRUE(s.empty());
}

TEST(SumGauges, SumsPerPeerSeriesInsteadOfTakingTheMax) {
  // Three peers, one series each with value 1 (ethlambda). Peer c leaves after
  // minute 1, so at minute 2 only a and b remain. The reference's max gave 1.
  auto a = raw({0, kMin, 2 * kMin}, {1, 1, 1});
  auto b = raw({0, kMin, 2 * kMin}, {1, 1, 1});
  auto c = raw({0, kMin}, {1, 1});
  auto sum = sum_gauges({&a, &b, &c});
  EXPECT_EQ(sum.t, (std::vector<TimeMs>{0, kMin, 2 * kMin}));
  EXPECT_EQ(sum.v, (std::vector<double>{3, 3, 2}));
}

TEST(Increases, ADropIsARestartAndTheNewValueIsTheIncrease) {
  // 10 -> 15 (+5) -> 3 (restart: +3) -> 8 (+5)
  auto s = raw({0, 1, 2, 3}, {10, 15, 3, 8});
  auto inc = increases(s);
  ASSERT_EQ(inc.size(), 3u);
  EXPECT_DOUBLE_EQ(inc[0].amount, 5);
  EXPECT_FALSE(inc[0].reset);
  EXPECT_DOUBLE_EQ(inc[1].amount, 3);
  EXPECT_TRUE(inc[1].reset);
  EXPECT_EQ(inc[1].from, 1);
  EXPECT_EQ(inc[1].to, 2);
  EXPECT_DOUBLE_EQ(inc[2].amount, 5);
}

TEST(TotalIncrease, IsResetAwareNeverTheMaximum) {
  auto s = raw({0, 1, 2, 3}, {10, 15, 3, 8});
  EXPECT_DOUBLE_EQ(total_increase(s, false), 13);  // the reference's max: 15
  EXPECT_DOUBLE_EQ(total_increase(s, true), 23);   // from 0: 10 + 13
  EXPECT_DOUBLE_EQ(total_increase(raw({5}, {7}), false), 0);
  EXPECT_DOUBLE_EQ(total_increase(raw({5}, {7}), true), 7);
  EXPECT_DOUBLE_EQ(total_increase(RawSeries{}, true), 0);
}

TEST(SumRates, DividesByElapsedMinutesNotPerRow) {
  // A: samples at 0, 1, 3 min (minute 2 missing): 0 -> 6 -> 18, i.e. 6/min
  // throughout. Per row, the reference drew 6 then 12.
  auto a = raw({0, kMin, 3 * kMin}, {0, 6, 18});
  auto r = sum_rates({&a}, static_cast<double>(kMin));
  EXPECT_EQ(r.t, (std::vector<TimeMs>{kMin, 3 * kMin}));
  EXPECT_EQ(r.v, (std::vector<double>{6, 6}));
}

TEST(SumRates, AMissingSampleNeitherDropsTheSeriesNorReadsAsAReset) {
  // A as above; B every minute at 1/min. At minute 2 A has no sample but its
  // interval (1, 3] covers it: 6 + 1.
  auto a = raw({0, kMin, 3 * kMin}, {0, 6, 18});
  auto b = raw({0, kMin, 2 * kMin, 3 * kMin}, {0, 1, 2, 3});
  auto r = sum_rates({&a, &b}, static_cast<double>(kMin));
  EXPECT_EQ(r.t, (std::vector<TimeMs>{kMin, 2 * kMin, 3 * kMin}));
  EXPECT_EQ(r.v, (std::vector<double>{7, 7, 7}));
}

TEST(SumRates, PerSlotIsComputedPerSourceBeforeSumming) {
  // gossip: 100, 115, 130 at 0, 1, 2 min: 15/min = 1 per 4 s slot.
  // block: 50 at 0, nothing at 1 min, 65 at 2 min: 15 in 30 slots = 0.5 per slot.
  // Summing the counters first (the reference) gives 150, 115, 195: the
  // missing block sample reads as a drop, and the next diff as 80 in a minute.
  auto gossip = raw({0, kMin, 2 * kMin}, {100, 115, 130});
  auto block = raw({0, 2 * kMin}, {50, 65});
  auto r = sum_rates({&gossip, &block}, 4000.0);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_DOUBLE_EQ(r.v[0], 1.5);
  EXPECT_DOUBLE_EQ(r.v[1], 1.5);
}

TEST(SumRates, ResetCountsTheNewValue) {
  // 10 -> 20 (+10) -> 4 (restart, +4) in one-minute steps.
  auto a = raw({0, kMin, 2 * kMin}, {10, 20, 4});
  auto r = sum_rates({&a}, static_cast<double>(kMin));
  EXPECT_EQ(r.v, (std::vector<double>{10, 4}));
}

TEST(CumulativeIncreases, NeverDropsAndBreaksTheLineAtARestart) {
  auto a = raw({0, kMin, 2 * kMin, 3 * kMin}, {5, 10, 2, 4});
  auto c = cumulative_increases({&a}, {false});
  // 0, 5, (break), 7, 9; the break sits halfway between minutes 1 and 2.
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c.t[2], kMin + kMin / 2);
  EXPECT_TRUE(std::isnan(c.v[2]));
  EXPECT_EQ(c.v[0], 0);
  EXPECT_EQ(c.v[1], 5);
  EXPECT_EQ(c.v[3], 7);
  EXPECT_EQ(c.v[4], 9);
  auto from_zero = cumulative_increases({&a}, {true});
  EXPECT_EQ(from_zero.v[0], 5);
  EXPECT_EQ(from_zero.v[4], 14);
}

TEST(CumulativeIncreases, SumsSeriesThatResetAtDifferentTimes) {
  // Two instances: a restarts at minute 2, b at minute 3; b starts at minute 1.
  auto a = raw({0, kMin, 2 * kMin, 3 * kMin}, {100, 110, 5, 15});
  auto b = raw({kMin, 2 * kMin, 3 * kMin}, {50, 60, 1});
  auto c = cumulative_increases({&a, &b}, {false, false});
  std::vector<double> values;
  for (double v : c.v) {
    if (!std::isnan(v)) values.push_back(v);
  }
  // a: 0, 10, 15, 25; b: -, 0, 10, 11 -> 0, 10, 25, 36
  EXPECT_EQ(values, (std::vector<double>{0, 10, 25, 36}));
  std::size_t breaks = 0;
  for (double v : c.v) breaks += std::isnan(v) ? 1 : 0;
  EXPECT_EQ(breaks, 2u);
}

TEST(StatsOf, IgnoresBreaksAndIsEmptyWithoutData) {
  TimeSeries s{{1, 2, 3, 4}, {2, NAN, 4, 9}};
  auto st = stats_of(s);
  EXPECT_DOUBLE_EQ(*st.avg, 5);
  EXPECT_DOUBLE_EQ(*st.min, 2);
  EXPECT_DOUBLE_EQ(*st.max, 9);
  auto none = stats_of(TimeSeries{});
  EXPECT_FALSE(none.avg || none.min || none.max);
}

TEST(Episodes, FindsMaximalRunsWithTheirPeak) {
  TimeSeries s{{1, 2, 3, 4, 5, 6}, {0, 5, 7, 0, 9, 9}};
  auto e = episodes(s, [](double v) { return v > 1; });
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].start, 2);
  EXPECT_EQ(e[0].end, 3);
  EXPECT_EQ(e[0].peak, 7);
  EXPECT_EQ(e[1].start, 5);
  EXPECT_EQ(e[1].end, 6);
}

}  // namespace
}  // namespace leanscope::analysis::detail
