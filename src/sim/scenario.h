// Internals of the simulator: the scenario (when each iteration runs, each
// node's process lifetimes, the incidents) and the peer-to-peer links that
// follow from it. The metric series are generated from these in model.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"
#include "sim/simulator.h"

namespace leanscope::sim::detail {

inline constexpr TimeMs kScrapeMs = 15'000;  // Prometheus scrape interval
inline constexpr TimeMs kSlotMs = 4'000;     // Lean consensus slot
inline constexpr TimeMs kTickMs = 15'000;    // step of the peer-link state machine
inline constexpr TimeMs kMinuteMs = 60'000;
inline constexpr double kAboveTierBytesPerSec = 6.25e6;  // 50 Mbps, EIP-7870 full-node download

struct NodeSpec {
  std::string client_type;      // "zeam"
  std::string name;             // "zeam_0": job, container and normalised client name
  std::string peer_id;          // libp2p-like id used in per-peer series
  bool per_peer_gauge = false;  // exports lean_connected_peers per peer (ethlambda)
  bool source_label = false;    // attestation counters carry source=gossip|block
  TimeMs scrape_phase = 0;      // offset of its scrapes within the 15 s interval
  // Older client versions: metric names before a leanMetrics rename.
  bool old_pq_prefix = false;       // lean_pq_signature_* instead of lean_pq_sig_*
  bool old_building_name = false;   // ..._attestation_signatures_building_time_seconds
  bool old_finality_names = false;  // lean_justified_slot / lean_finalized_slot only
  bool reorg_depth = false;         // exports the reorg depth histogram
  double speed = 1.0;               // time factor of every timing histogram (2 = twice as slow)
  double memory_limit = 0;          // container memory limit in bytes, 0 = none
  double fs_limit = 0;              // container file system size in bytes, 0 = not exported
  int devices = 1;                  // block devices cAdvisor reports for the container
};

struct Window {
  TimeMs start = 0;
  TimeMs end = 0;
  [[nodiscard]] bool contains(TimeMs t) const { return t >= start && t < end; }
};

// One process lifetime of a node: [up, down). A restart splits an iteration
// into two runs; counters start from 0 in each.
using Run = Window;

struct NodeIteration {
  int validators = 0;
  std::string version;
  std::vector<Run> runs;
  double rx_base = 0;  // bytes/s
  double tx_base = 0;
  double cpu_cores = 0;
  double gossip_share = 0.85;  // of valid attestations arriving by gossip
  double memory_base = 0;      // working set in bytes once warmed up
  double fs_base = 0;          // bytes on disk at genesis
  double fs_growth = 0;        // bytes per hour the chain adds
};

struct IterationPlan {
  TimeMs genesis = 0;
  TimeMs duration = 0;
  std::vector<NodeIteration> nodes;
  int restart_node = -1;
  Window restart_down;  // the process is down in this window
  int isolated_node = -1;
  Window isolation;
  int invalid_node = -1;
  Window invalid;
  double invalid_per_slot = 0;
  int above_tier_node = -1;
  Window above_tier;
  double above_tier_rate = 0;  // bytes/s received in the window
  int rename_node = -1;        // scraped as the bare job name before rename_at
  TimeMs rename_at = 0;
  // Version-2 incidents (incidents.cpp), each in one iteration of a run.
  Window finality_stall;  // network-wide finalization stops (empty: none)
  int behind_node = -1;   // its head freezes at behind.start until behind.end, then catches up
  Window behind;
  int slow_node = -1;  // verification `slow_factor` times slower the whole iteration
  double slow_factor = 1;
  int memory_growth_node = -1;  // working set grows `memory_growth` of its base per hour
  double memory_growth = 0;
  int oom_node = -1;  // killed at oom_down.start as its memory reaches the limit, back at end
  Window oom_down;
  int disk_fill_node = -1;  // disk usage grows disk_fill bytes per hour
  double disk_fill = 0;
  int deep_reorg_node = -1;  // a reorg of depth 4 at deep_reorg_at
  TimeMs deep_reorg_at = 0;
  int invalid_signatures_node = -1;  // invalid attestation signatures in the window
  Window invalid_signatures;

  [[nodiscard]] TimeMs tick_time(int k) const { return genesis + static_cast<TimeMs>(k) * kTickMs; }
  [[nodiscard]] int tick_of(TimeMs t) const;
  [[nodiscard]] int ticks() const { return static_cast<int>(duration / kTickMs) + 2; }
};

struct Plan {
  SimulationConfig config;
  std::vector<NodeSpec> nodes;
  std::vector<IterationPlan> iterations;
  std::vector<std::string> infrastructure;  // cAdvisor-only containers
  TimeMs infrastructure_start = 0;
  TimeMs end = 0;
  TimeMs cadvisor_phase = 0;
};

[[nodiscard]] Plan make_plan(const SimulationConfig& config);
// The version-2 incidents of iteration `i` (incidents.cpp); make_plan calls it.
void plan_incidents(const SimulationConfig& config, int i, IterationPlan& it, const std::vector<NodeSpec>& nodes);
// Truth events of the version-2 incidents; `start`/`end` bound the iteration's samples.
void incident_events(const Plan& plan, int iteration, TimeMs start, TimeMs end, std::vector<TruthEvent>& events);
// Splits the run of `node` that holds `down` around it (a restart).
void split_run(NodeIteration& node, Window down);

// Whether node n's process is up at t.
[[nodiscard]] bool alive_at(const NodeIteration& node, TimeMs t);
// The bare job name of a node ("ream" for "ream_0").
[[nodiscard]] std::string bare_name(const NodeSpec& node);

inline constexpr std::array<const char*, 2> kDirections{"inbound", "outbound"};
inline constexpr std::array<const char*, 2> kResults{"success", "failure"};
inline constexpr std::array<const char*, 3> kReasons{"timeout", "remote_close", "local_close"};

// Per node and tick of one iteration: connected peers and peer-event counts.
struct PeerTimeline {
  int nodes = 0;
  int ticks = 0;
  // link_up[pair(a, b)][k] for a < b.
  std::vector<std::vector<std::uint8_t>> link_up;
  std::vector<std::vector<int>> peers;  // [node][tick]
  // [node][direction * 2 + result][tick] and [node][direction * 3 + reason][tick]
  std::vector<std::array<std::vector<int>, 4>> connections;
  std::vector<std::array<std::vector<int>, 6>> disconnections;

  [[nodiscard]] std::size_t pair(int a, int b) const;
  [[nodiscard]] bool up(int a, int b, int tick) const {
    return link_up[pair(a, b)][static_cast<std::size_t>(tick)] != 0;
  }
};

[[nodiscard]] PeerTimeline simulate_peers(const Plan& plan, int iteration);

}  // namespace leanscope::sim::detail
