#include "common/time.h"

#include <gtest/gtest.h>

namespace leanscope {
namespace {

constexpr TimeMs kNov23 = 1'763'856'000'000;  // 2025-11-23T00:00:00Z

TEST(Time, ParsesDatesAsWholeDays) {
  auto start = parse_time_arg("2025-11-23", TimeBound::Start);
  auto end = parse_time_arg("2025-11-23", TimeBound::End);
  ASSERT_TRUE(start && end);
  EXPECT_EQ(*start, kNov23);
  EXPECT_EQ(*end, kNov23 + 86'400'000);
}

TEST(Time, ParsesRfc3339WithOffsetsAndFractions) {
  EXPECT_EQ(*parse_time_arg("2025-11-23T16:11:00Z", TimeBound::Start), kNov23 + (16 * 3600 + 11 * 60) * 1000);
  EXPECT_EQ(*parse_iso8601("2025-11-23T16:11:00+02:00"), kNov23 + (14 * 3600 + 11 * 60) * 1000);
  EXPECT_EQ(*parse_iso8601("2025-11-23T00:00:00.123456+00:00"), kNov23 + 123);
  EXPECT_EQ(*parse_iso8601("2025-11-23 00:00:01"), kNov23 + 1000);
}

TEST(Time, ParsesUnixSeconds) { EXPECT_EQ(*parse_time_arg("1763856000", TimeBound::Start), kNov23); }

TEST(Time, RejectsNonsenseWithTheInput) {
  for (const char* bad : {"", "2025-13-01", "2025-02-30", "yesterday", "2025-11-23T25:00:00Z", "2025-11-23T10:00",
                          "2025-11-23T10:00:00+0200"}) {
    auto r = parse_time_arg(bad, TimeBound::Start);
    EXPECT_FALSE(r) << bad;
  }
  auto r = parse_time_arg("soon", TimeBound::Start);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("'soon'"), std::string::npos);
}

TEST(Time, FormatsIsoAndCompactForms) {
  TimeMs t = kNov23 + (16 * 3600 + 11 * 60 + 5) * 1000 + 999;
  EXPECT_EQ(format_iso_offset(t), "2025-11-23T16:11:05+00:00");
  EXPECT_EQ(format_iso_z(t), "2025-11-23T16:11:05Z");
  EXPECT_EQ(format_compact_minute(t), "20251123T1611Z");
  EXPECT_EQ(format_iso_z_precise(t / 1000, 999'000'000, 3), "2025-11-23T16:11:05.999Z");
  EXPECT_EQ(format_iso_z_precise(t / 1000, 1, 9), "2025-11-23T16:11:05.000000001Z");
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_iso_z(-1000), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_iso_z(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(floor_div(-1, 1000), -1);
  EXPECT_EQ(floor_div(1999, 1000), 1);
  EXPECT_EQ(floor_div(-2000, 1000), -2);
}

TEST(Time, CivilConversionsRoundTrip) {
  for (std::int64_t days : {-719468LL, -1LL, 0LL, 11016LL, 20415LL, 2932896LL}) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    EXPECT_EQ(days_from_civil(y, m, d), days);
  }
}

TEST(Time, DurationsForPeople) {
  EXPECT_EQ(format_duration(30'000), "30 s");
  EXPECT_EQ(format_duration(45 * 60'000), "45 min");
  EXPECT_EQ(format_duration(6 * 3'600'000 + 1'800'000), "6.5 h");
  EXPECT_EQ(format_duration(52 * 3'600'000), "2 d 4 h");
  // Hours are rounded before days are counted.
  EXPECT_EQ(format_duration(7 * 24 * 3'600'000 - 60'000), "7 d");
  EXPECT_EQ(format_duration(7 * 24 * 3'600'000 + 31 * 60'000), "7 d 1 h");
}

}  // namespace
}  // namespace leanscope
