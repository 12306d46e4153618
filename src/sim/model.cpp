// The metric series of a simulated devnet, generated from the scenario: what
// each client and cAdvisor would have answered at every 15 s scrape.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "archive/devnets.h"
#include "sim/families.h"
#include "sim/models.h"
#include "sim/node_runs.h"
#include "sim/random.h"
#include "sim/scenario.h"
#include "sim/simulator.h"

namespace leanscope::sim {

const MetricFamily* Simulation::family(std::string_view name) const {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::size_t Simulation::sample_count() const {
  std::size_t n = 0;
  for (const auto& f : families) {
    for (const auto& s : f.series) n += s.times.size();
  }
  return n;
}

namespace detail {
namespace {

constexpr std::uint64_t kStreamSamples = 6, kStreamContainers = 7, kStreamInfrastructure = 8;

TimeMs first_scrape_at_or_after(TimeMs t, TimeMs phase) {
  TimeMs k = (t - phase + kScrapeMs - 1) / kScrapeMs;
  if (t - phase < 0) k = -((phase - t) / kScrapeMs);
  return phase + k * kScrapeMs;
}

// The series one node exports under one job name.
struct NodeSeries {
  std::size_t head = kNone, current = kNone, validators = kNone, info = kNone, peers = kNone;
  std::vector<std::size_t> peer_series;  // per other node, per-peer exporters only
  std::array<std::size_t, 4> connections{};
  std::array<std::size_t, 6> disconnections{};
  std::array<std::size_t, 2> valid{}, invalid{};  // [gossip, block] or [all, -]
};

NodeSeries resolve(FamilySet& set, const NodeSpec& spec, const NodeIteration& node, const std::string& job) {
  Labels base{{"job", job}, {"instance", job + ":8080"}};
  auto with = [&](std::initializer_list<std::pair<std::string, std::string>> extra) {
    Labels l = base;
    l.insert(l.end(), extra.begin(), extra.end());
    return l;
  };
  NodeSeries s;
  s.head = set.series(kHeadSlot, base);
  s.current = set.series(kCurrentSlot, base);
  s.validators = set.series(kValidators, base);
  s.info = set.series(kNodeInfo, with({{"name", spec.client_type}, {"version", node.version}}));
  if (!spec.per_peer_gauge) s.peers = set.series(kPeers, base);
  for (std::size_t d = 0; d < 2; ++d) {
    for (std::size_t r = 0; r < 2; ++r)
      s.connections[d * 2 + r] =
          set.series(kConnectionEvents, with({{"direction", kDirections[d]}, {"result", kResults[r]}}));
    for (std::size_t r = 0; r < 3; ++r)
      s.disconnections[d * 3 + r] =
          set.series(kDisconnectionEvents, with({{"direction", kDirections[d]}, {"reason", kReasons[r]}}));
  }
  if (spec.source_label) {
    s.valid = {set.series(kValid, with({{"source", "gossip"}})), set.series(kValid, with({{"source", "block"}}))};
    s.invalid = {set.series(kInvalid, with({{"source", "gossip"}})), set.series(kInvalid, with({{"source", "block"}}))};
  } else {
    s.valid = {set.series(kValid, base), kNone};
    s.invalid = {set.series(kInvalid, base), kNone};
  }
  return s;
}

}  // namespace

// Outside the anonymous namespace: NodeByNode::State holds these.
struct IterationSpan {
  TimeMs first_sample = std::numeric_limits<TimeMs>::max();
  TimeMs last_sample = std::numeric_limits<TimeMs>::min();
  std::int64_t max_head = 0;
};

namespace {

// The version-2 parts of one node's lean_* series in one iteration.
struct LeanModels {
  ConsensusModel consensus;
  SignatureModel signatures;
};

void emit_node(const Plan& plan, int iteration, const PeerTimeline& peers, const std::vector<int>& validators_up,
               std::size_t n, FamilySet& set, IterationSpan& span, LeanModels& v2) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  const auto& spec = plan.nodes[n];
  const auto& node = it.nodes[n];
  const std::size_t others = plan.nodes.size();
  Rng rng(plan.config.seed, {kStreamSamples, static_cast<std::uint64_t>(iteration), n});
  const bool renamed = static_cast<std::size_t>(it.rename_node) == n;
  const std::string bare = bare_name(spec);
  std::string job;
  NodeSeries series;

  for (std::size_t r = 0; r < node.runs.size(); ++r) {
    const Run run = node.runs[r];
    std::array<std::int64_t, 4> connections{};
    std::array<std::int64_t, 6> disconnections{};
    std::array<double, 2> valid{}, invalid{};
    std::vector<std::uint8_t> seen(others, 0);  // per-peer series exist once connected
    int last_tick = it.tick_of(run.start) - 1;
    TimeMs prev = run.start;
    bool first_of_run = true;
    v2.consensus.start_run();
    v2.signatures.start_run();
    for (TimeMs t = first_scrape_at_or_after(run.start, spec.scrape_phase); t < run.end; t += kScrapeMs) {
      const int k = it.tick_of(t);
      const auto uk = static_cast<std::size_t>(k);
      for (int j = last_tick + 1; j <= k; ++j) {
        for (std::size_t c = 0; c < 4; ++c) connections[c] += peers.connections[n][c][static_cast<std::size_t>(j)];
        for (std::size_t c = 0; c < 6; ++c)
          disconnections[c] += peers.disconnections[n][c][static_cast<std::size_t>(j)];
      }
      last_tick = std::max(last_tick, k);

      const std::string& want = renamed && t < it.rename_at ? bare : spec.name;
      if (want != job) {
        job = want;
        series = resolve(set, spec, node, job);
        series.peer_series.assign(others, kNone);
        v2.consensus.resolve(job);
        v2.signatures.resolve(job);
      }

      const std::int64_t current = (t - it.genesis) / kSlotMs;
      std::int64_t head = std::max<std::int64_t>(0, current - (rng.chance(0.3) ? 1 : 0));
      if (r > 0) {
        // After a restart the node loads for ~10 s, then syncs from genesis,
        // catching up within a minute.
        const TimeMs syncing = std::max<TimeMs>(0, t - run.start - 10'000);
        head = std::min(head, current * std::min<TimeMs>(syncing, kMinuteMs) / kMinuteMs);
      }
      if (static_cast<std::size_t>(it.behind_node) == n && t >= it.behind.start) {
        // Its head stops at the slot of behind.start, then catches up at 4 slots per slot.
        const std::int64_t frozen = (it.behind.start - it.genesis) / kSlotMs;
        head = std::min(head, frozen + std::max<TimeMs>(0, t - it.behind.end) * 4 / kSlotMs);
      }
      set.push(kHeadSlot, series.head, t, static_cast<double>(head));
      set.push(kCurrentSlot, series.current, t, static_cast<double>(current));
      set.push(kValidators, series.validators, t, node.validators);
      set.push(kNodeInfo, series.info, t, 1);
      if (spec.per_peer_gauge) {
        for (std::size_t m = 0; m < others; ++m) {
          if (m == n) continue;
          const bool up = peers.up(static_cast<int>(n), static_cast<int>(m), k);
          if (up) seen[m] = 1;
          if (!seen[m]) continue;
          if (series.peer_series[m] == kNone) {
            Labels l{{"job", job},
                     {"instance", job + ":8080"},
                     {"client", plan.nodes[m].client_type},
                     {"peer", plan.nodes[m].peer_id}};
            series.peer_series[m] = set.series(kPeers, std::move(l));
          }
          set.push(kPeers, series.peer_series[m], t, up ? 1 : 0);
        }
      } else {
        set.push(kPeers, series.peers, t, peers.peers[n][uk]);
      }
      for (std::size_t c = 0; c < 4; ++c)
        set.push(kConnectionEvents, series.connections[c], t, static_cast<double>(connections[c]));
      for (std::size_t c = 0; c < 6; ++c)
        set.push(kDisconnectionEvents, series.disconnections[c], t, static_cast<double>(disconnections[c]));

      // Every running validator attests once per slot; a node without peers
      // only sees its own validators' attestations.
      const double slots = static_cast<double>(t - prev) / static_cast<double>(kSlotMs);
      const int senders = peers.peers[n][uk] > 0 ? validators_up[uk] : node.validators;
      const double arrived = senders * slots * rng.uniform(0.93, 1.0);
      const double gossip = std::clamp(node.gossip_share + 0.03 * rng.noise(), 0.0, 1.0);
      double bad = 0;
      if (static_cast<std::size_t>(it.invalid_node) == n && it.invalid.contains(t))
        bad = it.invalid_per_slot * slots * rng.uniform(0.6, 1.4);
      if (spec.source_label) {
        valid[0] += arrived * gossip;
        valid[1] += arrived * (1 - gossip);
        invalid[0] += bad * 0.9;
        invalid[1] += bad * 0.1;
        for (std::size_t s = 0; s < 2; ++s) {
          set.push(kValid, series.valid[s], t, std::floor(valid[s]));
          set.push(kInvalid, series.invalid[s], t, std::floor(invalid[s]));
        }
      } else {
        valid[0] += arrived;
        invalid[0] += bad;
        set.push(kValid, series.valid[0], t, std::floor(valid[0]));
        set.push(kInvalid, series.invalid[0], t, std::floor(invalid[0]));
      }
      NodeScrape scrape;
      scrape.t = t;
      scrape.prev = prev;
      scrape.current = current;
      scrape.prev_current = std::max<std::int64_t>(0, (prev - it.genesis) / kSlotMs);
      scrape.head = head;
      scrape.first_of_run = first_of_run;
      scrape.validators_up = senders;
      v2.consensus.scrape(scrape);
      v2.signatures.scrape(scrape);
      first_of_run = false;
      prev = t;
      span.first_sample = std::min(span.first_sample, t);
      span.last_sample = std::max(span.last_sample, t);
      span.max_head = std::max(span.max_head, head);
    }
  }
}

Labels container_labels(const std::string& name, bool network) {
  Labels l{{"job", "cadvisor"}, {"instance", "cadvisor:8080"}, {"name", name}};
  if (network)
    l.emplace_back("interface", "eth0");
  else
    l.emplace_back("cpu", "total");
  return l;
}

struct ContainerSeries {
  std::size_t rx, tx, cpu;
};

ContainerSeries container_series(FamilySet& set, const std::string& name) {
  return {set.series(kRx, container_labels(name, true)), set.series(kTx, container_labels(name, true)),
          set.series(kCpu, container_labels(name, false))};
}

// cAdvisor's counters of one client container; they restart from 0 with the container.
void emit_container(const Plan& plan, int iteration, const PeerTimeline& peers, std::size_t n, FamilySet& set,
                    ContainerModel& model) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  const auto& node = it.nodes[n];
  Rng rng(plan.config.seed, {kStreamContainers, static_cast<std::uint64_t>(iteration), n});
  const auto series = container_series(set, plan.nodes[n].name);
  const double full = static_cast<double>(plan.nodes.size() - 1);
  for (const Run& run : node.runs) {
    double rx = 0, tx = 0, cpu = 0;
    TimeMs prev = run.start;
    model.start_run(run);
    for (TimeMs t = first_scrape_at_or_after(run.start, plan.cadvisor_phase); t < run.end; t += kScrapeMs) {
      const auto k = static_cast<std::size_t>(it.tick_of(t));
      const double dt = static_cast<double>(t - prev) / 1000.0;
      const int connected = peers.peers[n][k];
      double rx_rate, tx_rate;
      if (connected == 0) {
        rx_rate = rng.uniform(1e3, 3e3);
        tx_rate = rng.uniform(1e3, 3e3);
      } else {
        const double share = 0.6 + 0.4 * connected / full;
        rx_rate = node.rx_base * share * (1 + 0.2 * rng.noise());
        tx_rate = node.tx_base * share * (1 + 0.2 * rng.noise());
      }
      if (static_cast<std::size_t>(it.above_tier_node) == n && it.above_tier.contains(t))
        rx_rate = it.above_tier_rate * (1 + 0.04 * rng.noise());
      rx += rx_rate * dt;
      tx += tx_rate * dt;
      cpu += node.cpu_cores * (1 + 0.15 * rng.noise()) * dt;
      set.push(kRx, series.rx, t, std::floor(rx));
      set.push(kTx, series.tx, t, std::floor(tx));
      set.push(kCpu, series.cpu, t, std::round(cpu * 1000) / 1000);
      model.scrape(t, prev);
      prev = t;
    }
  }
}

// Prometheus, Grafana and cAdvisor itself run through the whole time line.
void emit_infrastructure(const Plan& plan, FamilySet& set, const ContainerFamilies& families) {
  for (std::size_t i = 0; i < plan.infrastructure.size(); ++i) {
    Rng rng(plan.config.seed, {kStreamInfrastructure, i});
    const auto series = container_series(set, plan.infrastructure[i]);
    ContainerModel model(plan, i, families, set);
    model.start_run({plan.infrastructure_start, plan.end + 1});
    const double rx_base = rng.uniform(5e3, 150e3), tx_base = rng.uniform(5e3, 80e3), cores = rng.uniform(0.02, 0.3);
    double rx = 0, tx = 0, cpu = 0;
    TimeMs prev = plan.infrastructure_start;
    for (TimeMs t = first_scrape_at_or_after(prev, plan.cadvisor_phase); t <= plan.end; t += kScrapeMs) {
      const double dt = static_cast<double>(t - prev) / 1000.0;
      rx += rx_base * (1 + 0.1 * rng.noise()) * dt;
      tx += tx_base * (1 + 0.1 * rng.noise()) * dt;
      cpu += cores * (1 + 0.1 * rng.noise()) * dt;
      set.push(kRx, series.rx, t, std::floor(rx));
      set.push(kTx, series.tx, t, std::floor(tx));
      set.push(kCpu, series.cpu, t, std::round(cpu * 1000) / 1000);
      model.scrape(t, prev);
      prev = t;
    }
  }
}

// Windows of at least 5 min in which a running node had no peer at all.
void isolation_events(const Plan& plan, int iteration, const PeerTimeline& peers, std::vector<TruthEvent>& events) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
    int start = -1;
    for (int k = 0; k <= peers.ticks; ++k) {
      const bool zero =
          k < peers.ticks && alive_at(it.nodes[n], it.tick_time(k)) && peers.peers[n][static_cast<std::size_t>(k)] == 0;
      if (zero && start < 0) start = k;
      if (!zero && start >= 0) {
        const TimeMs from = it.tick_time(start), to = it.tick_time(k);
        if (to - from >= 5 * kMinuteMs) {
          events.push_back({std::string(kIsolated), plan.nodes[n].name, from, to,
                            fmt::format("{} had no connected peers for {:.0f} min", plan.nodes[n].name,
                                        static_cast<double>(to - from) / kMinuteMs)});
        }
        start = -1;
      }
    }
  }
}

void plan_events(const Plan& plan, int iteration, std::vector<TruthEvent>& events) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  auto name = [&](int n) { return plan.nodes[static_cast<std::size_t>(n)].name; };
  if (it.restart_node >= 0) {
    events.push_back({std::string(kRestart), name(it.restart_node), it.restart_down.start, it.restart_down.end,
                      fmt::format("{} restarted: down for {} s, counters reset and head slot resynced from 0",
                                  name(it.restart_node), (it.restart_down.end - it.restart_down.start) / 1000)});
  }
  if (it.invalid_node >= 0) {
    events.push_back({std::string(kInvalidAttestations), name(it.invalid_node), it.invalid.start, it.invalid.end,
                      fmt::format("{} received about {:.1f} invalid attestations per slot", name(it.invalid_node),
                                  it.invalid_per_slot)});
  }
  if (it.above_tier_node >= 0) {
    events.push_back({std::string(kAboveTier), name(it.above_tier_node), it.above_tier.start, it.above_tier.end,
                      fmt::format("{} received about {:.0f} Mbps, above the 50 Mbps download tier of EIP-7870",
                                  name(it.above_tier_node), it.above_tier_rate * 8 / 1e6)});
  }
  if (it.rename_node >= 0) {
    const auto& spec = plan.nodes[static_cast<std::size_t>(it.rename_node)];
    events.push_back({std::string(kRename), spec.name, it.rename_at, it.rename_at,
                      fmt::format("job '{}' is scraped as '{}' from here on", bare_name(spec), spec.name)});
  }
}

}  // namespace

