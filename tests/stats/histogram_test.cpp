// Hand-made histograms whose answers are worked out in the comments, following
// Prometheus' histogram_quantile step by step (sort, +Inf check, monotonic
// repair, rank = q × total, first bucket with count >= rank, interpolation).
#include "stats/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace leanscope::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr TimeMs kMinute = 60'000;

// 10 observations <= 0.1, 20 in (0.1, 0.5], 10 in (0.5, 1], none above.
const std::vector<Bucket> kFortyObservations = {{0.1, 10}, {0.5, 30}, {1, 40}, {kInf, 40}};

TEST(ParseLe, ReadsTheNumbersPrometheusWrites) {
  EXPECT_EQ(parse_le("+Inf"), kInf);
  EXPECT_EQ(parse_le("Inf"), kInf);
  EXPECT_EQ(parse_le("-Inf"), -kInf);
  EXPECT_EQ(parse_le("1e-3"), 0.001);
  EXPECT_EQ(parse_le("0.005"), 0.005);
  EXPECT_EQ(parse_le("10"), 10.0);
  EXPECT_EQ(parse_le("2.5E+1"), 25.0);
  EXPECT_EQ(parse_le("-0.5"), -0.5);
  EXPECT_EQ(parse_le(".5"), 0.5);
}

TEST(ParseLe, GarbageIsNoNumber) {
  for (const char* text :
       {"", " ", "+", "abc", "NaN", "nan", " 1", "1 ", "1.0.0", "--1", "+-1", "1e400", "0x1p3", "1ms", "Infinite"}) {
    EXPECT_EQ(parse_le(text), std::nullopt) << text;
  }
}

TEST(HistogramQuantile, InterpolatesInsideAMiddleBucket) {
  // q = 0.5: rank = 20; the first count >= 20 is le=0.5 (30). Inside it:
  // 0.1 + (0.5 - 0.1) × (20 - 10) / (30 - 10) = 0.1 + 0.4 × 0.5 = 0.3.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.5, kFortyObservations), 0.3);
  // q = 1: rank = 40 reaches le=1 (40): 0.5 + 0.5 × (40 - 30) / (40 - 30) = 1.
  EXPECT_DOUBLE_EQ(*histogram_quantile(1.0, kFortyObservations), 1.0);
}

TEST(HistogramQuantile, FirstBucketInterpolatesFromZero) {
  // q = 0.2: rank = 8 <= 10 (le=0.1): 0 + 0.1 × 8 / 10 = 0.08.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.2, kFortyObservations), 0.08);
  // q = 0: rank 0 lands in the first bucket at its lower bound 0.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.0, kFortyObservations), 0.0);
  // A first bound <= 0 is returned as is: rank 2 of 10 is in le=-0.5.
  const std::vector<Bucket> negative = {{-0.5, 5}, {1, 10}, {kInf, 10}};
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.2, negative), -0.5);
}

TEST(HistogramQuantile, RankInTheInfBucketGivesTheHighestFiniteBound) {
  // 10 observations above 1: total 50. q = 0.9: rank 45 > 40 (le=1), so the
  // rank is in +Inf: the answer is the highest finite bound, 1.
  const std::vector<Bucket> tail = {{0.1, 10}, {0.5, 30}, {1, 40}, {kInf, 50}};
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.9, tail), 1.0);
  // q = 0.8: rank 40 is still le=1's: 0.5 + 0.5 × 10 / 10 = 1 as well, and
  // q = 0.7: rank 35: 0.5 + 0.5 × 5 / 10 = 0.75.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.8, tail), 1.0);
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.7, tail), 0.75);
}

TEST(HistogramQuantile, NoObservationsIsNoValueNeverZero) {
  EXPECT_EQ(histogram_quantile(0.5, std::vector<Bucket>{}), std::nullopt);
  EXPECT_EQ(histogram_quantile(0.5, std::vector<Bucket>{{0.1, 0}, {1, 0}, {kInf, 0}}), std::nullopt);
  // q = 0 with an empty first bucket: Prometheus divides 0 by 0 (NaN): no value.
  EXPECT_EQ(histogram_quantile(0.0, std::vector<Bucket>{{0.1, 0}, {1, 10}, {kInf, 10}}), std::nullopt);
}

