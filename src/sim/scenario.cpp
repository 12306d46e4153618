#include "sim/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "sim/random.h"

namespace leanscope::sim {

namespace {
constexpr double kGiB = 1024.0 * 1024 * 1024;
struct ClientKind {
  const char* name;
  bool source_label;  // both label styles exist in the wild
  // Version 2: older metric names, reorg depth, speed, limits (see NodeSpec).
  bool old_pq_prefix, old_building_name, old_finality_names, reorg_depth;
  double speed, memory_limit, fs_limit;
  int devices;
};
constexpr std::array<ClientKind, 8> kClientKinds{{
    {"zeam", true, false, false, false, true, 1.0, 8 * kGiB, 0, 2},
    {"ream", false, false, false, true, false, 1.3, 0, 250e9, 1},
    {"qlean", true, true, false, false, true, 0.8, 6 * kGiB, 0, 1},
    {"lantern", false, false, true, false, false, 1.5, 0, 500e9, 1},
    {"ethlambda", true, false, false, false, false, 0.7, 8 * kGiB, 0, 1},
    {"grandine", true, false, false, false, true, 0.9, 0, 0, 1},
    {"gean", false, false, false, false, false, 1.2, 4 * kGiB, 0, 1},
    {"nlean", true, false, false, false, false, 1.1, 0, 0, 1},
}};
constexpr int kMaxClients = 100;
constexpr int kMaxIterations = 100;
}  // namespace

std::vector<std::string> client_types(int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    const auto& kind = kClientKinds[static_cast<std::size_t>(i) % kClientKinds.size()];
    int round = i / static_cast<int>(kClientKinds.size());
    names.push_back(round == 0 ? std::string(kind.name) : fmt::format("{}{}", kind.name, round + 1));
  }
  return names;
}

Status validate(const SimulationConfig& config) {
  if (config.clients < 2 || config.clients > kMaxClients)
    return make_error("--clients must be between 2 and {} (got {})", kMaxClients, config.clients);
  if (config.iterations < 1 || config.iterations > kMaxIterations)
    return make_error("--iterations must be between 1 and {} (got {})", kMaxIterations, config.iterations);
  if (!(config.hours >= 0.1 && config.hours <= 720))
    return make_error("--hours must be between 0.1 and 720 (got {})", config.hours);
  // Every iteration, its gap (at most 8 min) and the infrastructure's 10 min lead must fit after 1970.
  const double span_ms = config.iterations * (config.hours * 3.6e6 + 8 * 60e3) + 10 * 60e3;
  if (static_cast<double>(config.end) < span_ms)
    return make_error("--end is too early: {} iteration(s) of {} h would start before 1970", config.iterations,
                      config.hours);
  return {};
}

namespace detail {

int IterationPlan::tick_of(TimeMs t) const {
  if (t < genesis) return 0;
  return std::min(static_cast<int>((t - genesis) / kTickMs), ticks() - 1);
}

bool alive_at(const NodeIteration& node, TimeMs t) {
  return std::any_of(node.runs.begin(), node.runs.end(), [t](const Run& r) { return r.contains(t); });
}

std::string bare_name(const NodeSpec& node) { return node.name.substr(0, node.name.rfind('_')); }

namespace {

constexpr std::uint64_t kStreamNodes = 1, kStreamLayout = 2, kStreamIteration = 3, kStreamEvents = 4;
// Version 2 draws from streams of its own, so version 1's series stay as they were.
constexpr std::uint64_t kStreamNodesV2 = 10, kStreamIterationV2 = 11;

TimeMs seconds(double s) { return static_cast<TimeMs>(std::llround(s * 1000.0)); }
TimeMs minutes(double m) { return seconds(m * 60.0); }
TimeMs floor_to(TimeMs t, TimeMs unit) { return t >= 0 ? t / unit * unit : -((-t + unit - 1) / unit) * unit; }

std::string peer_id_for(Rng& rng) {
  static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::string id = "16Uiu2HAm";
  for (int i = 0; i < 44; ++i) id += kAlphabet[rng.between(0, sizeof(kAlphabet) - 2)];
  return id;
}

std::vector<NodeSpec> make_nodes(const SimulationConfig& config) {
  Rng rng(config.seed, {kStreamNodes});
  Rng v2(config.seed, {kStreamNodesV2});
  auto types = client_types(config.clients);
  std::vector<NodeSpec> nodes;
  int per_peer = -1;  // ethlambda when present, else the last node
  for (int i = 0; i < config.clients; ++i) {
    if (types[static_cast<std::size_t>(i)] == "ethlambda") per_peer = i;
  }
  if (per_peer < 0) per_peer = config.clients - 1;
  for (int i = 0; i < config.clients; ++i) {
    NodeSpec n;
    n.client_type = types[static_cast<std::size_t>(i)];
    n.name = n.client_type + "_0";
    n.peer_id = peer_id_for(rng);
    n.per_peer_gauge = i == per_peer;
    const auto& kind = kClientKinds[static_cast<std::size_t>(i) % kClientKinds.size()];
    n.source_label = kind.source_label;
    n.scrape_phase = rng.between(0, kScrapeMs - 1);
    n.old_pq_prefix = kind.old_pq_prefix;
    n.old_building_name = kind.old_building_name;
    n.old_finality_names = kind.old_finality_names;
    n.reorg_depth = kind.reorg_depth;
    n.speed = kind.speed * v2.uniform(0.9, 1.1);
    n.memory_limit = kind.memory_limit;
    n.fs_limit = kind.fs_limit;
    n.devices = kind.devices;
    nodes.push_back(std::move(n));
  }
  return nodes;
}

// A window of `length` starting at a fraction of the iteration, on tick boundaries.
Window tick_window(const IterationPlan& it, double start_fraction, TimeMs length) {
  TimeMs start = it.genesis + floor_to(static_cast<TimeMs>(start_fraction * static_cast<double>(it.duration)), kTickMs);
  return {start, start + std::max<TimeMs>(kTickMs, floor_to(length, kTickMs))};
}

// Incidents, in separate stretches of the iteration so that a node chosen
// twice (few clients) never has two at once: above tier at ~10 %, restart at
// ~33 %, isolation at ~45 %, invalid attestations at ~70 %.
void plan_events(IterationPlan& it, int node_count, Rng& rng) {
  std::vector<int> order(static_cast<std::size_t>(node_count));
  for (int i = 0; i < node_count; ++i) order[static_cast<std::size_t>(i)] = i;
  for (int i = node_count - 1; i > 0; --i)
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(rng.between(0, i))]);
  auto pick = [&](int k) { return order[static_cast<std::size_t>(k % node_count)]; };
  const double d = static_cast<double>(it.duration);
  const TimeMs longest = static_cast<TimeMs>(0.15 * d);

