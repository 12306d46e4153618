// state_transitions_model on hand-made archives: devnet quantiles from known
// bucket increases (a restart included), network-wide quantiles from every
// client's buckets merged, rates per elapsed second, finalizations by result,
// and the summary figures' keys (null where there is no data).
#include "analysis/state_transitions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/registry.h"
#include "analysis/summary.h"
#include "archive/datasets.h"
#include "archive/manifest.h"
#include "common/units.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = testing::TestArchive;
TimeMs at(int minute) { return testing::at_minute(minute); }

// state_transition_histograms queries: 0 total, 1 slots, 2 block, 3 attestations, 4 fork_choice,
// 5 attestation_validation. state_transition_counters: 0 slots processed, 1 attestations processed,
// 2 finalizations.
constexpr std::size_t kTotal = 0, kSlotsProcessed = 0, kFinalizations = 2;

archive::Labels job(const std::string& client, std::vector<std::pair<std::string, std::string>> more = {}) {
  archive::Labels l{{"job", client}, {"instance", client + ":1"}};
  for (auto& kv : more) l.push_back(std::move(kv));
  return l;
}

// A counter rising by `per_minute` from minute 0 to 10, restarting from 0 after minute 5 when asked:
// either way it rises 10 × per_minute inside the window.
std::vector<double> counter(double per_minute, bool restart) {
  std::vector<double> v;
  for (int m = 0; m <= 10; ++m) v.push_back(per_minute * (restart && m > 5 ? m - 5 : m));
  return v;
}

// Buckets of "total" for one client: observations per minute at or below each bound.
void add_buckets(Archive& a, const std::string& client, const std::vector<std::pair<std::string, double>>& per_minute,
                 bool restart) {
  for (const auto& [le, n] : per_minute)
    a.add("state_transition_histograms", kTotal, job(client, {{"le", le}}), 0, counter(n, restart));
}

Result<DevnetData> load(const Archive& a) {
  return DevnetData::load(a.dir(), a.devnet(), state_transitions_report().datasets);
}

const Section& section(const ReportModel& m, std::string_view id) {
  for (const auto& s : m.sections) {
    if (s.id == id) return s;
  }
  ADD_FAILURE() << id;
  return m.sections.front();
}

std::optional<double> figure(const Figures& f, std::string_view path) {
  const auto* x = f.find(path);
  EXPECT_NE(x, nullptr) << path;
  return x ? x->value : std::nullopt;
}

TEST(StateTransitions, QuantilesComeFromTheWholeDevnetsBucketIncreases) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0"});
  // zeam_0, 100 observations over the devnet (its process restarts after
  // minute 5): 50 ≤ 5 ms, 40 in (5, 10] ms, 10 in (10, 50] ms.
  add_buckets(a, "zeam_0", {{"0.005", 5}, {"0.01", 9}, {"0.05", 10}, {"+Inf", 10}}, true);
  // ream_0: 100 observations, all in (10, 50] ms.
  add_buckets(a, "ream_0", {{"0.005", 0}, {"0.01", 0}, {"0.05", 10}, {"+Inf", 10}}, false);
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto m = state_transitions_model(*data);

  const auto& zeam = m.client_figures.at("zeam_0");
  // p50: rank 50 in the first bucket (0, 5 ms]: 5 ms. p95: rank 95, 5 of the
  // 10 in (10, 50] ms: 10 + 40 × 5/10 = 30 ms. p99: 10 + 40 × 9/10 = 46 ms.
  EXPECT_NEAR(*figure(zeam, "total_s.p50"), 0.005, 1e-12);
  EXPECT_NEAR(*figure(zeam, "total_s.p95"), 0.030, 1e-12);
  EXPECT_NEAR(*figure(zeam, "total_s.p99"), 0.046, 1e-12);
  const auto& ream = m.client_figures.at("ream_0");
  EXPECT_NEAR(*figure(ream, "total_s.p50"), 0.030, 1e-12);  // 10 + 40 × 50/100
  // Network: 200 observations; cumulative 50, 90, 200, 200. p50: rank 100,
  // 10 of 110 in (10, 50] ms; p95: rank 190, 100 of 110; p99: rank 198, 108 of 110.
  const auto& net = m.network_figures;
  EXPECT_NEAR(*figure(net, "state_transition.total_s.p50"), 0.01 + 0.04 * 10 / 110, 1e-12);
  EXPECT_NEAR(*figure(net, "state_transition.total_s.p95"), 0.01 + 0.04 * 100 / 110, 1e-12);
  EXPECT_NEAR(*figure(net, "state_transition.total_s.p99"), 0.01 + 0.04 * 108 / 110, 1e-12);
  // No data for the other timings: null, never 0.
  EXPECT_FALSE(figure(zeam, "block_s.p95").has_value());
  EXPECT_FALSE(figure(net, "state_transition.attestation_validation_s.p99").has_value());

  // The windowed chart: two 5-minute windows per client; the distribution: shares per bucket in %.
  const auto& windows = section(m, "total-time");
  ASSERT_EQ(windows.panels.size(), 2u);
  ASSERT_EQ(windows.panels[1].lines.size(), 3u);  // p50, p95, p99
  EXPECT_EQ(windows.panels[1].lines[0].series.t, (std::vector<TimeMs>{at(5), at(10)}));
  const auto& bars = section(m, "total-time-distribution");
  ASSERT_TRUE(bars.bars.has_value());
  ASSERT_EQ(bars.bars->groups.size(), 2u);
  EXPECT_EQ(bars.bars->groups[1].label, "zeam_0");
  EXPECT_EQ(bars.bars->groups[1].values, (std::vector<double>{50, 40, 10, 0}));
  // The summary table in milliseconds, with the network row.
  ASSERT_EQ(m.summary_table.rows.size(), 3u);
  EXPECT_EQ(m.summary_table.rows[1][0], "zeam_0");
  EXPECT_EQ(m.summary_table.rows[1][1],
            format_seconds(0.005) + " / " + format_seconds(0.030) + " / " + format_seconds(0.046));
  EXPECT_EQ(m.summary_table.rows[2][0], "network");
  EXPECT_EQ(m.summary_table.rows[1][3], "– / – / –");  // block: no data
}

