// Internals of the simulator: the devnet one node at a time, for outputs too
// big to hold whole (simulate --data-dir of a month of 64 clients). Each
// node's series come from its own random streams, so a node run alone gives
// exactly the series it has in simulate(); their order there is by the
// iteration they first appear in, then node (FamilySet::epoch).
#pragma once

#include <cstddef>
#include <memory>

#include "common/error.h"
#include "sim/families.h"
#include "sim/simulator.h"

namespace leanscope::sim::detail {

class NodeByNode {
 public:
  [[nodiscard]] static Result<NodeByNode> start(const SimulationConfig& config);
  ~NodeByNode();
  NodeByNode(NodeByNode&&) noexcept;
  NodeByNode& operator=(NodeByNode&&) noexcept;
  NodeByNode(const NodeByNode&) = delete;
  NodeByNode& operator=(const NodeByNode&) = delete;

  // The ground truth without series: iterations and events. Each iteration's
  // max_head_slot is complete once every part has run.
  [[nodiscard]] const Simulation& truth() const;
  // Parts: one per node, then the infrastructure containers.
  [[nodiscard]] std::size_t parts() const;
  // The series of one part over every iteration, in a new FamilySet (every
  // family registered, in simulate()'s order of registration). An error when
  // the node's samples do not span what the plan says (a model out of step).
  [[nodiscard]] Result<FamilySet> run(std::size_t part);
  // After every part: an error unless the nodes' samples spanned exactly what
  // the truth says (its start and end come from the plan).
  [[nodiscard]] Status check_spans() const;

 private:
  struct State;
  explicit NodeByNode(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace leanscope::sim::detail
