// analyse_consensus on hand-made archives: each distance joined on
// timestamp, reset-aware reorgs, sync status, the network's finality and the
// findings finality_stall, behind_head and deep_reorg, with the answers
// worked out here.
#include "analysis/consensus.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/registry.h"
#include "analysis/summary.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = testing::TestArchive;
TimeMs at(int minute) { return testing::at_minute(minute); }

// head_slot queries: 0 lean_head_slot, 1 lean_current_slot. finality_metrics:
// 0 latest justified, 1 latest finalized, 2 justified (old), 3 finalized (old).
constexpr std::size_t kHead = 0, kCurrent = 1, kLatestJustified = 0, kLatestFinalized = 1, kOldFinalized = 3;

std::vector<double> ramp(double from, double step, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(from + step * i);
  return v;
}

archive::Labels job(const std::string& client, std::vector<std::pair<std::string, std::string>> more = {}) {
  archive::Labels l{{"job", client}, {"instance", client + ":1"}};
  for (auto& kv : more) l.push_back(std::move(kv));
  return l;
}

Result<DevnetData> load(const Archive& a, const Settings& settings = {}) {
  return DevnetData::load(a.dir(), a.devnet(), consensus_report().datasets, {}, settings);
}

const ConsensusSummary& of(const ConsensusAnalysis& r, const std::string& client) {
  for (const auto& s : r.summary) {
    if (s.client == client) return s;
  }
  ADD_FAILURE() << client;
  return r.summary.front();
}

std::vector<Finding> of_kind(const ConsensusAnalysis& r, const std::string& kind) {
  std::vector<Finding> out;
  for (const auto& f : r.findings) {
    if (f.kind == kind) out.push_back(f);
  }
  return out;
}

TEST(Consensus, DistancesAreJoinedOnTimestampWithBothSidesPresent) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  const auto head = ramp(100, 10, 11);  // minutes 0..10: 100, 110, ..., 200
  a.add("head_slot", kHead, job("zeam_0"), 0, head);
  // current = head + 1, except +5 at minute 5; no sample at minute 3.
  std::vector<TimeMs> times;
  std::vector<double> current;
  for (int m = 0; m <= 10; ++m) {
    if (m == 3) continue;
    times.push_back(at(m));
    current.push_back(head[static_cast<std::size_t>(m)] + (m == 5 ? 5 : 1));
  }
  a.add_at("head_slot", kCurrent, job("zeam_0"), times, current);
  // Justified = head − 3 from minute 2 on; finalized = head − 7 under the old name only.
  a.add("finality_metrics", kLatestJustified, job("zeam_0"), 2, ramp(97 + 20, 10, 9));
  a.add("finality_metrics", kOldFinalized, job("zeam_0"), 0, ramp(93, 10, 11));
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  const auto& z = of(r, "zeam_0");
  // current − head at minutes 0,1,2,4..10: nine 1s and one 5.
  EXPECT_DOUBLE_EQ(*z.current_to_head.avg, 14.0 / 10.0);
  EXPECT_DOUBLE_EQ(*z.current_to_head.max, 5);
  ASSERT_EQ(r.current_to_head[0].lines.size(), 1u);
  EXPECT_EQ(r.current_to_head[0].lines[0].series.size(), 10u);
  // head − justified: minutes 2..10 only.
  EXPECT_DOUBLE_EQ(*z.head_to_justified.avg, 3);
  EXPECT_EQ(r.head_to_justified[0].lines[0].series.size(), 9u);
  EXPECT_DOUBLE_EQ(*z.justified_to_finalized.avg, 4);
  EXPECT_DOUBLE_EQ(*z.justified_to_finalized.max, 4);
  EXPECT_DOUBLE_EQ(*z.head_to_finalized.avg, 7);
  EXPECT_EQ(r.head_to_finalized[0].lines[0].series.size(), 11u);
  EXPECT_TRUE(z.old_names);
  EXPECT_DOUBLE_EQ(*z.final_head_slot, 200);
  EXPECT_DOUBLE_EQ(*z.final_finalized_slot, 193);
  EXPECT_FALSE(z.reorgs.has_value());
  EXPECT_FALSE(z.synced_pct.has_value());
  // The network: one client, so its lag is its own head − finalized.
  EXPECT_DOUBLE_EQ(*r.network_finalized_final, 193);
  EXPECT_DOUBLE_EQ(*r.network_head_to_finalized.avg, 7);
  EXPECT_TRUE(r.findings.empty());
  // The model says which client was measured with the older names.
  const auto m = consensus_model(r);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("zeam_0"), std::string::npos);
}