TEST(HistogramQuantile, ASingleBucketIsNoValue) {
  // Prometheus needs at least two buckets, one of them +Inf.
  EXPECT_EQ(histogram_quantile(0.5, std::vector<Bucket>{{kInf, 5}}), std::nullopt);
  EXPECT_EQ(histogram_quantile(0.5, std::vector<Bucket>{{1, 5}}), std::nullopt);
}

TEST(HistogramQuantile, MissingInfBucketIsNoValue) {
  EXPECT_EQ(histogram_quantile(0.5, std::vector<Bucket>{{0.1, 10}, {0.5, 30}, {1, 40}}), std::nullopt);
}

TEST(HistogramQuantile, QuantilesOutsideZeroToOne) {
  EXPECT_EQ(histogram_quantile(-0.1, kFortyObservations), -kInf);
  EXPECT_EQ(histogram_quantile(1.1, kFortyObservations), kInf);
  auto nan = histogram_quantile(std::nan(""), kFortyObservations);
  ASSERT_TRUE(nan.has_value());
  EXPECT_TRUE(std::isnan(*nan));
}

TEST(HistogramQuantile, SortsAndSumsEqualBounds) {
  // kFortyObservations shuffled, with le=0.1 split in two parts (4 + 6).
  const std::vector<Bucket> shuffled = {{kInf, 40}, {0.5, 30}, {0.1, 4}, {1, 40}, {0.1, 6}};
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.5, shuffled), 0.3);
}

TEST(HistogramQuantile, NonMonotonicCountsAreRaisedToTheEnvelope) {
  // le=0.5 reads 8 below le=0.1's 10: Prometheus raises it to 10, giving
  // {10, 10, 12, 12}. q = 0.9: rank 10.8 falls in le=1:
  // 0.5 + 0.5 × (10.8 - 10) / (12 - 10) = 0.7 (unrepaired it would be 0.85).
  const std::vector<Bucket> dented = {{0.1, 10}, {0.5, 8}, {1, 12}, {kInf, 12}};
  EXPECT_NEAR(*histogram_quantile(0.9, dented), 0.7, 1e-12);
  // q = 0.5: rank 6 in le=0.1: 0.1 × 6 / 10 = 0.06.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.5, dented), 0.06);
}

TEST(HistogramQuantile, DifferencesBelowTheRelativeToleranceAreIgnored) {
  // Counts 1e13, 1e13+1, 1e13+2 differ by < 1e-12 relative: current
  // Prometheus sets both to 1e13. A rank of 1e13 + 1.5 then lies beyond
  // every finite bucket: the answer is the highest finite bound, 1 (without
  // the tolerance it would be 0.5 + 0.5 × 0.5 / 1 = 0.75).
  const std::vector<Bucket> noisy = {{0.1, 1e13}, {0.5, 1e13 + 1}, {1, 1e13 + 2}, {kInf, 2e13}};
  EXPECT_DOUBLE_EQ(*histogram_quantile((1e13 + 1.5) / 2e13, noisy), 1.0);
}

TEST(CounterIncrease, BaselineIsTheLastSampleAtOrBeforeTheWindow) {
  const std::vector<TimeMs> t = {0, 10, 20, 30};
  const std::vector<double> v = {5, 7, 12, 13};
  // (10, 30]: baseline 7 (t=10), then +5 and +1.
  EXPECT_EQ(counter_increase(t, v, 10, 30), 6.0);
  // (-5, 30]: nothing before the window, the first sample (5) is the baseline: 2 + 5 + 1.
  EXPECT_EQ(counter_increase(t, v, -5, 30), 8.0);
  // (5, 20]: baseline 5 (t=0): 2 + 5.
  EXPECT_EQ(counter_increase(t, v, 5, 20), 7.0);
}

TEST(CounterIncrease, ADropIsARestart) {
  // 5 → 7 (+2), 7 → 2: restarted, +2; 2 → 4: +2. Total 6.
  const std::vector<TimeMs> t = {0, 10, 20, 30};
  const std::vector<double> v = {5, 7, 2, 4};
  EXPECT_EQ(counter_increase(t, v, 0, 30), 6.0);
}

TEST(CounterIncrease, NoSampleInsideIsNoValue) {
  const std::vector<TimeMs> t = {0, 10};
  const std::vector<double> v = {5, 7};
  EXPECT_EQ(counter_increase(t, v, 10, 40), std::nullopt);
  EXPECT_EQ(counter_increase(t, v, -20, -10), std::nullopt);
  EXPECT_EQ(counter_increase({}, {}, 0, 10), std::nullopt);
  // One sample inside and nothing before: it is its own baseline, increase 0.
  EXPECT_EQ(counter_increase(t, v, 5, 10), 2.0);
  EXPECT_EQ(counter_increase(std::vector<TimeMs>{3}, std::vector<double>{9}, 0, 10), 0.0);
}

