// Least-squares lines with answers worked out by hand.
#include "stats/regression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace leanscope::stats {
namespace {

constexpr TimeMs kHour = 3'600'000;

TEST(FitLine, AnExactLine) {
  // 100, 110, 120, 130 at 0, 1, 2, 3 h: 10 per hour from 100, R² = 1.
  const std::vector<TimeMs> t = {0, kHour, 2 * kHour, 3 * kHour};
  const std::vector<double> v = {100, 110, 120, 130};
  auto fit = fit_line(t, v);
  ASSERT_TRUE(fit);
  EXPECT_DOUBLE_EQ(fit->slope_per_hour, 10);
  EXPECT_DOUBLE_EQ(fit->intercept, 100);
  EXPECT_DOUBLE_EQ(fit->r_squared, 1);
  EXPECT_EQ(fit->points, 4u);
  EXPECT_DOUBLE_EQ(fit->at(90 * 60'000), 115);
}

TEST(FitLine, ScatteredPoints) {
  // x (h) = 0, 1, 2, 3; y = 1, 3, 2, 5. Means 1.5 and 2.75; Sxx = 5,
  // Sxy = (-1.5)(-1.75) + (-0.5)(0.25) + (0.5)(-0.75) + (1.5)(2.25) = 5.5,
  // Syy = 8.75. Slope 5.5 / 5 = 1.1; intercept 2.75 - 1.1 × 1.5 = 1.1;
  // R² = 5.5² / (5 × 8.75) = 30.25 / 43.75.
  const TimeMs t0 = 1'800'000'000'000;
  const std::vector<TimeMs> t = {t0, t0 + kHour, t0 + 2 * kHour, t0 + 3 * kHour};
  const std::vector<double> v = {1, 3, 2, 5};
  auto fit = fit_line(t, v);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->t0, t0);
  EXPECT_NEAR(fit->slope_per_hour, 1.1, 1e-12);
  EXPECT_NEAR(fit->intercept, 1.1, 1e-12);
  EXPECT_NEAR(fit->r_squared, 30.25 / 43.75, 1e-12);
}

TEST(FitLine, MemoryGrowingTenPercentAnHourAtUnixTimes) {
  // 1 GB growing 0.1 GB per hour, a sample a minute for 3 h at 2027 times,
  // plus a ±1 MB alternating wiggle: the slope and a high R² survive.
  std::vector<TimeMs> t;
  std::vector<double> v;
  const TimeMs t0 = 1'800'000'000'000;
  for (int m = 0; m <= 180; ++m) {
    t.push_back(t0 + m * 60'000);
    v.push_back(1e9 + 1e8 * m / 60.0 + (m % 2 == 0 ? 1e6 : -1e6));
  }
  auto fit = fit_line(t, v);
  ASSERT_TRUE(fit);
  EXPECT_NEAR(fit->slope_per_hour / fit->intercept, 0.1, 1e-3);
  EXPECT_GT(fit->r_squared, 0.99);
  EXPECT_LT(fit->r_squared, 1.0);
}

TEST(FitLine, NoLineFromTooLittle) {
  const std::vector<TimeMs> one_t = {0};
  const std::vector<double> one_v = {1};
  EXPECT_EQ(fit_line(one_t, one_v), std::nullopt);
  EXPECT_EQ(fit_line({}, {}), std::nullopt);
  // Every sample at the same time: no slope can be told.
  const std::vector<TimeMs> same = {5, 5, 5};
  const std::vector<double> v = {1, 2, 3};
  EXPECT_EQ(fit_line(same, v), std::nullopt);
  // Unpaired spans.
  const std::vector<TimeMs> two = {0, kHour};
  EXPECT_EQ(fit_line(two, v), std::nullopt);
}

TEST(FitLine, SkipsValuesThatAreNotNumbers) {
  // (0, 1), (1 h, NaN), (2 h, 3): a slope of 1 per hour through the two left.
  const std::vector<TimeMs> t = {0, kHour, 2 * kHour};
  const std::vector<double> v = {1, std::nan(""), 3};
  auto fit = fit_line(t, v);
  ASSERT_TRUE(fit);
  EXPECT_DOUBLE_EQ(fit->slope_per_hour, 1);
  EXPECT_EQ(fit->points, 2u);
  const std::vector<double> mostly_nan = {std::nan(""), 2, std::nan("")};
  EXPECT_EQ(fit_line(t, mostly_nan), std::nullopt);
}

TEST(FitLine, AFlatLineIsExact) {
  const std::vector<TimeMs> t = {0, kHour, 2 * kHour};
  const std::vector<double> v = {7, 7, 7};
  auto fit = fit_line(t, v);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->slope_per_hour, 0);
  EXPECT_EQ(fit->intercept, 7);
  EXPECT_EQ(fit->r_squared, 1);
}

}  // namespace
}  // namespace leanscope::stats