// What every node of one iteration shares: its peer links, the validators
// whose attestations get through, and finality.
struct IterationInputs {
  PeerTimeline peers;
  std::vector<int> validators_up;
  NetworkFinality finality;
};

namespace {

IterationInputs iteration_inputs(const Plan& plan, int i) {
  const auto& it = plan.iterations[static_cast<std::size_t>(i)];
  IterationInputs in{simulate_peers(plan, i), {}, network_finality(plan, i)};
  in.validators_up.assign(static_cast<std::size_t>(in.peers.ticks), 0);
  for (int k = 0; k < in.peers.ticks; ++k) {
    const TimeMs t = it.tick_time(k);
    for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
      const bool cut = static_cast<std::size_t>(it.isolated_node) == n && it.isolation.contains(t);
      if (alive_at(it.nodes[n], t) && !cut) in.validators_up[static_cast<std::size_t>(k)] += it.nodes[n].validators;
    }
  }
  return in;
}

struct AllFamilies {
  ConsensusFamilies consensus;
  SignatureFamilies signatures;
  ContainerFamilies containers;
};

AllFamilies register_families(FamilySet& set, const Plan& plan) {
  set.reserve_per_series(static_cast<std::size_t>((plan.end - plan.infrastructure_start) / kScrapeMs + 2));
  const auto consensus = add_consensus_families(set);
  const auto signatures = add_signature_families(set);
  const auto containers = add_container_families(set);
  return {consensus, signatures, containers};
}

