// EIP-7870 tiers: download and upload differ (the reference drew 15/25/50 on both).
#include "analysis/eip7870.h"

#include <gtest/gtest.h>

namespace leanscope::analysis {
namespace {

TEST(Eip7870, TiersPerDirection) {
  ASSERT_EQ(kDownloadTiers.size(), 2u);
  EXPECT_EQ(kDownloadTiers[0].mbps, 50);
  EXPECT_EQ(kDownloadTiers[1].mbps, 100);
  ASSERT_EQ(kUploadTiers.size(), 3u);
  EXPECT_EQ(kUploadTiers[0].mbps, 15);
  EXPECT_EQ(kUploadTiers[1].mbps, 25);
  EXPECT_EQ(kUploadTiers[2].mbps, 50);
}

TEST(Eip7870, MegabitsToBytes) {
  static_assert(mbps_to_bytes_per_sec(8) == 1e6);
  EXPECT_DOUBLE_EQ(mbps_to_bytes_per_sec(50), 6.25e6);
  EXPECT_DOUBLE_EQ(mbps_to_bytes_per_sec(15), 1.875e6);
}

}  // namespace
}  // namespace leanscope::analysis
