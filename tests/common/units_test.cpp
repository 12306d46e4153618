#include "common/units.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using namespace leanscope;

TEST(Units, BytesAreSiWithThreeSignificantDigits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1000), "1.00 kB");
  EXPECT_EQ(format_bytes(2048), "2.05 kB");
  EXPECT_EQ(format_bytes(12'345'678), "12.3 MB");
  EXPECT_EQ(format_bytes(5 * 1024 * 1024), "5.24 MB");  // SI, not MiB
  EXPECT_EQ(format_bytes(1.5e9), "1.50 GB");
  EXPECT_EQ(format_bytes_per_sec(1.25e6), "1.25 MB/s");
  EXPECT_EQ(format_bytes(std::nan("")), "–");
}

TEST(Units, CountsAndDurations) {
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(-1234), "-1,234");
  EXPECT_EQ(format_fixed(2.345, 1), "2.3");
  EXPECT_EQ(format_seconds(0.00042), "0.42 ms");
  EXPECT_EQ(format_seconds(12.1), "12.1 s");
}

}  // namespace