TEST(Consensus, TheCurrentNamesWinOverTheOldOnes) {
  testing::TempDir dir;
  Archive a(dir.path(), 4, {"ream_0"});
  a.add("head_slot", kHead, job("ream_0"), 0, ramp(50, 15, 5));
  a.add("finality_metrics", kLatestFinalized, job("ream_0"), 0, ramp(40, 15, 5));
  a.add("finality_metrics", kOldFinalized, job("ream_0"), 0, ramp(0, 0, 5));  // stale old series
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  EXPECT_DOUBLE_EQ(*of(r, "ream_0").head_to_finalized.max, 10);
  EXPECT_FALSE(of(r, "ream_0").old_names);
}

TEST(Consensus, ACounterResetDoesNotHideEarlierReorgs) {
  testing::TempDir dir;
  Archive a(dir.path(), 7, {"ream_0"});
  // 5 at the window's first sample (the baseline), +1, +0, +2, +0, restart to 1 (+1), +1, +0: 5 reorgs.
  a.add("fork_choice_reorgs", 0, job("ream_0"), 0, {5, 6, 6, 8, 8, 1, 2, 2});
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  EXPECT_DOUBLE_EQ(*of(r, "ream_0").reorgs, 5);
  const auto& cumulative = r.reorgs_cumulative[0].lines.at(0).series;
  EXPECT_DOUBLE_EQ(cumulative.v.back(), 5);
  // The line breaks (a NaN point) at the restart.
  EXPECT_EQ(std::count_if(cumulative.v.begin(), cumulative.v.end(), [](double v) { return std::isnan(v); }), 1);
  // Per hour of elapsed time: +2 in the minute to minute 3 is 120 per hour.
  const auto& per_hour = r.reorgs_per_hour[0].lines.at(0).series;
  ASSERT_EQ(per_hour.t[2], at(3));
  EXPECT_DOUBLE_EQ(per_hour.v[2], 120);
  EXPECT_FALSE(r.reorg_depth.has_value());  // no depth buckets exported
}

// Two clients; heads and finalized slots per minute as given (client b's
// finalized trails a's by 4, so the network's highest finalized is a's).
void write_network(Archive& a, const std::vector<double>& head, const std::vector<double>& finalized) {
  for (const char* c : {"a_0", "b_0"}) {
    const double behind = std::string(c) == "b_0" ? 4 : 0;
    std::vector<double> f;
    for (double v : finalized) f.push_back(v - behind);
    a.add("head_slot", kHead, job(c), 0, head);
    a.add("finality_metrics", kLatestFinalized, job(c), 0, f);
  }
  a.write();
}

