#include "report/detail/chart_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace leanscope::report::detail {
namespace {

constexpr TimeMs kT0 = 1'790'000'000'000;
constexpr TimeMs kMinute = 60'000;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

analysis::TimeSeries every_minute(std::size_t n, double value) {
  analysis::TimeSeries s;
  for (std::size_t i = 0; i < n; ++i) {
    s.t.push_back(kT0 + static_cast<TimeMs>(i) * kMinute);
    s.v.push_back(value);
  }
  return s;
}

std::vector<analysis::Panel> one_panel(analysis::TimeSeries s, std::string label = "peers") {
  return {analysis::Panel{"ream_0", {analysis::Line{std::move(label), std::move(s)}}, {}, {}}};
}

TEST(ChartData, KeepsAOneMinuteDropInASevenDaySeries) {
  const std::size_t week = 7 * 24 * 60;
  auto s = every_minute(week, 12);
  s.v[5000] = 0;   // one minute at 0 peers
  s.v[9000] = 40;  // one minute spike
  const auto panels = one_panel(s);
  const SectionGrid grid = build_section_grid(panels, 1000);
  ASSERT_TRUE(grid.downsampled);
  EXPECT_EQ(grid.x.size(), 2000u);
  const auto& v = grid.values[0][0];
  ASSERT_EQ(v.size(), grid.x.size());
  EXPECT_EQ(std::count(v.begin(), v.end(), 0.0), 1);
  EXPECT_EQ(std::count(v.begin(), v.end(), 40.0), 1);
  EXPECT_EQ(std::count(v.begin(), v.end(), 12.0), 2000 - 2);
  // The drop is drawn where it happened (within one bucket).
  const auto at = static_cast<std::size_t>(std::find(v.begin(), v.end(), 0.0) - v.begin());
  EXPECT_LE(std::llabs(grid.x[at] - s.t[5000]), static_cast<long long>(week) * kMinute / 1000);
  EXPECT_TRUE(std::is_sorted(grid.x.begin(), grid.x.end()));
}

TEST(ChartData, MinAndMaxStayInTimeOrder) {
  auto s = every_minute(7 * 24 * 60, 5);
  // One bucket (about 10 minutes) holding a rise then a fall.
  s.v[3000] = 9;
  s.v[3003] = 1;
  const auto panels = one_panel(s);
  const SectionGrid grid = build_section_grid(panels, 1000);
  const auto& v = grid.values[0][0];
  const auto hi = std::find(v.begin(), v.end(), 9.0);
  const auto lo = std::find(v.begin(), v.end(), 1.0);
  ASSERT_NE(hi, v.end());
  ASSERT_NE(lo, v.end());
  EXPECT_LT(hi, lo);
}

TEST(ChartData, KeepsNaNBreaksWhenDownsampling) {
  auto s = every_minute(7 * 24 * 60, 0);
  for (std::size_t i = 0; i < s.size(); ++i) s.v[i] = static_cast<double>(i % 6000);  // a counter
  s.v[6000] = kNaN;                                                                   // its reset
  const auto panels = one_panel(s, "valid (gossip)");
  const SectionGrid grid = build_section_grid(panels, 1000);
  ASSERT_TRUE(grid.downsampled);
  const auto& v = grid.values[0][0];
  EXPECT_EQ(std::count_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), 1);
  // After the break the line continues from the value after the reset.
  const auto brk = std::find_if(v.begin(), v.end(), [](double x) { return std::isnan(x); });
  ASSERT_NE(brk + 1, v.end());
  EXPECT_LT(*(brk + 1), 20);
}

TEST(ChartData, ExactAxisWhenFewSamples) {
  auto a = every_minute(100, 3);
  auto b = every_minute(50, 4);
  for (auto& t : b.t) t += 50 * kMinute;  // starts later: missing before
  a.v[10] = kNaN;
  std::vector<analysis::Panel> panels{
      {"a_0", {{"peers", a}}, {}, {}}, {"b_0", {{"peers", b}}, {}, {}}, {"c_0", {}, {}, {}}};
  const SectionGrid grid = build_section_grid(panels, 1000);
  EXPECT_FALSE(grid.downsampled);
  ASSERT_EQ(grid.x.size(), 100u);
  EXPECT_EQ(grid.x.front(), kT0);
  EXPECT_TRUE(std::isnan(grid.values[0][0][10]));
  EXPECT_EQ(grid.values[0][0][11], 3);
  EXPECT_TRUE(is_missing(grid.values[1][0][0]));
  EXPECT_EQ(grid.values[1][0][50], 4);
  EXPECT_TRUE(grid.values[2].empty());
}