TEST(StateTransitions, ProcessedPerElapsedSecondAndFinalizationsByResult) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  // 15 slots a minute, the counter restarting after minute 5; one sample missing at minute 8.
  auto slots = counter(15, true);
  std::vector<TimeMs> times;
  std::vector<double> values;
  for (int m = 0; m <= 10; ++m) {
    if (m == 8) continue;
    times.push_back(at(m));
    values.push_back(slots[static_cast<std::size_t>(m)]);
  }
  a.add_at("state_transition_counters", kSlotsProcessed, job("zeam_0"), times, values);
  a.add("state_transition_counters", kFinalizations, job("zeam_0", {{"result", "success"}}), 0, counter(1, false));
  a.add("state_transition_counters", kFinalizations, job("zeam_0", {{"result", "error"}}), 0,
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto m = state_transitions_model(*data);
  const auto& per_second = section(m, "slots-per-second").panels.at(0).lines.at(0).series;
  // 0.25 slots per second at every sample, the restart (15 after 0 + reset)
  // and the two-minute gap (30 slots in 120 s) included.
  ASSERT_EQ(per_second.size(), 9u);
  for (double v : per_second.v) EXPECT_DOUBLE_EQ(v, 0.25);
  const auto& fin = section(m, "finalizations").panels.at(0);
  ASSERT_EQ(fin.lines.size(), 2u);
  EXPECT_EQ(fin.lines[0].label, "error");
  EXPECT_DOUBLE_EQ(fin.lines[0].series.v.back(), 120);  // 2 in the last minute
  EXPECT_EQ(fin.lines[1].label, "success");
  EXPECT_DOUBLE_EQ(fin.lines[1].series.v.front(), 60);  // 1 a minute
  EXPECT_TRUE(section(m, "attestations-per-second").panels.at(0).lines.empty());
}

TEST(StateTransitions, QuantileFilesOfThePythonObservatory) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  a.write();
  // Only state_transition_timing (no histogram file): block p95 of 2 ms then 6 ms.
  const auto* spec = archive::find_dataset("state_transition_timing");
  ASSERT_NE(spec, nullptr);
  archive::DatasetTableBuilder b(*spec, archive::ClientNameMap{});
  const std::vector<TimeMs> t{at(5), at(10)};
  const std::vector<double> p95{0.002, 0.006};
  b.add_series({"", {{"metric", "block"}, {"quantile", "0.95"}}}, job("zeam_0"), t, p95);
  ASSERT_TRUE(b.write(archive::dataset_path(dir.path(), a.devnet().id, "state_transition_timing"), "test").ok());
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto m = state_transitions_model(*data);
  // The figure is the mean of the quantile series, and the page says so once.
  EXPECT_NEAR(*figure(m.client_figures.at("zeam_0"), "block_s.p95"), 0.004, 1e-12);
  EXPECT_FALSE(figure(m.client_figures.at("zeam_0"), "block_s.p50").has_value());
  EXPECT_FALSE(figure(m.client_figures.at("zeam_0"), "total_s.p95").has_value());
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("means of those quantile series"), std::string::npos);
  EXPECT_EQ(section(m, "block-time").panels.at(0).lines.at(0).label, "p95");
}

TEST(StateTransitions, SummaryJsonHasEveryKeyAndNullWithoutData) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  a.write();
  auto analysis = analyse_devnet(a.dir(), a.devnet(), {find_report("state-transitions")});
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  const auto json = summary_json(*analysis);
  std::string client = "\"zeam_0\":{\"state_transition\":{";
  std::string network = "\"network\":{\"state_transition\":{";
  bool first = true;
  for (const char* key :
       {"total_s", "slots_s", "block_s", "attestations_s", "fork_choice_s", "attestation_validation_s"}) {
    const std::string part = std::string(first ? "" : ",") + "\"" + key + "\":{\"p50\":null,\"p95\":null,\"p99\":null}";
    client += part;
    network += part;
    first = false;
  }
  EXPECT_NE(json.find(client + "}}"), std::string::npos) << json;
  EXPECT_NE(json.find(network + "}}"), std::string::npos) << json;
  EXPECT_EQ(analysis->models.at(0).health, "no state-transition timing data");
}

}  // namespace
}  // namespace leanscope::analysis