TEST(Consensus, FinalityStallFoundWhileHeadsAdvanceAndNotWhenHeadsStopToo) {
  testing::TempDir dir;
  Archive a(dir.path(), 29, {"a_0", "b_0"});
  // Heads rise 15 a minute until minute 20, then stop (the network halts).
  // Finalized trails by 8 but sticks at 167 from minute 5 to 14, and at 392
  // from minute 20 on, while the heads are stopped too.
  std::vector<double> head, fin;
  for (int m = 0; m <= 29; ++m) {
    head.push_back(100 + 15 * std::min(m, 20));
    fin.push_back(m >= 5 && m < 15 ? 167 : 92 + 15 * std::min(m, 20));
  }
  write_network(a, head, fin);
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  const auto stalls = of_kind(r, "finality_stall");
  ASSERT_EQ(stalls.size(), 1u);
  EXPECT_EQ(stalls[0].client, "*");
  EXPECT_EQ(stalls[0].start, at(5));  // the sample at which finalized reached 167
  EXPECT_EQ(stalls[0].end, at(14));   // the last sample before it advanced again
  EXPECT_NE(stalls[0].detail.find("167"), std::string::npos);
  ASSERT_EQ(r.stalls.size(), 1u);
  EXPECT_DOUBLE_EQ(*r.network_finalized_final, 392);
  // Lag of the highest head behind the highest finalized: 8, except during
  // the stall: head(m) − 167 for m = 5..14 = 8, 23, ..., 143.
  double sum = 0;
  for (int m = 0; m <= 29; ++m) sum += head[static_cast<std::size_t>(m)] - fin[static_cast<std::size_t>(m)];
  EXPECT_DOUBLE_EQ(*r.network_head_to_finalized.avg, sum / 30);
  EXPECT_DOUBLE_EQ(*r.network_head_to_finalized.max, 100 + 15 * 14 - 167);
  // The model shades the stall on both network panels.
  const auto m = consensus_model(r);
  for (const auto& s : m.sections) {
    if (s.id != "network-finality") continue;
    EXPECT_FALSE(s.per_client);
    ASSERT_EQ(s.panels.size(), 2u);
    EXPECT_EQ(s.panels[0].shades.size(), 1u);
    EXPECT_EQ(s.panels[1].shades.size(), 1u);
  }
  EXPECT_NE(m.health.find("one stall of 9 min"), std::string::npos) << m.health;

  // The setting raises the threshold above the stall's 9 minutes.
  auto strict = load(a, {{"finality_stall.minutes", 10}});
  ASSERT_TRUE(strict.ok());
  EXPECT_TRUE(of_kind(analyse_consensus(*strict), "finality_stall").empty());
}

TEST(Consensus, AStallAtTheWindowsEndIsFound) {
  testing::TempDir dir;
  Archive a(dir.path(), 20, {"a_0", "b_0"});
  std::vector<double> head, fin;
  for (int m = 0; m <= 20; ++m) {
    head.push_back(15 * m);
    fin.push_back(m >= 12 ? 15 * 12 - 8 : 15 * m - 8);
  }
  write_network(a, head, fin);
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto stalls = of_kind(analyse_consensus(*data), "finality_stall");
  ASSERT_EQ(stalls.size(), 1u);
  EXPECT_EQ(stalls[0].start, at(12));
  EXPECT_EQ(stalls[0].end, at(20));
}

TEST(Consensus, BehindHeadNeedsThreeConsecutiveSamples) {
  testing::TempDir dir;
  Archive a(dir.path(), 12, {"zeam_0"});
  // current − head per minute: 9 twice (1 min: no), then 9, 12, 10 (minutes 4..6: found), then 20 at
  // minutes 8 and 10 with no sample at 9 (not consecutive), then 0.
  const std::vector<double> behind{0, 9, 9, 0, 9, 12, 10, 0, 20, -1, 20, 0, 0};
  std::vector<TimeMs> times;
  std::vector<double> head, current;
  for (int m = 0; m <= 12; ++m) {
    times.push_back(at(m));
    head.push_back(100 + 15 * m);
  }
  a.add("head_slot", kHead, job("zeam_0"), 0, head);
  std::vector<TimeMs> ct;
  for (int m = 0; m <= 12; ++m) {
    if (m == 9) continue;
    ct.push_back(at(m));
    current.push_back(head[static_cast<std::size_t>(m)] + behind[static_cast<std::size_t>(m)]);
  }
  a.add_at("head_slot", kCurrent, job("zeam_0"), ct, current);
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto found = of_kind(analyse_consensus(*data), "behind_head");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].client, "zeam_0");
  EXPECT_EQ(found[0].start, at(4));
  EXPECT_EQ(found[0].end, at(6));
  EXPECT_NE(found[0].detail.find("up to 12 slots"), std::string::npos) << found[0].detail;

  // behind_head.slots = 9: only 12 and 10 are above it (two samples): nothing.
  auto data9 = load(a, {{"behind_head.slots", 9}});
  ASSERT_TRUE(data9.ok());
  EXPECT_TRUE(of_kind(analyse_consensus(*data9), "behind_head").empty());
  // behind_head.minutes = 1: two consecutive samples are enough.
  auto data1 = load(a, {{"behind_head.minutes", 1}});
  ASSERT_TRUE(data1.ok());
  EXPECT_EQ(of_kind(analyse_consensus(*data1), "behind_head").size(), 2u);
}