TEST(CounterIncrease, ASeriesVanishingMidWindowCountsWhatItSaw) {
  const std::vector<TimeMs> t = {0, 10, 20};
  const std::vector<double> v = {5, 7, 12};
  EXPECT_EQ(counter_increase(t, v, 0, 60), 7.0);
}

TEST(CounterIncrease, SkipsUnreadableSamplesAndUnpairedTails) {
  const std::vector<TimeMs> t = {0, 10, 20, 30};
  const std::vector<double> v = {5, std::nan(""), -3, 7};
  EXPECT_EQ(counter_increase(t, v, -1, 30), 2.0);  // 5 → 7; the NaN and the negative are not drops
  const std::vector<double> shorter = {5, 6};
  EXPECT_EQ(counter_increase(t, shorter, -1, 30), 1.0);
}

TEST(BucketIncrease, MergesInstancesWithDifferentBoundsAsPrometheusSumsThem) {
  // Instance A exports le 0.1, 1, +Inf; instance B exports 0.5, +Inf. Over
  // (0, 60]: A gains 10, 15, 20; B gains 3, 5.
  const std::vector<TimeMs> t = {0, 60};
  const std::vector<double> a01 = {0, 10}, a1 = {0, 15}, a_inf = {0, 20}, b05 = {100, 103}, b_inf = {200, 205};
  const std::vector<BucketSeries> series = {
      {0.1, t, a01}, {1, t, a1}, {kInf, t, a_inf}, {0.5, t, b05}, {kInf, t, b_inf}};
  auto merged = bucket_increase(series, 0, 60);
  // Summed by le: 0.1:10, 0.5:3, 1:15, +Inf:25 (sorted; 0.5 is below 0.1's count).
  ASSERT_EQ(merged.size(), 4u);
  EXPECT_EQ(merged[0].le, 0.1);
  EXPECT_EQ(merged[0].count, 10);
  EXPECT_EQ(merged[1].le, 0.5);
  EXPECT_EQ(merged[1].count, 3);
  EXPECT_EQ(merged[2].count, 15);
  EXPECT_EQ(merged[3].le, kInf);
  EXPECT_EQ(merged[3].count, 25);
  // Repaired to {10, 10, 15, 25}. q = 0.5: rank 12.5 falls in le=1:
  // 0.5 + 0.5 × (12.5 - 10) / (15 - 10) = 0.75. q = 0.2: rank 5: 0.1 × 5 / 10 = 0.05.
  // q = 0.9: rank 22.5 > 15: the +Inf bucket, so 1.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.5, merged), 0.75);
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.2, merged), 0.05);
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.9, merged), 1.0);
}

TEST(BucketIncrease, ResetsInsideTheWindowCountEveryObservation) {
  // The process restarts between t=15 and t=30: le=0.1 gains 10, then 3 from
  // zero, then 2 (15 in all); +Inf gains 20, then 6, then 4 (30).
  const std::vector<TimeMs> t = {0, 15, 30, 45};
  const std::vector<double> low = {100, 110, 3, 5}, all = {200, 220, 6, 10};
  const std::vector<BucketSeries> series = {{0.1, t, low}, {kInf, t, all}};
  auto merged = bucket_increase(series, 0, 45);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].count, 15);
  EXPECT_EQ(merged[1].count, 30);
  // q = 0.25: rank 7.5 of 30 in le=0.1: 0.1 × 7.5 / 15 = 0.05.
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.25, merged), 0.05);
}

