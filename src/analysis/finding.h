// An incident worth a reader's attention, as every report finds them and
// `summary`, `check` and the pages show them.
#pragma once

#include <string>

#include "archive/devnets.h"
#include "common/time.h"

namespace leanscope::analysis {

// kind is one of the finding kinds of docs/GUIDE.md ("Findings"): isolated,
// restart, invalid_attestations, above_tier, host_wide_network,
// finality_stall, behind_head, deep_reorg, slow_verification,
// invalid_signatures, memory_growth, oom, container_restart, disk_fill.
struct Finding {
  std::string client;  // "" for devnet-wide findings of networking, "*" for network-wide ones
  std::string kind;
  TimeMs start = 0;
  TimeMs end = 0;
  std::string detail;  // one readable sentence
};

// When, in a finding's sentence: "14:03 UTC", with the date when the devnet
// spans several days.
[[nodiscard]] std::string finding_time(const archive::Devnet& devnet, TimeMs t);

}  // namespace leanscope::analysis
