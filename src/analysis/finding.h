// An incident worth a reader's attention, as every report finds them and
// `summary`, `check` and the pages show them.
#pragma once

#include <string>

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

}  // namespace leanscope::analysis