TEST(BucketIncrease, ABucketSeriesVanishingMidWindow) {
  // Samples at 0, 15, 30, 45, 60; le=0.5 stops after t=30.
  const std::vector<TimeMs> t = {0, 15, 30, 45, 60};
  const std::vector<TimeMs> t_short = {0, 15, 30};
  const std::vector<double> low = {0, 2, 4, 6, 8}, mid = {0, 3, 6}, all = {0, 4, 8, 12, 16};
  const std::vector<BucketSeries> series = {{0.1, t, low}, {0.5, t_short, mid}, {kInf, t, all}};
  // (0, 60]: 0.1:8, 0.5:6 (what it saw), +Inf:16 → repaired {8, 8, 16}.
  // q = 0.5: rank 8 in le=0.1: 0.1. q = 0.75: rank 12 > 8: +Inf, so 0.5.
  auto whole = bucket_increase(series, 0, 60);
  ASSERT_EQ(whole.size(), 3u);
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.5, whole), 0.1);
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.75, whole), 0.5);
  // (30, 60]: le=0.5 has no sample, so it is absent: {0.1:4, +Inf:8}.
  // q = 0.75: rank 6 > 4: +Inf, highest finite bound 0.1.
  auto late = bucket_increase(series, 30, 60);
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].le, 0.1);
  EXPECT_DOUBLE_EQ(*histogram_quantile(0.75, late), 0.1);
  // Only the vanished +Inf would make the late window unanswerable.
  const std::vector<BucketSeries> no_inf_late = {{0.1, t, low}, {kInf, t_short, all}};
  EXPECT_EQ(histogram_quantile(0.5, bucket_increase(no_inf_late, 30, 60)), std::nullopt);
}

TEST(BucketIncrease, SkipsSeriesWithoutABound) {
  const std::vector<TimeMs> t = {0, 60};
  const std::vector<double> v = {0, 10};
  const std::vector<BucketSeries> series = {{std::nan(""), t, v}, {kInf, t, v}};
  auto merged = bucket_increase(series, 0, 60);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].le, kInf);
}

TEST(BucketShares, ShareOfObservationsPerBucket) {
  // {0.1:10, 0.5:30, 1:40, +Inf:50}: 10, 20, 10, 10 of 50.
  const std::vector<Bucket> tail = {{0.1, 10}, {0.5, 30}, {1, 40}, {kInf, 50}};
  auto shares = bucket_shares(tail);
  ASSERT_EQ(shares.size(), 4u);
  EXPECT_EQ(shares[0].lower, 0.0);
  EXPECT_EQ(shares[0].le, 0.1);
  EXPECT_DOUBLE_EQ(shares[0].share, 0.2);
  EXPECT_EQ(shares[1].lower, 0.1);
  EXPECT_DOUBLE_EQ(shares[1].share, 0.4);
  EXPECT_DOUBLE_EQ(shares[2].share, 0.2);
  EXPECT_EQ(shares[3].lower, 1.0);
  EXPECT_EQ(shares[3].le, kInf);
  EXPECT_DOUBLE_EQ(shares[3].share, 0.2);
}

TEST(BucketShares, RepairedLikeTheQuantileAndEmptyWithoutValue) {
  // {0.1:10, 0.5:8, +Inf:12} → {10, 10, 12}: 10/12, 0, 2/12; never negative.
  auto shares = bucket_shares(std::vector<Bucket>{{0.1, 10}, {0.5, 8}, {kInf, 12}});
  ASSERT_EQ(shares.size(), 3u);
  EXPECT_DOUBLE_EQ(shares[0].share, 10.0 / 12);
  EXPECT_DOUBLE_EQ(shares[1].share, 0.0);
  EXPECT_DOUBLE_EQ(shares[2].share, 2.0 / 12);
  EXPECT_TRUE(bucket_shares(std::vector<Bucket>{{0.1, 0}, {kInf, 0}}).empty());
  EXPECT_TRUE(bucket_shares(std::vector<Bucket>{{0.1, 3}, {1, 5}}).empty());
  EXPECT_EQ(bucket_shares(std::vector<Bucket>{{-1, 1}, {kInf, 2}})[0].lower, -kInf);
}

// One instance, buckets 0.1, 1, +Inf, sampled every minute for 20 minutes:
// minutes 1-5 bring 2 observations a minute <= 0.1, minutes 6-10 2 a minute
// in (0.1, 1], minutes 11-15 none, minutes 16-20 2 a minute above 1.
struct ThreeBuckets {
  std::vector<TimeMs> t;
  std::vector<double> low, mid, all;
  ThreeBuckets() {
    for (int m = 0; m <= 20; ++m) {
      t.push_back(m * kMinute);
      const double a = 2.0 * std::min(m, 5);
      const double b = a + 2.0 * std::clamp(m - 5, 0, 5);
      const double c = b + 2.0 * std::clamp(m - 15, 0, 5);
      low.push_back(a);
      mid.push_back(b);
      all.push_back(c);
    }
  }
  [[nodiscard]] std::vector<BucketSeries> series() const { return {{0.1, t, low}, {1, t, mid}, {kInf, t, all}}; }
};

