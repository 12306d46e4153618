// Peer links of one iteration as a state machine on a 15 s tick: a link is
// possible while both processes run and neither node is cut off; it comes up
// a little after becoming possible, drops now and then for 15 s to 2 min (never
// long enough to look like isolation) and counts connection and disconnection
// events on both ends, the dialling end outbound, the other inbound.
#include <algorithm>

#include "sim/random.h"
#include "sim/scenario.h"

namespace leanscope::sim::detail {

namespace {
constexpr std::uint64_t kStreamPeers = 5;
constexpr int kInbound = 0, kOutbound = 1;
constexpr int kSuccess = 0, kFailure = 1;
constexpr int kTimeout = 0, kRemoteClose = 1, kLocalClose = 2;
constexpr double kDropPerTick = 0.004;  // a link drops about once an hour
}  // namespace

std::size_t PeerTimeline::pair(int a, int b) const {
  if (a > b) std::swap(a, b);
  // Row-major upper triangle without the diagonal.
  auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b), n = static_cast<std::size_t>(nodes);
  return ua * (2 * n - ua - 1) / 2 + (ub - ua - 1);
}

PeerTimeline simulate_peers(const Plan& plan, int iteration) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  Rng rng(plan.config.seed, {kStreamPeers, static_cast<std::uint64_t>(iteration)});
  PeerTimeline out;
  out.nodes = static_cast<int>(plan.nodes.size());
  out.ticks = it.ticks();
  const auto n = static_cast<std::size_t>(out.nodes);
  const auto ticks = static_cast<std::size_t>(out.ticks);

  std::vector<std::vector<std::uint8_t>> alive(n, std::vector<std::uint8_t>(ticks)),
      cut(n, std::vector<std::uint8_t>(ticks));
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t k = 0; k < ticks; ++k) {
      TimeMs t = it.tick_time(static_cast<int>(k));
      alive[a][k] = alive_at(it.nodes[a], t) ? 1 : 0;
      cut[a][k] = static_cast<int>(a) == it.isolated_node && it.isolation.contains(t) ? 1 : 0;
    }
  }
  out.link_up.assign(n * (n - 1) / 2, std::vector<std::uint8_t>(ticks, 0));
  out.peers.assign(n, std::vector<int>(ticks, 0));
  out.connections.resize(n);
  out.disconnections.resize(n);
  for (auto& c : out.connections) c.fill(std::vector<int>(ticks, 0));
  for (auto& d : out.disconnections) d.fill(std::vector<int>(ticks, 0));

  auto connection = [&](std::size_t node, int direction, int result, std::size_t k) {
    ++out.connections[node][static_cast<std::size_t>(direction) * 2 + static_cast<std::size_t>(result)][k];
  };
  auto disconnection = [&](std::size_t node, int direction, int reason, std::size_t k) {
    ++out.disconnections[node][static_cast<std::size_t>(direction) * 3 + static_cast<std::size_t>(reason)][k];
  };

  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      auto& link = out.link_up[out.pair(static_cast<int>(a), static_cast<int>(b))];
      bool up = false, was_possible = false;
      std::size_t dialler = a;
      std::size_t next_attempt = 0;
      for (std::size_t k = 0; k < ticks; ++k) {
        const bool possible = alive[a][k] && alive[b][k] && !cut[a][k] && !cut[b][k];
        auto direction_of = [&](std::size_t side) { return side == dialler ? kOutbound : kInbound; };
        if (up) {
          if (!possible) {
            up = false;
            const bool cut_off = cut[a][k] || cut[b][k];
            for (std::size_t side : {a, b}) {
              if (alive[side][k]) disconnection(side, direction_of(side), cut_off ? kTimeout : kRemoteClose, k);
            }
          } else if (rng.chance(kDropPerTick)) {
            up = false;
            if (rng.chance(0.5)) {
              disconnection(a, direction_of(a), kTimeout, k);
              disconnection(b, direction_of(b), kTimeout, k);
            } else {
              std::size_t closer = rng.chance(0.5) ? a : b, other = closer == a ? b : a;
              disconnection(closer, direction_of(closer), kLocalClose, k);
              disconnection(other, direction_of(other), kRemoteClose, k);
            }
            next_attempt = k + static_cast<std::size_t>(rng.between(1, 8));
          }
        } else {
          if (possible && !was_possible)
            next_attempt = std::max(next_attempt, k + static_cast<std::size_t>(rng.between(0, 3)));
          if (possible && k >= next_attempt) {
            up = true;
            dialler = rng.chance(0.5) ? a : b;
            std::size_t other = dialler == a ? b : a;
            connection(dialler, kOutbound, kSuccess, k);
            connection(other, kInbound, kSuccess, k);
          } else if (!possible) {
            // A running node keeps dialling a peer it cannot reach; a cut-off one dials hard.
            for (std::size_t side : {a, b}) {
              if (alive[side][k] && rng.chance(cut[side][k] ? 0.5 : 0.1)) connection(side, kOutbound, kFailure, k);
            }
          }
        }
        was_possible = possible;
        link[k] = up ? 1 : 0;
        if (up) {
          ++out.peers[a][k];
          ++out.peers[b][k];
        }
      }
    }
  }
  // Background dial failures of unrelated addresses, as on a real network.
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t k = 0; k < ticks; ++k) {
      if (!alive[a][k]) continue;
      if (rng.chance(0.02)) connection(a, kOutbound, kFailure, k);
      if (rng.chance(0.005)) connection(a, kInbound, kFailure, k);
    }
  }
  return out;
}

}  // namespace leanscope::sim::detail
