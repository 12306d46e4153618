// EIP-7870 bandwidth tiers (megabits per second), the reference lines of the
// bandwidth section and the thresholds of the `above_tier` finding.
// Download: 50 (full node, attester), 100 (local block builder).
// Upload: 15 (full node), 25 (attester), 50 (local block builder).
#pragma once

#include <array>
#include <string_view>

namespace leanscope::analysis {

struct BandwidthTier {
  double mbps;
  std::string_view label;  // "full node / attester", ...
};

inline constexpr std::array<BandwidthTier, 2> kDownloadTiers{
    {{50, "full node, attester"}, {100, "local block builder"}}};
inline constexpr std::array<BandwidthTier, 3> kUploadTiers{
    {{15, "full node"}, {25, "attester"}, {50, "local block builder"}}};

// Megabits per second -> bytes per second.
[[nodiscard]] constexpr double mbps_to_bytes_per_sec(double mbps) { return mbps * 1e6 / 8; }

}  // namespace leanscope::analysis