TEST(WindowedQuantiles, FiveMinuteWindowsOmitTheQuietOne) {
  ThreeBuckets h;
  const std::vector<double> qs = {0.5, 0.99};
  auto rows = windowed_quantiles(h.series(), qs, WindowGrid{0, 20 * kMinute, 5 * kMinute, 5 * kMinute});
  // Windows end at 5, 10, 15, 20 min; (10, 15] has no observation: omitted.
  ASSERT_EQ(rows.size(), 3u);
  // (0, 5]: {10, 10, 10}. p50: rank 5 of 10 in le=0.1: 0.05; p99: 0.1 × 9.9 / 10 = 0.099.
  EXPECT_EQ(rows[0].end, 5 * kMinute);
  EXPECT_EQ(rows[0].observations, 10);
  EXPECT_DOUBLE_EQ(*rows[0].values[0], 0.05);
  EXPECT_DOUBLE_EQ(*rows[0].values[1], 0.099);
  // (5, 10]: {0, 10, 10}. p50: rank 5 in le=1: 0.1 + 0.9 × 5 / 10 = 0.55.
  EXPECT_EQ(rows[1].end, 10 * kMinute);
  EXPECT_DOUBLE_EQ(*rows[1].values[0], 0.55);
  // (15, 20]: {0, 0, 10}: every rank is in +Inf: the highest finite bound, 1.
  EXPECT_EQ(rows[2].end, 20 * kMinute);
  EXPECT_DOUBLE_EQ(*rows[2].values[0], 1.0);
  EXPECT_DOUBLE_EQ(*rows[2].values[1], 1.0);
}

TEST(WindowedQuantiles, OverlappingWindows) {
  ThreeBuckets h;
  const std::vector<double> qs = {0.5};
  auto rows = windowed_quantiles(h.series(), qs, WindowGrid{0, 20 * kMinute, 10 * kMinute, 5 * kMinute});
  // Windows (0, 10], (5, 15], (10, 20].
  ASSERT_EQ(rows.size(), 3u);
  // (0, 10]: {10, 20, 20}: rank 10 reaches le=0.1 exactly: 0.1.
  EXPECT_DOUBLE_EQ(*rows[0].values[0], 0.1);
  // (5, 15]: {0, 10, 10}: 0.55 as above. (10, 20]: {0, 0, 10}: 1.
  EXPECT_DOUBLE_EQ(*rows[1].values[0], 0.55);
  EXPECT_DOUBLE_EQ(*rows[2].values[0], 1.0);
}

TEST(WindowedQuantiles, NoWindowsFromABadGridOrWithoutInf) {
  ThreeBuckets h;
  const std::vector<double> qs = {0.5};
  EXPECT_TRUE(windowed_quantiles(h.series(), qs, WindowGrid{0, 20 * kMinute, 0, 5 * kMinute}).empty());
  EXPECT_TRUE(windowed_quantiles(h.series(), qs, WindowGrid{0, 20 * kMinute, 5 * kMinute, 0}).empty());
  EXPECT_TRUE(windowed_quantiles(h.series(), qs, WindowGrid{0, 4 * kMinute, 5 * kMinute, 5 * kMinute}).empty());
  EXPECT_TRUE(windowed_quantiles(h.series(), qs, WindowGrid{20 * kMinute, 0}).empty());
  auto without_inf = h.series();
  without_inf.pop_back();
  EXPECT_TRUE(windowed_quantiles(without_inf, qs, WindowGrid{0, 20 * kMinute}).empty());
  EXPECT_TRUE(windowed_quantiles({}, qs, WindowGrid{0, 20 * kMinute}).empty());
}

