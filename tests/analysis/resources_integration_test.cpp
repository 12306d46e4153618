// simulate --data-dir, then summary: the resources findings (memory_growth,
// oom, container_restart, disk_fill) are the simulator's incidents, for the
// right clients at the right times, and nothing else; the resources figures
// agree with them.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/time.h"
#include "support/simulation.h"

namespace leanscope {
namespace {

using namespace leanscope::testing;  // the simulator truth's helpers, run_leanscope

bool resources_kind(std::string_view kind) {
  return kind == "memory_growth" || kind == "oom" || kind == "container_restart" || kind == "disk_fill";
}

// Findings may lag the truth by the archive's 1 min step and cAdvisor's 5 min
// rate window; memory_growth and disk_fill span the devnet.
constexpr TimeMs kToleranceMs = 6 * 60'000;

class ResourcesOfSimulation : public ::testing::TestWithParam<int> {};

TEST_P(ResourcesOfSimulation, FindsTheSimulatorsIncidentsAndNothingElse) {
  const testing::SimulatedArchive sim({"--seed", std::to_string(GetParam()), "--clients", "5", "--iterations", "4",
                                       "--hours", "1", "--end", "2026-11-23T12:00:00Z"});
  ASSERT_TRUE(sim.ok());
  const auto& data = sim.data();
  const auto truth = sim.truth();
  const auto incidents = events_of(truth["events"], resources_kind);

  struct Iteration {
    std::string id;
    TimeMs start = 0, end = 0;
  };
  std::vector<Iteration> iterations;
  for (auto it : truth["iterations"].get_array()) {
    iterations.push_back({std::string(it["id"].get_string().value()), iso(it["start"].get_string().value()),
                          iso(it["end"].get_string().value())});
  }
  std::size_t found_total = 0;
  for (std::size_t k = 0; k < iterations.size(); ++k) {
    const auto& id = iterations[k].id;
    SCOPED_TRACE(id);
    // An incident belongs to the devnet running when it began: until the next one starts.
    const TimeMs start = iterations[k].start;
    const TimeMs end = k + 1 < iterations.size() ? iterations[k + 1].start - 1 : iterations[k].end + 10 * 60'000;
    auto r = run_leanscope({"summary", "--devnet", id, "--format", "json", "--data-dir", data});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::parser summary_parser;
    simdjson::dom::element summary;
    ASSERT_FALSE(summary_parser.parse(r.out).get(summary)) << r.out;
    const auto findings = events_of(summary["findings"], resources_kind);
    found_total += findings.size();

    for (const auto& e : incidents) {
      if (e.start < start || e.start > end) continue;
      const bool found = std::any_of(findings.begin(), findings.end(), [&](const Event& f) {
        return f.kind == e.kind && f.client == e.client && overlaps(f, e, kToleranceMs);
      });
      EXPECT_TRUE(found) << e.kind << " of " << e.client << " at " << format_iso_z(e.start) << " not found";
    }
    for (const auto& f : findings) {
      const bool known = std::any_of(incidents.begin(), incidents.end(), [&](const Event& e) {
        return f.kind == e.kind && f.client == e.client && overlaps(f, e, kToleranceMs);
      });
      EXPECT_TRUE(known) << "unexpected " << f.kind << " of " << f.client << " at " << format_iso_z(f.start);
      // The figures agree with the findings.
      auto figures = summary["clients"][f.client]["resources"];
      if (f.kind == "oom") {
        EXPECT_GE(figures["oom_kills"].get_double().value(), 1);
      } else if (f.kind == "container_restart") {
        EXPECT_GE(figures["restarts"].get_double().value(), 1);
      } else if (f.kind == "disk_fill") {
        EXPECT_GT(figures["disk_growth_bytes_per_hour"].get_double().value(), 0);
      }
    }
  }
  // Every incident of the truth was looked for, and found once at least.
  EXPECT_GE(found_total, incidents.size());
}

INSTANTIATE_TEST_SUITE_P(Seeds, ResourcesOfSimulation, ::testing::Values(1, 7));

}  // namespace
}  // namespace leanscope