  it.above_tier_node = pick(0);
  it.above_tier = tick_window(it, rng.uniform(0.08, 0.12), std::min(minutes(rng.uniform(10, 20)), longest));
  it.above_tier_rate = rng.uniform(7.2e6, 9.0e6);  // 58-72 Mbps

  it.restart_node = pick(1);
  TimeMs stop = it.genesis + static_cast<TimeMs>(rng.uniform(0.30, 0.38) * d) + rng.between(0, 999);
  it.restart_down = {stop, stop + seconds(rng.uniform(20, 60))};
  split_run(it.nodes[static_cast<std::size_t>(it.restart_node)], it.restart_down);

  it.isolated_node = pick(2);
  it.isolation = tick_window(it, rng.uniform(0.42, 0.48), std::min(minutes(rng.uniform(8, 15)), longest));

  it.invalid_node = pick(3);
  it.invalid = tick_window(it, rng.uniform(0.66, 0.72), std::min(minutes(rng.uniform(10, 20)), longest));
  it.invalid_per_slot = rng.uniform(0.5, 3.0);
}

}  // namespace

Plan make_plan(const SimulationConfig& config) {
  Plan plan;
  plan.config = config;
  plan.nodes = make_nodes(config);
  plan.infrastructure = {"cadvisor", "prometheus", "grafana"};
  plan.end = config.end;

  Rng layout(config.seed, {kStreamLayout});
  const TimeMs duration = seconds(std::round(config.hours * 3600.0));
  std::vector<TimeMs> gaps(static_cast<std::size_t>(config.iterations), 0);
  for (auto& g : gaps) g = seconds(std::round(layout.uniform(180, 480)));
  plan.cadvisor_phase = layout.between(0, kScrapeMs - 1);

  // Placed backwards from --end: the last iteration ends there.
  std::vector<TimeMs> genesis(static_cast<std::size_t>(config.iterations));
  TimeMs g = floor_to(config.end - duration, 1000);
  for (int i = config.iterations - 1; i >= 0; --i) {
    genesis[static_cast<std::size_t>(i)] = g;
    g -= duration + gaps[static_cast<std::size_t>(i)];
  }
  plan.infrastructure_start = genesis.front() - minutes(10);

  const bool room_for_events = duration >= minutes(40);
  for (int i = 0; i < config.iterations; ++i) {
    Rng rng(config.seed, {kStreamIteration, static_cast<std::uint64_t>(i)});
    Rng v2(config.seed, {kStreamIterationV2, static_cast<std::uint64_t>(i)});
    IterationPlan it;
    it.genesis = genesis[static_cast<std::size_t>(i)];
    it.duration = duration;
    for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
      NodeIteration node;
      node.validators = static_cast<int>(rng.between(2, 4));
      node.version = fmt::format("v0.{}.{}", i + 1 + static_cast<int>(n % 3), rng.between(0, 9));
      TimeMs up = it.genesis + rng.between(0, 90'000);
      TimeMs down = it.genesis + duration - rng.between(0, 20'000);
      node.runs = {{up, down}};
      node.rx_base = rng.uniform(150e3, 450e3);
      node.tx_base = rng.uniform(100e3, 400e3);
      node.cpu_cores = rng.uniform(0.2, 1.2);
      node.gossip_share = rng.uniform(0.78, 0.92);
      node.memory_base = v2.uniform(0.8e9, 2.2e9);
      node.fs_base = v2.uniform(0.1e9, 0.5e9);
      node.fs_growth = v2.uniform(40e6, 150e6);
      it.nodes.push_back(std::move(node));
    }
    Rng events(config.seed, {kStreamEvents, static_cast<std::uint64_t>(i)});
    if (room_for_events) plan_events(it, config.clients, events);
    if (i == 0) {
      // Early in the first iteration one node is still scraped under its bare
      // job name (`ream`), later as `ream_0`: the same node, renamed.
      it.rename_node = std::min(1, config.clients - 1);
      it.rename_at = it.genesis + static_cast<TimeMs>(events.uniform(0.5, 0.6) * static_cast<double>(duration));
    }
    if (room_for_events) plan_incidents(config, i, it, plan.nodes);
    plan.iterations.push_back(std::move(it));
  }
  return plan;
}

}  // namespace detail
}  // namespace leanscope::sim