TEST(WindowedQuantiles, ABoundWithoutSamplesIsAbsentFromItsWindow) {
  // The data of BucketIncrease.ABucketSeriesVanishingMidWindow in two 30 ms
  // windows. (30, 60]: le=0.5 has no sample, so the buckets are {0.1:4,
  // +Inf:8}, and p75 (rank 6 > 4) is the highest finite bound present, 0.1.
  // Were le=0.5 counted as 0 (raised to 4), the answer would be 0.5.
  const std::vector<TimeMs> t = {0, 15, 30, 45, 60};
  const std::vector<TimeMs> t_short = {0, 15, 30};
  const std::vector<double> low = {0, 2, 4, 6, 8}, mid = {0, 3, 6}, all = {0, 4, 8, 12, 16};
  const std::vector<BucketSeries> series = {{0.1, t, low}, {0.5, t_short, mid}, {kInf, t, all}};
  const std::vector<double> qs = {0.75};
  auto rows = windowed_quantiles(series, qs, WindowGrid{0, 60, 30, 30});
  ASSERT_EQ(rows.size(), 2u);
  // (0, 30]: {4, 6, 8}: rank 6 in le=0.5: 0.1 + 0.4 × (6 - 4) / (6 - 4) = 0.5.
  EXPECT_DOUBLE_EQ(*rows[0].values[0], 0.5);
  EXPECT_DOUBLE_EQ(*rows[1].values[0], 0.1);
  EXPECT_EQ(rows[1].observations, 8);
}

