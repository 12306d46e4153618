// Internals of the simulator: the version-2 parts of the model. model.cpp
// walks each node's scrapes (and cAdvisor's) and hands every one to these,
// which keep their own counters per process run and their own random streams,
// so the version-1 series stay as they were.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/families.h"
#include "sim/random.h"
#include "sim/scenario.h"

namespace leanscope::sim::detail {

// What a node's scrape at `t` knows (the previous scrape of the same run at `prev`).
struct NodeScrape {
  TimeMs t = 0;
  TimeMs prev = 0;
  std::int64_t current = 0;       // wall-clock slot
  std::int64_t prev_current = 0;  // at `prev`
  std::int64_t head = 0;
  bool first_of_run = false;
  int validators_up = 0;  // validators whose attestations reach the node
};

// Justified and finalized slot as of each slot of one iteration, network-wide:
// justified 1-3 slots behind, finalized 2-6 behind, frozen in a finality stall.
struct NetworkFinality {
  std::vector<std::int64_t> justified, finalized;
  [[nodiscard]] std::int64_t justified_at(std::int64_t slot) const;
  [[nodiscard]] std::int64_t finalized_at(std::int64_t slot) const;
};
[[nodiscard]] NetworkFinality network_finality(const Plan& plan, int iteration);

struct ConsensusFamilies {
  std::size_t justified, finalized, justified_old, finalized_old, reorgs, reorg_depth, sync_status;
  std::size_t slots_processed, attestations_processed, finalizations;
  std::array<std::size_t, 6> timing;  // total, slots, block, attestations, fork choice, attestation validation
};
[[nodiscard]] ConsensusFamilies add_consensus_families(FamilySet& set);

// Finality, reorgs, sync status and state transitions of one node in one iteration.
class ConsensusModel {
 public:
  ConsensusModel(const Plan& plan, int iteration, std::size_t node, const NetworkFinality& finality,
                 const ConsensusFamilies& families, FamilySet& set);
  void resolve(const std::string& job);  // the series of the job the node is scraped as
  void start_run();                      // counters restart from 0
  void scrape(const NodeScrape& s);

 private:
  struct Series {
    std::size_t justified = kNone, finalized = kNone, reorgs = kNone, slots = kNone, attestations = kNone;
    std::array<std::size_t, 3> sync{};
    std::array<std::size_t, 2> finalizations{};
    HistogramSeries depth;
    std::array<HistogramSeries, 6> timing;
  };
  const Plan& plan_;
  const IterationPlan& it_;
  const NodeSpec& spec_;
  std::size_t node_;
  const NetworkFinality& finality_;
  const ConsensusFamilies& families_;
  FamilySet& set_;
  Rng rng_;
  Series series_;
  double reorgs_ = 0, slots_ = 0, attestations_ = 0;
  std::array<double, 2> finalizations_{};
  Histogram depth_;
  std::array<Histogram, 6> timing_;
  std::int64_t prev_head_ = 0, prev_finalized_ = 0;
};

struct SignatureFamilies {
  // [prefix][counter]: prefix 0 lean_pq_sig_, 1 lean_pq_signature_; counters
  // attestation total/valid/invalid, aggregated total/valid/invalid, attestations in aggregates.
  std::array<std::array<std::size_t, 7>, 2> counters;
  // [prefix][histogram]: signing, verification, building, building (old name), aggregated verification.
  std::array<std::array<std::size_t, 5>, 2> timing;
};
[[nodiscard]] SignatureFamilies add_signature_families(FamilySet& set);

// PQ signature counters and timing of one node in one iteration.
class SignatureModel {
 public:
  SignatureModel(const Plan& plan, int iteration, std::size_t node, const SignatureFamilies& families, FamilySet& set);
  void resolve(const std::string& job);
  void start_run();
  void scrape(const NodeScrape& s);

 private:
  const Plan& plan_;
  const IterationPlan& it_;
  const NodeSpec& spec_;
  std::size_t node_;
  const SignatureFamilies& families_;
  FamilySet& set_;
  Rng rng_;
  std::array<std::size_t, 7> counter_series_{};
  std::array<HistogramSeries, 4> timing_series_;  // signing, verification, building, aggregated verification
  std::array<double, 7> counters_{};
  std::array<Histogram, 4> timing_;
};

struct ContainerFamilies {
  std::size_t working_set, rss, limit, reads, writes, usage, fs_limit, start_time, oom;
};
[[nodiscard]] ContainerFamilies add_container_families(FamilySet& set);

// cAdvisor's memory, disk and lifecycle series of one container.
class ContainerModel {
 public:
  // A client's container in one iteration.
  ContainerModel(const Plan& plan, int iteration, std::size_t node, const ContainerFamilies& families, FamilySet& set);
  // An infrastructure container (cadvisor, prometheus, ...), up the whole time.
  ContainerModel(const Plan& plan, std::size_t infrastructure, const ContainerFamilies& families, FamilySet& set);
  void start_run(const Run& run);
  void scrape(TimeMs t, TimeMs prev);

 private:
  void resolve(const std::string& name, int devices, bool fs_limit);
  const Plan& plan_;
  const IterationPlan* it_ = nullptr;  // null for infrastructure
  const NodeSpec* spec_ = nullptr;
  std::size_t node_ = 0;
  const ContainerFamilies& families_;
  FamilySet& set_;
  Rng rng_;
  std::size_t working_set_ = 0, rss_ = 0, limit_ = 0, start_time_ = 0, oom_ = 0;
  std::vector<std::size_t> reads_, writes_, usage_, fs_limit_;  // per device
  double memory_base_ = 0, memory_limit_ = 0, rss_share_ = 0.8, fs_base_ = 0, fs_growth_ = 0, fs_size_ = 0;
  double read_rate_ = 0, write_rate_ = 0;
  TimeMs origin_ = 0;  // when the disk started filling (genesis)
  Run run_;
  std::vector<double> reads_total_, writes_total_;
  double oom_events_ = 0;
};

}  // namespace leanscope::sim::detail
