// simulate --data-dir, then summary: the figures and findings match the
// simulator's ground truth (docs/GUIDE.md, "The summary" and "The simulator").
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/time.h"
#include "support/simulation.h"

namespace leanscope {
namespace {

using namespace leanscope::testing;  // the simulator truth's helpers, run_leanscope

struct Iteration {
  std::string id;
  TimeMs start = 0, end = 0;
  std::vector<std::string> clients;
};

// Findings may lag the truth by the archive's 1 min step and cAdvisor's 5 min rate window.
constexpr TimeMs kToleranceMs = 6 * 60'000;

class SummaryOfSimulation : public ::testing::TestWithParam<int> {};

TEST_P(SummaryOfSimulation, MatchesTheGroundTruth) {
  const testing::SimulatedArchive sim(
      {"--seed", std::to_string(GetParam()), "--clients", "5", "--iterations", "2", "--end", "2026-11-23T12:00:00Z"});
  ASSERT_TRUE(sim.ok());
  const auto& data = sim.data();
  const auto truth = sim.truth();
  std::vector<Iteration> iterations;
  for (auto it : truth["iterations"].get_array()) {
    Iteration i{std::string(it["id"].get_string().value()),
                iso(it["start"].get_string().value()),
                iso(it["end"].get_string().value()),
                {}};
    for (auto c : it["clients"].get_array()) i.clients.emplace_back(c.get_string().value());
    iterations.push_back(std::move(i));
  }
  const auto events = events_of(truth["events"]);
  ASSERT_EQ(iterations.size(), 2u);

  for (const auto& iteration : iterations) {
    SCOPED_TRACE(iteration.id);
    auto r = run_leanscope({"summary", "--devnet", iteration.id, "--format", "json", "--data-dir", data});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    simdjson::dom::parser summary_parser;
    simdjson::dom::element summary;
    ASSERT_FALSE(summary_parser.parse(r.out).get(summary)) << r.out;
    EXPECT_EQ(summary["devnet"]["id"].get_string().value(), iteration.id);
    auto clients = summary["clients"].get_object().value();

    struct Found {
      std::string kind, client;
      TimeMs start, end;
    };
    std::vector<Found> findings;
    for (auto f : summary["findings"].get_array()) {
      findings.push_back({std::string(f["kind"].get_string().value()), std::string(f["client"].get_string().value()),
                          iso(f["start"].get_string().value()), iso(f["end"].get_string().value())});
    }
    const TimeMs window_end = iteration.end + 10 * 60'000;  // the devnet runs until the next one starts
    auto in_iteration = [&](const Event& e) { return e.start >= iteration.start && e.start <= window_end; };

    // Every incident of the truth is found, at about the same time.
    std::map<std::string, bool> invalid_expected;
    // The kinds the summary's analyses report so far; the simulator's other
    // incidents (finality_stall, oom, ...) join as their analyses do.
    const std::set<std::string> reported{"isolated", "restart", "invalid_attestations", "above_tier"};
    for (const auto& e : events) {
      if (!reported.contains(e.kind) || !in_iteration(e)) continue;
      if (e.kind == "invalid_attestations") invalid_expected[e.client] = true;
      bool found = std::any_of(findings.begin(), findings.end(), [&](const Found& f) {
        return f.kind == e.kind && f.client == e.client && overlaps(f.start, f.end, e.start, e.end, kToleranceMs);
      });
      EXPECT_TRUE(found) << e.kind << " of " << e.client << " at " << format_iso_z(e.start) << " not found in "
                         << r.out;
    }
    // And nothing else is reported.
    for (const auto& f : findings) {
      bool known = std::any_of(events.begin(), events.end(), [&](const Event& e) {
        return f.kind == e.kind && f.client == e.client && overlaps(f.start, f.end, e.start, e.end, kToleranceMs);
      });
      // A client that restarted resyncs from slot 0: while it catches up it
      // is behind the head by definition (consensus report's behind_head).
      known = known || (f.kind == "behind_head" && std::any_of(events.begin(), events.end(), [&](const Event& e) {
                          return e.kind == "restart" && e.client == f.client && f.start >= e.start &&
                                 f.start <= e.end + 5 * 60'000;
                        }));
      EXPECT_TRUE(known) << "unexpected " << f.kind << " of " << f.client << " at " << format_iso_z(f.start);
    }

    for (const auto& client : iteration.clients) {
      SCOPED_TRACE(client);
      simdjson::dom::element c;
      ASSERT_FALSE(clients[client].get(c)) << "missing client in " << r.out;
      // Invalid attestations exactly where the truth put them.
      double invalid = c["attestations"]["invalid"]["total"].get_double().value();
      EXPECT_EQ(invalid > 0, invalid_expected[client]) << invalid;
      // Valid totals agree with the per-slot rate over the devnet: the total
      // is the sum of increases, the rate their time derivative.
      double valid = c["attestations"]["valid"]["total"].get_double().value();
      double per_slot = c["attestations_per_slot"]["avg"].get_double().value();
      double slots = static_cast<double>(iteration.end - iteration.start) / 4000.0;
      EXPECT_NEAR(valid / (per_slot * slots), 1.0, 0.1) << valid << " vs " << per_slot << " per slot";
      double sources = 0;
      for (auto [key, value] : c["attestations"]["valid"].get_object()) {
        if (key != "total") sources += value.get_double().value();
      }
      EXPECT_DOUBLE_EQ(sources, valid);
      double peers_max = c["peers"]["max"].get_double().value();
      EXPECT_LE(peers_max, static_cast<double>(iteration.clients.size() - 1));
      EXPECT_GT(c["network"]["rx_bytes_per_sec"]["avg"].get_double().value(), 0);
      EXPECT_GT(c["peer_events"]["connections"].get_double().value(), 0);
    }

    auto csv = run_leanscope({"summary", "--devnet", iteration.id, "--format", "csv", "--data-dir", data});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), static_cast<long>(clients.size() + 1));
  }

