// Consensus as a node exports it: justified and finalized slots trailing its
// head under 3SF, fork-choice reorgs now and then (with their depth on the
// clients that export it), sync status, and the state transition of every
// block it processes (counters and timing histograms).
#include <algorithm>
#include <cmath>

#include "sim/models.h"

namespace leanscope::sim::detail {

namespace {

constexpr std::uint64_t kStreamFinality = 20, kStreamConsensus = 21;
constexpr double kReorgPerScrape = 0.004;  // about one an hour per node
constexpr double kSigma = 0.45;            // spread (of the log) of every state-transition time

const Buckets& time_buckets() {
  static const Buckets b = buckets({"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1"});
  return b;
}
const Buckets& depth_buckets() {
  static const Buckets b = buckets({"1", "2", "3", "5"});
  return b;
}

// Median seconds at speed 1 of: total, slots, block, attestations, fork-choice block, attestation validation.
constexpr std::array<double, 6> kMedians{0.045, 0.004, 0.025, 0.015, 0.03, 0.006};

}  // namespace

std::int64_t NetworkFinality::justified_at(std::int64_t slot) const {
  if (justified.empty() || slot <= 0) return 0;
  return justified[static_cast<std::size_t>(std::min<std::int64_t>(slot, std::ssize(justified) - 1))];
}

std::int64_t NetworkFinality::finalized_at(std::int64_t slot) const {
  if (finalized.empty() || slot <= 0) return 0;
  return finalized[static_cast<std::size_t>(std::min<std::int64_t>(slot, std::ssize(finalized) - 1))];
}

NetworkFinality network_finality(const Plan& plan, int iteration) {
  const auto& it = plan.iterations[static_cast<std::size_t>(iteration)];
  Rng rng(plan.config.seed, {kStreamFinality, static_cast<std::uint64_t>(iteration)});
  const auto slots = static_cast<std::size_t>(it.duration / kSlotMs + 64);
  NetworkFinality f;
  f.justified.assign(slots, 0);
  f.finalized.assign(slots, 0);
  const std::int64_t stall_from = (it.finality_stall.start - it.genesis) / kSlotMs;
  const std::int64_t stall_to = (it.finality_stall.end - it.genesis) / kSlotMs;
  const bool stall = it.finality_stall.end > it.finality_stall.start;
  for (std::size_t s = 1; s < slots; ++s) {
    const auto slot = static_cast<std::int64_t>(s);
    f.justified[s] = std::max(f.justified[s - 1], slot - rng.between(1, 3));
    const std::int64_t candidate = std::min(slot - rng.between(2, 6), f.justified[s]);
    const bool stalled = stall && slot >= stall_from && slot < stall_to;
    f.finalized[s] = stalled ? f.finalized[s - 1] : std::max(f.finalized[s - 1], candidate);
  }
  return f;
}

ConsensusFamilies add_consensus_families(FamilySet& set) {
  ConsensusFamilies f{};
  f.justified = set.add("lean_latest_justified_slot", MetricType::Gauge, "Latest justified slot");
  f.finalized = set.add("lean_latest_finalized_slot", MetricType::Gauge, "Latest finalized slot");
  f.justified_old = set.add("lean_justified_slot", MetricType::Gauge, "Latest justified slot (older name)");
  f.finalized_old = set.add("lean_finalized_slot", MetricType::Gauge, "Latest finalized slot (older name)");
  f.reorgs = set.add("lean_fork_choice_reorgs_total", MetricType::Counter, "Fork-choice reorgs");
  f.reorg_depth = set.add_histogram("lean_fork_choice_reorg_depth", "Depth of fork-choice reorgs");
  f.sync_status = set.add("lean_node_sync_status", MetricType::Gauge, "1 for the node's current sync status");
  f.slots_processed =
      set.add("lean_state_transition_slots_processed_total", MetricType::Counter, "Slots processed by the STF");
  f.attestations_processed = set.add("lean_state_transition_attestations_processed_total", MetricType::Counter,
                                     "Attestations processed by the STF");
  f.finalizations = set.add("lean_finalizations_total", MetricType::Counter, "Finalization attempts by result");
  f.timing = {
      set.add_histogram("lean_state_transition_time_seconds", "State transition time"),
      set.add_histogram("lean_state_transition_slots_processing_time_seconds", "Slots processing time"),
      set.add_histogram("lean_state_transition_block_processing_time_seconds", "Block processing time"),
      set.add_histogram("lean_state_transition_attestations_processing_time_seconds", "Attestations processing time"),
      set.add_histogram("lean_fork_choice_block_processing_time_seconds", "Fork-choice block processing time"),
      set.add_histogram("lean_attestation_validation_time_seconds", "Attestation validation time")};
  return f;
}

ConsensusModel::ConsensusModel(const Plan& plan, int iteration, std::size_t node, const NetworkFinality& finality,
                               const ConsensusFamilies& families, FamilySet& set)
    : plan_(plan),
      it_(plan.iterations[static_cast<std::size_t>(iteration)]),
      spec_(plan.nodes[node]),
      node_(node),
      finality_(finality),
      families_(families),
      set_(set),
      rng_(plan.config.seed, {kStreamConsensus, static_cast<std::uint64_t>(iteration), node}),
      depth_(&depth_buckets()) {
  for (auto& h : timing_) h = Histogram(&time_buckets());
}

void ConsensusModel::resolve(const std::string& job) {
  const Labels base{{"job", job}, {"instance", job + ":8080"}};
  series_.justified = set_.series(spec_.old_finality_names ? families_.justified_old : families_.justified, base);
  series_.finalized = set_.series(spec_.old_finality_names ? families_.finalized_old : families_.finalized, base);
  series_.reorgs = set_.series(families_.reorgs, base);
  if (spec_.reorg_depth) series_.depth = histogram_series(set_, families_.reorg_depth, depth_buckets(), base);
  constexpr std::array<const char*, 3> kStatus{"idle", "syncing", "synced"};
  for (std::size_t i = 0; i < 3; ++i)
    series_.sync[i] = set_.series(families_.sync_status, with(base, {{"status", kStatus[i]}}));
  series_.slots = set_.series(families_.slots_processed, base);
  series_.attestations = set_.series(families_.attestations_processed, base);
  series_.finalizations = {set_.series(families_.finalizations, with(base, {{"result", "success"}})),
                           set_.series(families_.finalizations, with(base, {{"result", "failure"}}))};
  for (std::size_t i = 0; i < 6; ++i)
    series_.timing[i] = histogram_series(set_, families_.timing[i], time_buckets(), base);
}

void ConsensusModel::start_run() {
  reorgs_ = slots_ = attestations_ = 0;
  finalizations_ = {};
  depth_.reset();
  for (auto& h : timing_) h.reset();
  prev_head_ = 0;
  prev_finalized_ = 0;
}

void ConsensusModel::scrape(const NodeScrape& s) {
  const std::int64_t justified = std::min(finality_.justified_at(s.head), s.head);
  const std::int64_t finalized = std::min(finality_.finalized_at(s.head), justified);
  const std::int64_t lag = s.current - s.head;
  const std::size_t status = s.first_of_run ? 0 : lag > 2 ? 1 : 2;
  const bool synced = status == 2;

  // Reorgs of a node following the chain; the planned deep one where injected.
  const bool deep = static_cast<std::size_t>(it_.deep_reorg_node) == node_ && it_.deep_reorg_at > s.prev &&
                    it_.deep_reorg_at <= s.t && !s.first_of_run;
  if (deep || (synced && rng_.chance(kReorgPerScrape))) {
    reorgs_ += 1;
    depth_.observe_value(1, deep ? 4 : rng_.chance(0.8) ? 1 : 2);
  }

  // Every block the head moved over went through the state transition.
  const std::int64_t blocks = std::max<std::int64_t>(0, s.head - prev_head_);
  const std::int64_t validations = static_cast<std::int64_t>(s.validators_up) * (s.current - s.prev_current);
  const double per_block = s.validators_up * rng_.uniform(0.85, 0.98);
  slots_ += static_cast<double>(blocks);
  attestations_ += std::floor(static_cast<double>(blocks) * per_block);
  const double drift = std::exp(0.08 * rng_.noise()) * spec_.speed;
  for (std::size_t i = 0; i < 5; ++i) timing_[i].observe(blocks, kMedians[i] * drift, kSigma);
  timing_[5].observe(validations, kMedians[5] * drift, kSigma);

  // Finalization attempts: one success per advance of the finalized slot,
  // failures now and then, and often while finality is stalled.
  if (synced) {
    const auto slots = static_cast<double>(std::max<std::int64_t>(0, s.current - s.prev_current));
    if (finalized > prev_finalized_)
      finalizations_[0] += std::min(slots, static_cast<double>(finalized - prev_finalized_));
    const bool stalled = it_.finality_stall.contains(s.t);
    if (rng_.chance(stalled ? 0.6 : 0.002)) finalizations_[1] += 1;
  }
  prev_head_ = s.head;
  prev_finalized_ = finalized;

  set_.push(spec_.old_finality_names ? families_.justified_old : families_.justified, series_.justified, s.t,
            static_cast<double>(justified));
  set_.push(spec_.old_finality_names ? families_.finalized_old : families_.finalized, series_.finalized, s.t,
            static_cast<double>(finalized));
  set_.push(families_.reorgs, series_.reorgs, s.t, reorgs_);
  if (spec_.reorg_depth) depth_.push(set_, series_.depth, s.t);
  for (std::size_t i = 0; i < 3; ++i) set_.push(families_.sync_status, series_.sync[i], s.t, i == status ? 1 : 0);
  set_.push(families_.slots_processed, series_.slots, s.t, slots_);
  set_.push(families_.attestations_processed, series_.attestations, s.t, attestations_);
  for (std::size_t i = 0; i < 2; ++i)
    set_.push(families_.finalizations, series_.finalizations[i], s.t, finalizations_[i]);
  for (std::size_t i = 0; i < 6; ++i) timing_[i].push(set_, series_.timing[i], s.t);
}

}  // namespace leanscope::sim::detail