TEST(Consensus, SyncedPctIsTheShareOfSyncedSamples) {
  testing::TempDir dir;
  Archive a(dir.path(), 9, {"zeam_0", "ream_0"});
  // 10 samples: syncing for 3, then synced for 7 (idle reported as 0 throughout).
  a.add("node_sync_status", 0, job("zeam_0", {{"status", "syncing"}}), 0, {1, 1, 1, 0, 0, 0, 0, 0, 0, 0});
  a.add("node_sync_status", 0, job("zeam_0", {{"status", "synced"}}), 0, {0, 0, 0, 1, 1, 1, 1, 1, 1, 1});
  a.add("node_sync_status", 0, job("zeam_0", {{"status", "idle"}}), 0, ramp(0, 0, 10));
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  EXPECT_DOUBLE_EQ(*of(r, "zeam_0").synced_pct, 70);
  EXPECT_FALSE(of(r, "ream_0").synced_pct.has_value());
  const auto& steps = r.sync_status[1].lines.at(0).series;  // clients sorted: ream_0, zeam_0
  EXPECT_EQ(steps.v, (std::vector<double>{1, 1, 1, 2, 2, 2, 2, 2, 2, 2}));
  EXPECT_TRUE(r.sync_status[0].lines.empty());
}

// Status series that do not share their times (a status that appeared
// later): every time any of them has a sample counts once.
TEST(Consensus, SyncedPctWhenStatusesHaveDifferentTimes) {
  testing::TempDir dir;
  Archive a(dir.path(), 9, {"zeam_0"});
  a.add("node_sync_status", 0, job("zeam_0", {{"status", "syncing"}}), 0, {1, 1, 1, 0, 0});
  a.add("node_sync_status", 0, job("zeam_0", {{"status", "synced"}}), 2, {0, 1, 1, 1, 1, 1, 1, 1});
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  EXPECT_DOUBLE_EQ(*of(r, "zeam_0").synced_pct, 70);  // 7 of the 10 minutes
  const auto& steps = r.sync_status[0].lines.at(0).series;
  EXPECT_EQ(steps.v, (std::vector<double>{1, 1, 1, 2, 2, 2, 2, 2, 2, 2}));
  EXPECT_EQ(steps.t.size(), 10u);
}

TEST(Consensus, DeepReorgsFromTheDepthHistogram) {
  testing::TempDir dir;
  Archive a(dir.path(), 8, {"zeam_0"});
  // Depth buckets (cumulative): a reorg of depth 4 between minutes 2 and 3,
  // one of depth 1 between minutes 5 and 6.
  const std::vector<double> le1{0, 0, 0, 0, 0, 0, 1, 1, 1};
  const std::vector<double> le2 = le1;
  const std::vector<double> le5{0, 0, 0, 1, 1, 1, 2, 2, 2};
  const std::vector<double> inf = le5;
  const std::pair<const char*, const std::vector<double>*> buckets[] = {
      {"1", &le1}, {"2", &le2}, {"5", &le5}, {"+Inf", &inf}};
  for (const auto& [le, values] : buckets) a.add("fork_choice_reorgs", 1, job("zeam_0", {{"le", le}}), 0, *values);
  a.add("fork_choice_reorgs", 0, job("zeam_0"), 0, le5);
  a.write();
  auto data = load(a);
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto r = analyse_consensus(*data);
  const auto deep = of_kind(r, "deep_reorg");
  ASSERT_EQ(deep.size(), 1u);
  EXPECT_EQ(deep[0].start, at(2));
  EXPECT_EQ(deep[0].end, at(3));
  EXPECT_DOUBLE_EQ(*of(r, "zeam_0").reorgs, 2);
  ASSERT_TRUE(r.reorg_depth.has_value());
  EXPECT_EQ(r.reorg_depth->categories, (std::vector<std::string>{"≤ 1", "≤ 2", "≤ 5", "> 5"}));
  ASSERT_EQ(r.reorg_depth->groups.size(), 1u);
  EXPECT_EQ(r.reorg_depth->groups[0].values, (std::vector<double>{1, 0, 1, 0}));

  // deep_reorg.depth = 6: the smallest bound at or above 5 is 5; nothing above it.
  auto data6 = load(a, {{"deep_reorg.depth", 6}});
  ASSERT_TRUE(data6.ok());
  EXPECT_TRUE(of_kind(analyse_consensus(*data6), "deep_reorg").empty());
}