  auto table = run_leanscope({"summary", "--devnet", "latest", "--data-dir", data});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(iterations.back().id), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Findings:"), std::string::npos) << table.out;
}

INSTANTIATE_TEST_SUITE_P(Seeds, SummaryOfSimulation, ::testing::Values(1, 7));

// After render, summary prints from the record render cached beside the
// pages: the same bytes in every format as analysing the archive again.
TEST(SummaryAfterRender, PrintsTheCachedRecordAsTheAnalysisWouldPrintIt) {
  const testing::SimulatedArchive sim(
      {"--seed", "3", "--clients", "4", "--iterations", "1", "--hours", "1", "--end", "2026-11-23T12:00:00Z"});
  ASSERT_TRUE(sim.ok());
  const TempDir dir;
  const std::string site = (dir.path() / "site").string();
  const std::string none = (dir.path() / "no-site").string();
  auto render = run_leanscope({"render", "--devnet", "latest", "--data-dir", sim.data(), "--out", site});
  ASSERT_EQ(render.exit_code, 0) << render.err;
  const std::vector<std::vector<std::string>> variants{{"--format", "json"},      {"--format", "json", "--compact"},
                                                       {"--format", "csv"},       {"--format", "table"},
                                                       {"--report", "consensus"}, {"--report", "resources"}};
  for (const auto& variant : variants) {
    std::vector<std::string> args{"summary", "--devnet", "latest", "--data-dir", sim.data()};
    args.insert(args.end(), variant.begin(), variant.end());
    auto cached_args = args, analysed_args = args;
    cached_args.insert(cached_args.end(), {"--site", site});
    analysed_args.insert(analysed_args.end(), {"--site", none});
    const auto cached = run_leanscope(cached_args);
    const auto analysed = run_leanscope(analysed_args);
    ASSERT_EQ(cached.exit_code, 0) << cached.err;
    ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
    EXPECT_EQ(cached.out, analysed.out) << variant.back();
    EXPECT_EQ(cached.err, analysed.err) << variant.back();
  }
  // The output is the cache's: a section title changed in it is printed.
  std::filesystem::path record;
  for (const auto& e : std::filesystem::directory_iterator(site)) {
    if (std::filesystem::exists(e.path() / "summary.json")) record = e.path() / "summary.json";
  }
  ASSERT_FALSE(record.empty());
  std::string text = read_text(record);
  const std::string title = "\"title\":\"Consensus\"";
  ASSERT_NE(text.find(title), std::string::npos);
  text.replace(text.find(title), title.size(), "\"title\":\"From the cache\"");
  write_text(record, text);
  auto table = run_leanscope({"summary", "--devnet", "latest", "--data-dir", sim.data(), "--site", site});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("\nFrom the cache\n"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace leanscope