// Node n's lean_* series and its container's in iteration i.
void emit_part(const Plan& plan, int i, const IterationInputs& in, std::size_t n, const AllFamilies& families,
               FamilySet& set, IterationSpan& span) {
  LeanModels v2{ConsensusModel(plan, i, n, in.finality, families.consensus, set),
                SignatureModel(plan, i, n, families.signatures, set)};
  emit_node(plan, i, in.peers, in.validators_up, n, set, span, v2);
  ContainerModel container(plan, i, n, families.containers, set);
  emit_container(plan, i, in.peers, n, set, container);
}

// The first and last lean_* scrape of iteration i, from the plan alone:
// emit_node scrapes every run from its first scrape slot on while it runs.
IterationSpan planned_span(const Plan& plan, int i) {
  const auto& it = plan.iterations[static_cast<std::size_t>(i)];
  IterationSpan span;
  for (std::size_t n = 0; n < plan.nodes.size(); ++n) {
    for (const Run& run : it.nodes[n].runs) {
      const TimeMs first = first_scrape_at_or_after(run.start, plan.nodes[n].scrape_phase);
      if (first >= run.end) continue;
      span.first_sample = std::min(span.first_sample, first);
      span.last_sample = std::max(span.last_sample, first + (run.end - 1 - first) / kScrapeMs * kScrapeMs);
    }
  }
  return span;
}