TEST(Consensus, SummaryJsonHasEveryKeyAndNullWithoutData) {
  testing::TempDir dir;
  Archive a(dir.path(), 4, {"ream_0", "zeam_0"});
  a.add("head_slot", kHead, job("zeam_0"), 0, ramp(10, 15, 5));
  a.add("head_slot", kCurrent, job("zeam_0"), 0, ramp(12, 15, 5));
  a.add("finality_metrics", kLatestJustified, job("zeam_0"), 0, ramp(6, 15, 5));
  a.add("finality_metrics", kLatestFinalized, job("zeam_0"), 0, ramp(2, 15, 5));
  a.write();
  auto analysis = analyse_devnet(a.dir(), a.devnet(), {find_report("consensus")});
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  const auto json = summary_json(*analysis);
  EXPECT_NE(json.find("\"zeam_0\":{\"consensus\":{\"current_to_head\":{\"avg\":2,\"max\":2},"
                      "\"head_to_justified\":{\"avg\":4,\"max\":4},\"justified_to_finalized\":{\"avg\":4,\"max\":4},"
                      "\"head_to_finalized\":{\"avg\":8,\"max\":8},\"reorgs\":null,\"final_head_slot\":70,"
                      "\"final_finalized_slot\":62,\"synced_pct\":null}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"ream_0\":{\"consensus\":{\"current_to_head\":{\"avg\":null,\"max\":null},"
                      "\"head_to_justified\":{\"avg\":null,\"max\":null},\"justified_to_finalized\":{\"avg\":null,"
                      "\"max\":null},\"head_to_finalized\":{\"avg\":null,\"max\":null},\"reorgs\":null,"
                      "\"final_head_slot\":null,\"final_finalized_slot\":null,\"synced_pct\":null}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"network\":{\"finalized_slot_final\":62,\"head_to_finalized\":{\"avg\":8,\"max\":8}}"),
            std::string::npos)
      << json;
}

TEST(Consensus, AnEmptyArchiveStillGivesEveryKeyAsNull) {
  testing::TempDir dir;
  Archive a(dir.path(), 4, {"zeam_0"});
  a.write();
  auto analysis = analyse_devnet(a.dir(), a.devnet(), {find_report("consensus")});
  ASSERT_TRUE(analysis.ok()) << analysis.error().message;
  const auto& m = analysis->models.at(0);
  EXPECT_TRUE(m.findings.empty());
  EXPECT_EQ(m.health, "no finality data");
  const auto* f = m.network_figures.find("head_to_finalized.max");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->value.has_value());
  const auto& client = m.client_figures.at("zeam_0");
  for (const char* key : {"current_to_head.avg", "head_to_justified.max", "justified_to_finalized.avg",
                          "head_to_finalized.max", "reorgs", "final_head_slot", "final_finalized_slot", "synced_pct"}) {
    const auto* fig = client.find(key);
    ASSERT_NE(fig, nullptr) << key;
    EXPECT_FALSE(fig->value.has_value()) << key;
  }
}

}  // namespace
}  // namespace leanscope::analysis