// windowed_quantiles must answer exactly what bucket_increase and
// histogram_quantile give window by window, on messy data: three instances
// with different bounds, jittered scrapes, restarts, series that stop early
// or start late, and a gap.
TEST(WindowedQuantiles, AgreesWithTheWindowByWindowComputation) {
  std::mt19937 rng(13);
  const std::vector<std::vector<double>> bound_sets = {
      {0.005, 0.01, 0.05, 0.1, kInf}, {0.01, 0.1, 1, kInf}, {0.005, 0.05, 0.5, 5, kInf}};
  struct Owned {
    double le;
    std::vector<TimeMs> t;
    std::vector<double> v;
  };
  std::vector<Owned> owned;
  const TimeMs span = 6 * 60 * kMinute;
  for (const auto& bounds : bound_sets) {
    std::vector<std::vector<double>> values(bounds.size());
    std::vector<double> counts(bounds.size(), 0);
    std::vector<TimeMs> times;
    for (TimeMs t = 0; t <= span; t += 15'000) {
      if (t > 2 * 60 * kMinute && t < 2 * 60 * kMinute + 20 * kMinute) continue;  // a gap in scrapes
      if (std::uniform_int_distribution<int>(0, 400)(rng) == 0) std::fill(counts.begin(), counts.end(), 0.0);
      const int observations = std::uniform_int_distribution<int>(0, 6)(rng);
      for (int o = 0; o < observations; ++o) {
        const double x = std::exponential_distribution<double>(20)(rng);
        for (std::size_t b = 0; b < bounds.size(); ++b) {
          if (x <= bounds[b]) counts[b] += 1;
        }
      }
      times.push_back(t + std::uniform_int_distribution<int>(-500, 500)(rng));
      for (std::size_t b = 0; b < bounds.size(); ++b) values[b].push_back(counts[b]);
    }
    for (std::size_t b = 0; b < bounds.size(); ++b) owned.push_back({bounds[b], times, values[b]});
  }
  // One series stops after 2 h, another starts at 4 h.
  owned[1].t.resize(owned[1].t.size() / 3);
  owned[1].v.resize(owned[1].t.size());
  owned[7].t.erase(owned[7].t.begin(), owned[7].t.begin() + static_cast<std::ptrdiff_t>(owned[7].t.size() * 2 / 3));
  owned[7].v.erase(owned[7].v.begin(), owned[7].v.end() - static_cast<std::ptrdiff_t>(owned[7].t.size()));
  std::vector<BucketSeries> series;
  for (const auto& o : owned) series.push_back({o.le, o.t, o.v});

  const std::vector<double> qs = {0.5, 0.95, 0.99};
  for (const WindowGrid grid : {WindowGrid{0, span}, WindowGrid{7'000, span, 10 * kMinute, 3 * kMinute}}) {
    auto rows = windowed_quantiles(series, qs, grid);
    std::size_t row = 0, expected_rows = 0;
    for (TimeMs to = grid.start + grid.window_ms; to <= grid.end; to += grid.step_ms) {
      auto buckets = bucket_increase(series, to - grid.window_ms, to);
      auto p50 = histogram_quantile(0.5, buckets);
      if (!p50) continue;
      ++expected_rows;
      ASSERT_LT(row, rows.size());
      ASSERT_EQ(rows[row].end, to);
      for (std::size_t i = 0; i < qs.size(); ++i) {
        auto expected = histogram_quantile(qs[i], buckets);
        ASSERT_TRUE(expected && rows[row].values[i]);
        EXPECT_NEAR(*rows[row].values[i], *expected, 1e-12) << "window ending " << to << " q " << qs[i];
      }
      ++row;
    }
    EXPECT_EQ(rows.size(), expected_rows);
    EXPECT_GT(expected_rows, 50u);
  }
}

// The one-pass computation of several clients and the network must give what
// the separate computations give, bit for bit (the pages are compared byte for
// byte): non-integer counts, so that the order of the additions shows;
// restarts; a grid that starts off the minute and ends between two windows;
// samples before the start and after the end; a series of no group.
TEST(GroupedHistograms, EqualsTheSeparateComputationsBitForBit) {
  std::mt19937 rng(29);
  const std::vector<std::vector<double>> bound_sets = {
      {0.005, 0.05, 0.5, kInf}, {0.01, 0.1, 1, kInf}, {0.005, 0.05, 0.5, 5, kInf}, {0.05, kInf}};
  struct Owned {
    double le;
    std::size_t group;
    std::vector<TimeMs> t;
    std::vector<double> v;
  };
  std::vector<Owned> owned;
  const TimeMs span = 3 * 60 * kMinute;
  // Instances 0 and 1 are one client (group 0), 2 is group 2, 3 is in no
  // group (3 >= groups); group 1 has no series.
  const std::vector<std::size_t> group_of_instance = {0, 0, 2, 3};
  for (std::size_t inst = 0; inst < bound_sets.size(); ++inst) {
    const auto& bounds = bound_sets[inst];
    std::vector<std::vector<double>> values(bounds.size());
    std::vector<double> counts(bounds.size(), 0);
    std::vector<TimeMs> times;
    for (TimeMs t = -10 * kMinute; t <= span + 10 * kMinute; t += 15'000) {
      if (std::uniform_int_distribution<int>(0, 150)(rng) == 0) std::fill(counts.begin(), counts.end(), 0.0);
      const double x = std::exponential_distribution<double>(10)(rng);
      const double weight = std::uniform_real_distribution<double>(0, 3)(rng);
      for (std::size_t b = 0; b < bounds.size(); ++b) {
        if (x <= bounds[b]) counts[b] += weight;
      }
      times.push_back(t + std::uniform_int_distribution<int>(-500, 500)(rng));
      for (std::size_t b = 0; b < bounds.size(); ++b) values[b].push_back(counts[b]);
    }
    for (std::size_t b = 0; b < bounds.size(); ++b)
      owned.push_back({bounds[b], group_of_instance[inst], times, values[b]});
  }
  std::vector<BucketSeries> series;
  std::vector<std::size_t> group_of;
  std::vector<std::vector<BucketSeries>> by_group(3);
  for (const auto& o : owned) {
    series.push_back({o.le, o.t, o.v});
    group_of.push_back(o.group);
    if (o.group < by_group.size()) by_group[o.group].push_back(series.back());
  }

  const std::vector<double> qs = {0.5, 0.95, 0.99};
  const auto expect_same = [](const std::vector<WindowQuantiles>& got, const std::vector<WindowQuantiles>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t w = 0; w < got.size(); ++w) {
      EXPECT_EQ(got[w].end, want[w].end);
      EXPECT_EQ(got[w].observations, want[w].observations);
      EXPECT_EQ(got[w].values, want[w].values) << "window ending " << got[w].end;
    }
  };
  for (const WindowGrid grid : {WindowGrid{7'000, span - 2 * kMinute}, WindowGrid{0, span, 10 * kMinute, 3 * kMinute},
                                WindowGrid{0, 4 * kMinute}}) {
    const auto pass = grouped_histograms(series, group_of, 3, qs, grid);
    expect_same(pass.merged, windowed_quantiles(series, qs, grid));
    ASSERT_EQ(pass.groups.size(), 3u);
    ASSERT_EQ(pass.increases.size(), 3u);
    for (std::size_t g = 0; g < 3; ++g) {
      expect_same(pass.groups[g], windowed_quantiles(by_group[g], qs, grid));
      const auto want = bucket_increase(by_group[g], grid.start, grid.end);
      ASSERT_EQ(pass.increases[g].size(), want.size());
      for (std::size_t b = 0; b < want.size(); ++b) {
        EXPECT_EQ(pass.increases[g][b].le, want[b].le);
        EXPECT_EQ(pass.increases[g][b].count, want[b].count) << "group " << g << " le " << want[b].le;
      }
    }
    EXPECT_TRUE(pass.groups[1].empty());
    EXPECT_TRUE(pass.increases[1].empty());
    EXPECT_FALSE(pass.increases[0].empty());
  }
}

// A folded series holds, window by window, what counter_increase answers for
// that window (NaN where it answers nothing), and over the whole range:
// the same additions, so equal bit for bit. Non-integer counts, restarts, a
// series that starts late and one that stops early (its folded windows end
// with its samples), overlapping windows, samples outside the range.
TEST(FoldBucketSeries, EachWindowIsCounterIncreaseOverIt) {
  std::mt19937 rng(41);
  const TimeMs span = 2 * 60 * kMinute;
  struct Case {
    TimeMs first, last;
  };
  for (const Case c : {Case{-7 * kMinute, span + 9 * kMinute}, Case{37 * kMinute + 5'000, span}, Case{0, 51 * kMinute},
                       Case{61 * kMinute, 62 * kMinute}}) {
    std::vector<TimeMs> t;
    std::vector<double> v;
    double count = 0;
    for (TimeMs at = c.first; at <= c.last; at += 15'000) {
      if (std::uniform_int_distribution<int>(0, 90)(rng) == 0) count = 0;
      count += std::uniform_real_distribution<double>(0, 2.5)(rng);
      t.push_back(at);
      v.push_back(std::uniform_int_distribution<int>(0, 200)(rng) == 0 ? std::nan("") : count);
    }
    for (const WindowGrid grid : {WindowGrid{3'000, span}, WindowGrid{0, span, 10 * kMinute, 3 * kMinute}}) {
      SCOPED_TRACE(::testing::Message() << "series " << c.first << ".." << c.last << " window " << grid.window_ms);
      const auto folded = fold_bucket_series({0.25, t, v}, grid);
      EXPECT_EQ(folded.le, 0.25);
      std::size_t windows = 0;
      for (TimeMs end = grid.start + grid.window_ms; end <= grid.end; end += grid.step_ms) ++windows;
      for (std::size_t w = 0; w < windows; ++w) {
        const TimeMs end = grid.start + grid.window_ms + static_cast<TimeMs>(w) * grid.step_ms;
        const auto want = counter_increase(t, v, end - grid.window_ms, end);
        const bool held = w >= folded.first_window && w - folded.first_window < folded.increase.size();
        const double got = held ? folded.increase[w - folded.first_window] : std::nan("");
        if (!want) {
          EXPECT_TRUE(std::isnan(got)) << "window " << w;
        } else {
          EXPECT_EQ(got, *want) << "window " << w;
        }
      }
      EXPECT_EQ(folded.range_increase, counter_increase(t, v, grid.start, grid.end));
      EXPECT_LE(folded.first_window + folded.increase.size(), windows);
    }
  }
  EXPECT_TRUE(fold_bucket_series({1, {}, {}}, WindowGrid{0, span}).increase.empty());
  EXPECT_FALSE(fold_bucket_series({1, {}, {}}, WindowGrid{0, span}).range_increase);
}

// A sample after the last window but inside the range counts for the devnet
// and for no window; one after the range counts for neither.
TEST(GroupedHistograms, TheDevnetIncreaseIsNotTheSumOfTheWindows) {
  const std::vector<TimeMs> t = {0, 4 * kMinute, 12 * kMinute, 15 * kMinute};
  const std::vector<double> low = {0, 2, 5, 9};
  const std::vector<double> inf = {0, 4, 10, 20};
  const std::vector<BucketSeries> series = {{0.1, t, low}, {kInf, t, inf}};
  const std::vector<std::size_t> group_of = {0, 0};
  const std::vector<double> qs = {0.5};
  // Windows (0, 5] and (5, 10]; the range is (0, 14].
  const auto pass = grouped_histograms(series, group_of, 1, qs, WindowGrid{0, 14 * kMinute});
  ASSERT_EQ(pass.groups[0].size(), 1u);  // (5, 10] has no sample
  EXPECT_EQ(pass.groups[0][0].observations, 4);
  ASSERT_EQ(pass.increases[0].size(), 2u);
  EXPECT_EQ(pass.increases[0][0].count, 5);   // 2 + 3, not 9
  EXPECT_EQ(pass.increases[0][1].count, 10);  // 4 + 6, not 20
}

}  // namespace
}  // namespace leanscope::stats