TEST(ChartData, ABreakSharingATimestampWithASampleSurvives) {
  analysis::TimeSeries s;
  s.t = {kT0, kT0 + kMinute, kT0 + kMinute, kT0 + 2 * kMinute};
  s.v = {100, kNaN, 5, 20};
  const auto panels = one_panel(s);
  const SectionGrid grid = build_section_grid(panels, 1000);
  ASSERT_EQ(grid.x.size(), 4u);
  EXPECT_TRUE(std::isnan(grid.values[0][0][1]));
  EXPECT_EQ(grid.values[0][0][2], 5);
}

TEST(ChartData, JsonHasDeltasBreaksMissingAndEscapedLabels) {
  analysis::TimeSeries a, b;
  a.t = {kT0, kT0 + kMinute, kT0 + 2 * kMinute};
  a.v = {1, kNaN, 2.5};
  b.t = {kT0 + kMinute, kT0 + 2 * kMinute};
  b.v = {7, 8};
  std::vector<analysis::Panel> panels{{"x", {{"<img src=x>", a}, {"tx", b}}, {}, {}}, {"empty", {}, {}, {}}};
  const SectionGrid grid = build_section_grid(panels, 1000);
  std::string json;
  append_section_json(json, panels, grid);
  EXPECT_EQ(json,
            "{\"x\":[1790000000,60,60],\"panels\":[{\"p\":0,\"lines\":["
            "{\"l\":\"\\u003cimg src=x\\u003e\",\"c\":0,\"s\":[2.5,1,2.5,1.75],\"v\":[1,null,2.5]},"
            "{\"l\":\"tx\",\"c\":3,\"s\":[8,7,8,7.5],\"v\":[false,7,8]}]}]}");
  EXPECT_FALSE(panel_has_data(panels[1]));
  EXPECT_TRUE(panel_has_data(panels[0]));
}

// A line of fractions (seconds) is sent as its values times a power of ten,
// named by "k", with the same four significant digits; lines reaching 1 are
// sent as they are, so integers stay exact.
TEST(ChartData, FractionsAreSentScaledByAPowerOfTen) {
  analysis::TimeSeries seconds, slots;
  seconds.t = slots.t = {kT0, kT0 + kMinute, kT0 + 2 * kMinute};
  seconds.v = {0.005192, 0.0519, 0.00001234};
  slots.v = {151213, 151214, 0.5};
  std::vector<analysis::Panel> panels{{"x", {{"p95", seconds}, {"head", slots}}, {}, {}}};
  std::string json;
  append_section_json(json, panels, build_section_grid(panels, 1000));
  EXPECT_NE(json.find("\"k\":4,\"v\":[51.92,519,0.1234]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"v\":[151213,151214,0.5]"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"k\":4", json.find("head")), std::string::npos) << json;
  // The legend's figures stay in the line's own unit.
  EXPECT_NE(json.find("\"s\":[1.234e-5,1.234e-5,0.0519,"), std::string::npos) << json;
}

TEST(ChartData, ValueBytesEstimateIsWhatAValueTakes) {
  EXPECT_DOUBLE_EQ(value_bytes_estimate(every_minute(500, 0.005192)), 6);  // "51.92,"
  EXPECT_DOUBLE_EQ(value_bytes_estimate(every_minute(500, 151213)), 7);    // "151213,"
}

TEST(ChartData, ColorsFollowLabels) {
  EXPECT_EQ(color_slot("rx", 5), color_slot("rx", 0));
  EXPECT_NE(color_slot("valid (gossip)", 0), color_slot("invalid (gossip)", 0));
  EXPECT_GE(color_slot("something else", 11), 0);
  EXPECT_LT(color_slot("something else", 11), 8);
}

// The legend's figures come from every sample, not from the drawn buckets,
// and a line on the right-hand axis says so.
TEST(ChartData, LegendFiguresUseEverySampleAndSecondAxisIsMarked) {
  analysis::TimeSeries big, small;
  for (int i = 0; i < 5000; ++i) {
    big.t.push_back(kT0 + i * kMinute);
    big.v.push_back(i == 1234 ? 1e6 : 10);
    small.t.push_back(kT0 + i * kMinute);
    small.v.push_back(i < 2500 ? 0 : 1);
  }
  analysis::Line invalid{"invalid (gossip)", small};
  invalid.second_axis = true;
  std::vector<analysis::Panel> panels{{"x", {{"valid (gossip)", big}, invalid}, {}, {}}};
  const SectionGrid grid = build_section_grid(panels, 100);
  ASSERT_TRUE(grid.downsampled);
  std::string json;
  append_section_json(json, panels, grid);
  // last, min, max, mean: (4999 x 10 + 1e6) / 5000 = 209.99 -> 4 significant digits.
  EXPECT_NE(json.find("\"l\":\"valid (gossip)\",\"c\":0,\"s\":[10,10,1e6,210]"), std::string::npos)
      << json.substr(0, 200);
  EXPECT_NE(json.find("\"l\":\"invalid (gossip)\",\"c\":3,\"a\":1,\"s\":[1,0,1,0.5]"), std::string::npos);
}

}  // namespace
}  // namespace leanscope::report::detail
