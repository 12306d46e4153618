// simulate --data-dir with several iterations, then compare and check: each
// devnet's headline figures are those of `summary --format json` (means over
// clients, or network figures), and check fails exactly on the devnets whose
// findings break the default rules.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace leanscope {
namespace {

using testing::run_leanscope;

std::optional<double> number_at(simdjson::dom::element e, const std::string& dotted) {
  std::size_t from = 0;
  while (from <= dotted.size()) {
    const auto dot = dotted.find('.', from);
    const std::string key = dotted.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    if (e[key].get(e)) return std::nullopt;
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  double v = 0;
  if (e.get_double().get(v)) return std::nullopt;
  return v;
}

// The contract of the headline figures, stated again here: mean over
// clients (with data) of a client figure, the max, or a network figure.
struct Expected {
  const char* figure;
  const char* path;
  enum { Mean, Max, Network } how;
};
const Expected kFigures[] = {
    {"peers_avg", "peers.avg", Expected::Mean},
    {"attestations_per_slot_pct", "attestations_per_slot.pct_of_expected", Expected::Mean},
    {"cpu_cores_avg", "resources.cpu_cores.avg", Expected::Mean},
    {"memory_peak_bytes", "resources.memory_bytes.max", Expected::Max},
    {"head_to_finalized_avg", "head_to_finalized.avg", Expected::Network},
    {"verification_p95_s", "pq_signatures.verification_s.p95", Expected::Network},
    {"aggregation_building_p95_s", "aggregation.building_s.p95", Expected::Network},
    {"state_transition_p95_s", "state_transition.total_s.p95", Expected::Network},
};

TEST(CompareOfSimulation, FiguresAreThoseOfSummaryAndCheckFollowsTheFindings) {
  testing::TempDir dir;
  const auto data = (dir / "data").string();
  auto sim = run_leanscope({"simulate", "--data-dir", data, "--seed", "3", "--clients", "4", "--iterations", "3",
                            "--hours", "1", "--end", "2026-11-23T12:00:00Z"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  auto cmp = run_leanscope({"compare", "--format", "json", "--data-dir", data, "--site", (dir / "site").string()});
  ASSERT_EQ(cmp.exit_code, 0) << cmp.err;
  simdjson::dom::parser parser;
  simdjson::dom::element compare;
  ASSERT_FALSE(parser.parse(cmp.out).get(compare)) << cmp.out;
  auto devnets = compare["devnets"].get_array().value();
  ASSERT_EQ(devnets.size(), 3u);

  std::string previous_start;
  int compared = 0, with_incidents = 0, without = 0;
  for (auto d : devnets) {
    const std::string id(d["id"].get_string().value());
    SCOPED_TRACE(id);
    const std::string start(d["start_time"].get_string().value());
    EXPECT_LT(previous_start, start);  // oldest first
    previous_start = start;
    auto sum = run_leanscope({"summary", "--devnet", id, "--format", "json", "--data-dir", data});
    ASSERT_EQ(sum.exit_code, 0) << sum.err;
    simdjson::dom::parser summary_parser;
    simdjson::dom::element summary;
    ASSERT_FALSE(summary_parser.parse(sum.out).get(summary));
    auto clients = summary["clients"].get_object().value();
    EXPECT_EQ(number_at(d, "figures.clients"), static_cast<double>(clients.size()));
    EXPECT_EQ(number_at(d, "figures.duration_hours"), number_at(summary, "devnet.duration_hours"));
    for (const auto& e : kFigures) {
      SCOPED_TRACE(e.figure);
      std::optional<double> want;
      if (e.how == Expected::Network) {
        want = number_at(summary, std::string("network.") + e.path);
      } else {
        double sum_of = 0, max = -INFINITY;
        int n = 0;
        for (auto [client, figures] : clients) {
          if (auto v = number_at(figures, e.path)) {
            sum_of += *v;
            max = std::max(max, *v);
            ++n;
          }
        }
        if (n > 0) want = e.how == Expected::Mean ? sum_of / n : max;
      }
      const auto got = number_at(d, std::string("figures.") + e.figure);
      ASSERT_EQ(got.has_value(), want.has_value());
      if (want) {
        EXPECT_NEAR(*got, *want, 1e-9 * std::max(1.0, std::abs(*want)));
        ++compared;
      }
    }
    // Findings per kind are those of the summary.
    std::map<std::string, double> kinds;
    for (auto f : summary["findings"].get_array()) kinds[std::string(f["kind"].get_string().value())] += 1;
    for (const auto& [kind, n] : kinds) EXPECT_EQ(number_at(d, "findings." + kind), n) << kind;

    // check with the default rules fails exactly when a default kind was found.
    const bool broken = kinds.contains("isolated") || kinds.contains("finality_stall") || kinds.contains("oom") ||
                        kinds.contains("invalid_attestations");
    (broken ? with_incidents : without) += 1;
    auto check = run_leanscope({"check", "--devnet", id, "--data-dir", data});
    EXPECT_EQ(check.exit_code, broken ? 1 : 0) << check.out << check.err;
    EXPECT_NE(check.out.find(broken ? "FAIL  " : "PASS  "), std::string::npos) << check.out;
  }
  EXPECT_GT(compared, 3);  // at least the networking figures of every devnet
  // Hour-long iterations of the simulator have incidents (isolation,
  // invalid attestations); a short one has none, and passes.
  EXPECT_GT(with_incidents, 0);
  const auto quiet = (dir / "quiet").string();
  ASSERT_EQ(run_leanscope({"simulate", "--data-dir", quiet, "--seed", "3", "--clients", "3", "--iterations", "1",
                           "--hours", "0.3", "--end", "2026-11-23T12:00:00Z"})
                .exit_code,
            0);
  auto summary = run_leanscope({"summary", "--devnet", "latest", "--data-dir", quiet, "--format", "json"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  const bool quiet_broken = summary.out.find("\"kind\": \"isolated\"") != std::string::npos ||
                            summary.out.find("\"kind\": \"invalid_attestations\"") != std::string::npos ||
                            summary.out.find("\"kind\": \"finality_stall\"") != std::string::npos ||
                            summary.out.find("\"kind\": \"oom\"") != std::string::npos;
  (quiet_broken ? with_incidents : without) += 1;
  auto junit = run_leanscope({"check", "--devnet", "latest", "--data-dir", quiet, "--format", "junit"});
  EXPECT_EQ(junit.exit_code, quiet_broken ? 1 : 0) << junit.out << junit.err;
  EXPECT_EQ(junit.out.find("failures=\"0\"") != std::string::npos, !quiet_broken) << junit.out;
  EXPECT_GT(without, 0);
}

}  // namespace
}  // namespace leanscope
