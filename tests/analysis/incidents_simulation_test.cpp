// simulate --data-dir --truth, then summary --format json: the findings of
// the consensus and PQ signature reports (finality_stall, behind_head,
// deep_reorg, slow_verification, invalid_signatures) are exactly the
// simulator's incidents of those kinds, at about their times and for their
// clients, and the consensus figures are there. (The resources findings have
// their own test.) Skips while the simulator emits no version-2 metrics.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>
#include <vector>

#include "common/time.h"
#include "support/simulation.h"

namespace leanscope {
namespace {

using namespace leanscope::testing;  // the simulator truth's helpers, run_leanscope

// Findings lag the truth by up to the archive's 1-minute step (and a stall is
// seen from the last finalization before it).
constexpr TimeMs kToleranceMs = 3 * 60'000;

const std::set<std::string> kKinds{"finality_stall", "behind_head", "deep_reorg", "slow_verification",
                                   "invalid_signatures"};

class IncidentsOfSimulation : public ::testing::TestWithParam<int> {};

TEST_P(IncidentsOfSimulation, FindsTheInjectedIncidentsAndNothingElse) {
  const testing::SimulatedArchive sim(
      {"--seed", std::to_string(GetParam()), "--clients", "5", "--iterations", "2", "--end", "2026-11-23T12:00:00Z"});
  ASSERT_TRUE(sim.ok());
  const auto& data = sim.data();
  const auto truth = sim.truth();
  const auto truth_events = events_of(truth["events"]);

  bool any_v2 = false;
  for (auto it : truth["iterations"].get_array()) {
    const std::string id(it["id"].get_string().value());
    SCOPED_TRACE(id);
    const TimeMs start = iso(it["start"].get_string().value());
    const TimeMs end = iso(it["end"].get_string().value()) + 10 * 60'000;  // until the next iteration starts
    auto r = run_leanscope({"summary", "--devnet", id, "--format", "json", "--data-dir", data});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::parser summary_parser;
    simdjson::dom::element summary;
    ASSERT_FALSE(summary_parser.parse(r.out).get(summary)) << r.out;
    // A simulator without version-2 metrics leaves every finalized slot null.
    if (summary["network"]["finalized_slot_final"].is_null()) continue;
    any_v2 = true;

    std::vector<Event> found;
    for (const auto& f : events_of(summary["findings"])) {
      if (kKinds.contains(f.kind)) found.push_back(f);
    }
    // Every injected incident of these kinds in the iteration is found.
    for (const auto& e : truth_events) {
      if (!kKinds.contains(e.kind) || e.start < start || e.start > end) continue;
      const bool hit = std::any_of(found.begin(), found.end(), [&](const Event& f) {
        return f.kind == e.kind && f.client == e.client && overlaps(f, e, kToleranceMs);
      });
      EXPECT_TRUE(hit) << e.kind << " of " << e.client << " at " << format_iso_z(e.start) << " not found in " << r.out;
    }
    // And nothing else: a behind_head may also be a client catching up after a restart.
    for (const auto& f : found) {
      const bool known = std::any_of(truth_events.begin(), truth_events.end(), [&](const Event& e) {
        if (e.kind == f.kind && e.client == f.client && overlaps(f, e, kToleranceMs)) return true;
        return f.kind == "behind_head" && e.kind == "restart" && e.client == f.client && f.start >= e.start &&
               f.start <= e.end + 5 * 60'000;
      });
      EXPECT_TRUE(known) << "unexpected " << f.kind << " of " << f.client << " at " << format_iso_z(f.start);
    }
    // Every client has its consensus figures; the network block its finality.
    for (auto c : it["clients"].get_array()) {
      const std::string client(c.get_string().value());
      SCOPED_TRACE(client);
      simdjson::dom::element consensus;
      ASSERT_FALSE(summary["clients"][client]["consensus"].get(consensus)) << r.out;
      EXPECT_FALSE(consensus["head_to_finalized"]["avg"].is_null());
      EXPECT_GT(consensus["final_head_slot"].get_double().value(), 0);
    }
    EXPECT_GT(summary["network"]["finalized_slot_final"].get_double().value(), 0);
  }
  if (!any_v2) GTEST_SKIP() << "the simulator emits no finality_metrics yet";
}

INSTANTIATE_TEST_SUITE_P(Seeds, IncidentsOfSimulation, ::testing::Values(1, 7));

}  // namespace
}  // namespace leanscope
