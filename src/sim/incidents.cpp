// The version-2 incidents: each happens once in a run, in iteration k mod
// the number of iterations (k its place in the list below), on a node picked
// per seed, and in a stretch of the iteration clear of the version-1
// incidents (above tier ~10 %, restart ~33 %, isolation ~45 %, invalid
// attestations ~70 %). Their truth events carry the finding kinds.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/random.h"
#include "sim/scenario.h"

namespace leanscope::sim::detail {

namespace {

constexpr std::uint64_t kStreamIncidents = 12;

enum Incident : int { kStall, kOomKill, kSlow, kBehind, kGrowth, kDeep, kFill, kBadSignatures, kIncidentCount };

TimeMs minutes(double m) { return static_cast<TimeMs>(std::llround(m * 60'000.0)); }
TimeMs slot_floor(TimeMs t, TimeMs genesis) { return genesis + (t - genesis) / kSlotMs * kSlotMs; }

}  // namespace

void split_run(NodeIteration& node, Window down) {
  for (std::size_t r = 0; r < node.runs.size(); ++r) {
    const Run whole = node.runs[r];
    if (!whole.contains(down.start)) continue;
    node.runs[r] = {whole.start, down.start};
    node.runs.insert(node.runs.begin() + static_cast<std::ptrdiff_t>(r) + 1, Run{down.end, whole.end});
    return;
  }
}

void plan_incidents(const SimulationConfig& config, int i, IterationPlan& it, const std::vector<NodeSpec>& nodes) {
  Rng rng(config.seed, {kStreamIncidents, static_cast<std::uint64_t>(i)});
  const int count = static_cast<int>(nodes.size());
  std::vector<int> order(static_cast<std::size_t>(count));
  for (int n = 0; n < count; ++n) order[static_cast<std::size_t>(n)] = n;
  for (int n = count - 1; n > 0; --n)
    std::swap(order[static_cast<std::size_t>(n)], order[static_cast<std::size_t>(rng.between(0, n))]);
  std::vector<int> used;
  // The first node in the seed's order that fits, preferring one without
  // another incident; -1 when none fits.
  auto pick = [&](auto fits) {
    for (int pass = 0; pass < 2; ++pass) {
      for (int n : order) {
        const bool free = std::find(used.begin(), used.end(), n) == used.end();
        if (fits(n) && (free || pass == 1)) {
          used.push_back(n);
          return n;
        }
      }
    }
    return -1;
  };
  auto spec = [&](int n) -> const NodeSpec& { return nodes[static_cast<std::size_t>(n)]; };
  auto any = [](int) { return true; };
  auto here = [&](int incident) { return incident % config.iterations == i; };
  const double d = static_cast<double>(it.duration);
  auto at = [&](double lo, double hi) { return it.genesis + static_cast<TimeMs>(rng.uniform(lo, hi) * d); };

  if (here(kStall)) {
    const TimeMs start = slot_floor(at(0.52, 0.56), it.genesis);
    const TimeMs length = std::max(minutes(8.5), std::min(minutes(rng.uniform(10, 14)), static_cast<TimeMs>(0.2 * d)));
    it.finality_stall = {start, slot_floor(start + length, it.genesis)};
  }
  if (here(kOomKill)) {
    // A node with a memory limit, other than the one restarting anyway if possible.
    it.oom_node = pick([&](int n) { return spec(n).memory_limit > 0 && n != it.restart_node; });
    if (it.oom_node < 0) it.oom_node = pick([&](int n) { return spec(n).memory_limit > 0; });
  }
  if (it.oom_node >= 0) {
    const TimeMs kill = at(0.86, 0.90) + rng.between(0, 999);
    it.oom_down = {kill, kill + static_cast<TimeMs>(rng.uniform(15, 40) * 1000)};
    split_run(it.nodes[static_cast<std::size_t>(it.oom_node)], it.oom_down);
  }
  if (here(kSlow)) {
    // About 5 times the median of the other clients, whatever its own speed.
    it.slow_node = pick(any);
    std::vector<double> speeds;
    for (int n = 0; n < count; ++n) {
      if (n != it.slow_node) speeds.push_back(spec(n).speed);
    }
    std::sort(speeds.begin(), speeds.end());
    const double median = speeds.size() % 2 == 1 ? speeds[speeds.size() / 2]
                                                 : (speeds[speeds.size() / 2 - 1] + speeds[speeds.size() / 2]) / 2;
    it.slow_factor = rng.uniform(4.5, 5.5) * median / spec(it.slow_node).speed;
  }
  if (here(kBehind)) {
    it.behind_node = pick(any);
    const TimeMs start = slot_floor(at(0.76, 0.80), it.genesis);
    it.behind = {start, start + minutes(rng.uniform(4.5, 6))};
  }
  if (here(kGrowth)) {
    // Steady growth: not on the node that restarts (its working set starts again).
    it.memory_growth_node =
        pick([&](int n) { return spec(n).memory_limit == 0 && n != it.restart_node && n != it.oom_node; });
    if (it.memory_growth_node < 0)
      it.memory_growth_node = pick([&](int n) { return n != it.restart_node && n != it.oom_node; });
    it.memory_growth = rng.uniform(0.15, 0.25);
  }
  if (here(kDeep)) {
    it.deep_reorg_node = pick([&](int n) { return spec(n).reorg_depth; });
    it.deep_reorg_at = at(0.60, 0.64);
  }
  if (here(kFill)) {
    it.disk_fill_node = pick([&](int n) { return spec(n).fs_limit == 0; });
    if (it.disk_fill_node < 0) it.disk_fill_node = pick(any);
    it.disk_fill = rng.uniform(1.3e9, 2.0e9);
  }
  if (here(kBadSignatures)) {
    it.invalid_signatures_node = pick([&](int n) { return n != it.restart_node; });
    const TimeMs start = at(0.14, 0.18);
    it.invalid_signatures = {start, start + std::min(minutes(rng.uniform(5, 8)), static_cast<TimeMs>(0.08 * d))};
  }
}

void incident_events(const Plan& plan, int iteration, TimeMs start, TimeMs end, std::vector<TruthEvent>& events) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  auto name = [&](int n) { return plan.nodes[static_cast<std::size_t>(n)].name; };
  auto add = [&](std::string_view kind, std::string client, TimeMs from, TimeMs to, std::string detail) {
    events.push_back({std::string(kind), std::move(client), from, to, std::move(detail)});
  };
  // A process restart is a container restart too: cAdvisor reports a new start time.
  if (it.restart_node >= 0) {
    add(kContainerRestart, name(it.restart_node), it.restart_down.start, it.restart_down.end,
        fmt::format("{}'s container started again at {}", name(it.restart_node), format_iso_z(it.restart_down.end)));
  }
  if (it.finality_stall.end > it.finality_stall.start) {
    add(kFinalityStall, "*", it.finality_stall.start, it.finality_stall.end,
        fmt::format("finalization stopped network-wide for {:.1f} min while heads advanced",
                    static_cast<double>(it.finality_stall.end - it.finality_stall.start) / kMinuteMs));
  }
  if (it.oom_node >= 0) {
    const auto client = name(it.oom_node);
    const Window w = it.oom_down;
    add(kOom, client, w.start, w.end,
        fmt::format("{} was killed at its memory limit of {:.1f} GiB", client,
                    plan.nodes[static_cast<std::size_t>(it.oom_node)].memory_limit / (1024.0 * 1024 * 1024)));
    add(kContainerRestart, client, w.start, w.end,
        fmt::format("{}'s container started again at {} after the OOM kill", client, format_iso_z(w.end)));
    add(kRestart, client, w.start, w.end,
        fmt::format("{} restarted after an OOM kill: down for {} s, counters reset", client, (w.end - w.start) / 1000));
  }
  if (it.slow_node >= 0) {
    add(kSlowVerification, name(it.slow_node), start, end,
        fmt::format("{} verifies signatures {:.1f}x slower than its usual speed (about 5x the median client)",
                    name(it.slow_node), it.slow_factor));
  }
  if (it.behind_node >= 0) {
    // Where current - head > 8, as the model computes the head (model.cpp).
    const std::int64_t frozen = (it.behind.start - it.genesis) / kSlotMs;
    TimeMs from = 0, to = 0;
    for (TimeMs t = it.behind.start; t < it.behind.end + 10 * kMinuteMs; t += 1000) {
      const std::int64_t current = (t - it.genesis) / kSlotMs;
      const std::int64_t head = std::min(current, frozen + std::max<TimeMs>(0, t - it.behind.end) * 4 / kSlotMs);
      if (current - head > 8 && from == 0) from = t;
      if (from != 0 && current - head <= 8) {
        to = t;
        break;
      }
    }
    add(kBehindHead, name(it.behind_node), from, to,
        fmt::format("{}'s head stopped for {:.1f} min, then caught up", name(it.behind_node),
                    static_cast<double>(it.behind.end - it.behind.start) / kMinuteMs));
  }
  if (it.memory_growth_node >= 0) {
    add(kMemoryGrowth, name(it.memory_growth_node), start, end,
        fmt::format("{}'s working set grows {:.0f} % of its base per hour", name(it.memory_growth_node),
                    it.memory_growth * 100));
  }
  if (it.deep_reorg_node >= 0) {
    add(kDeepReorg, name(it.deep_reorg_node), it.deep_reorg_at, it.deep_reorg_at,
        fmt::format("{} reorganised 4 slots deep", name(it.deep_reorg_node)));
  }
  if (it.disk_fill_node >= 0) {
    add(kDiskFill, name(it.disk_fill_node), start, end,
        fmt::format("{}'s disk usage grows {:.1f} GB per hour", name(it.disk_fill_node), it.disk_fill / 1e9));
  }
  if (it.invalid_signatures_node >= 0) {
    add(kInvalidSignatures, name(it.invalid_signatures_node), it.invalid_signatures.start, it.invalid_signatures.end,
        fmt::format("{} received attestations with invalid signatures", name(it.invalid_signatures_node)));
  }
}

}  // namespace leanscope::sim::detail