TruthIteration truth_iteration(const Plan& plan, int i, const IterationSpan& span,
                               const std::vector<std::string>& names) {
  const auto& it = plan.iterations[static_cast<std::size_t>(i)];
  TruthIteration truth;
  truth.genesis = it.genesis;
  truth.first_sample = span.first_sample;
  truth.last_sample = span.last_sample;
  truth.start = (span.first_sample + 999) / 1000 * 1000;
  truth.end = span.last_sample / 1000 * 1000;
  truth.max_head_slot = span.max_head;
  truth.id = archive::devnet_id_for(truth.start);
  truth.clients = names;
  for (const auto& n : it.nodes) truth.validators += n.validators;
  return truth;
}

void iteration_events(const Plan& plan, int i, const PeerTimeline& peers, const TruthIteration& truth,
                      std::vector<TruthEvent>& events) {
  plan_events(plan, i, events);
  isolation_events(plan, i, peers, events);
  incident_events(plan, i, truth.start, truth.end, events);
}

void sort_events(std::vector<TruthEvent>& events) {
  std::stable_sort(events.begin(), events.end(), [](const TruthEvent& a, const TruthEvent& b) {
    return std::tie(a.start, a.kind, a.client) < std::tie(b.start, b.kind, b.client);
  });
}

std::vector<std::string> sorted_names(const Plan& plan) {
  std::vector<std::string> names;
  for (const auto& n : plan.nodes) names.push_back(n.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

struct NodeByNode::State {
  Plan plan;
  Simulation truth;
  std::vector<IterationInputs> inputs;
  std::vector<IterationSpan> spans;  // planned
  std::vector<IterationSpan> seen;   // by the parts run so far
};

NodeByNode::NodeByNode(std::unique_ptr<State> state) : state_(std::move(state)) {}
NodeByNode::~NodeByNode() = default;
NodeByNode::NodeByNode(NodeByNode&&) noexcept = default;
NodeByNode& NodeByNode::operator=(NodeByNode&&) noexcept = default;

Result<NodeByNode> NodeByNode::start(const SimulationConfig& config) {
  LEANSCOPE_TRY(validate(config));
  auto state = std::make_unique<State>();
  state->plan = make_plan(config);
  state->truth.config = config;
  const auto names = sorted_names(state->plan);
  for (int i = 0; i < static_cast<int>(state->plan.iterations.size()); ++i) {
    state->inputs.push_back(iteration_inputs(state->plan, i));
    state->spans.push_back(planned_span(state->plan, i));
    state->seen.emplace_back();
    state->truth.iterations.push_back(truth_iteration(state->plan, i, state->spans.back(), names));
    iteration_events(state->plan, i, state->inputs.back().peers, state->truth.iterations.back(), state->truth.events);
  }
  sort_events(state->truth.events);
  return NodeByNode(std::move(state));
}

Status NodeByNode::check_spans() const {
  for (std::size_t i = 0; i < state_->spans.size(); ++i) {
    const auto &planned = state_->spans[i], &seen = state_->seen[i];
    if (planned.first_sample != seen.first_sample || planned.last_sample != seen.last_sample)
      return make_error("simulate: iteration {} was scraped from {} to {}, not from {} to {} as planned", i,
                        seen.first_sample, seen.last_sample, planned.first_sample, planned.last_sample);
  }
  return {};
}

const Simulation& NodeByNode::truth() const { return state_->truth; }

std::size_t NodeByNode::parts() const { return state_->plan.nodes.size() + 1; }

Result<FamilySet> NodeByNode::run(std::size_t part) {
  const Plan& plan = state_->plan;
  FamilySet set;
  const auto families = register_families(set, plan);
  const auto iterations = static_cast<int>(plan.iterations.size());
  if (part >= plan.nodes.size()) {
    set.set_epoch(iterations);
    emit_infrastructure(plan, set, families.containers);
    return set;
  }
  for (int i = 0; i < iterations; ++i) {
    const auto ui = static_cast<std::size_t>(i);
    set.set_epoch(i);
    IterationSpan span;
    emit_part(plan, i, state_->inputs[ui], part, families, set, span);
    auto& seen = state_->seen[ui];
    seen.first_sample = std::min(seen.first_sample, span.first_sample);
    seen.last_sample = std::max(seen.last_sample, span.last_sample);
    auto& truth = state_->truth.iterations[ui];
    truth.max_head_slot = std::max(truth.max_head_slot, span.max_head);
  }
  return set;
}

}  // namespace detail

Result<Simulation> simulate(const SimulationConfig& config) {
  using namespace detail;
  LEANSCOPE_TRY(validate(config));
  const Plan plan = make_plan(config);
  Simulation sim;
  sim.config = config;
  FamilySet set;
  const auto families = register_families(set, plan);
  const auto names = sorted_names(plan);
  for (int i = 0; i < static_cast<int>(plan.iterations.size()); ++i) {
    const IterationInputs in = iteration_inputs(plan, i);
    IterationSpan span;
    set.set_epoch(i);
    for (std::size_t n = 0; n < plan.nodes.size(); ++n) emit_part(plan, i, in, n, families, set, span);
    sim.iterations.push_back(truth_iteration(plan, i, span, names));
    iteration_events(plan, i, in.peers, sim.iterations.back(), sim.events);
  }
  set.set_epoch(static_cast<int>(plan.iterations.size()));
  emit_infrastructure(plan, set, families.containers);
  sim.families = set.take();
  sort_events(sim.events);
  return sim;
}

}  // namespace leanscope::sim
