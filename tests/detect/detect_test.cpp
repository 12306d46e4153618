#include "detect/detect.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "prom/fake_prometheus.h"
#include "support/test_support.h"

using namespace leanscope;
using namespace leanscope::detect;

namespace {

constexpr TimeMs kMin = 60'000;
constexpr TimeMs kHour = 60 * kMin;
constexpr TimeMs kT0 = 1'763'900'400'000;  // on the minute
constexpr TimeMs kScrape = 15'000;

// One process lifetime of a node: scraped every 15 s from `up` to `down`,
// its head slot counting 4 s slots from `genesis`.
struct NodeRun {
  TimeMs genesis, up, down;
  double slot_offset = 0;  // a restarted node resumes from its slot
};

// What query_range returns at `step` over [from, to] for a node's runs:
// the last scrape within Prometheus' 5 minute lookback, if any.
JobSeries evaluate(const std::string& job, const std::vector<NodeRun>& runs, TimeMs from, TimeMs to,
                   TimeMs step = kMin) {
  JobSeries s{job, {}, {}};
  for (TimeMs t = from; t <= to; t += step) {
    std::optional<std::pair<TimeMs, double>> last;
    for (const auto& r : runs) {
      for (TimeMs scrape = r.up; scrape < r.down && scrape <= t; scrape += kScrape) {
        if (t - scrape < kLookbackMs) last = {scrape, r.slot_offset + static_cast<double>((scrape - r.genesis) / 4000)};
      }
    }
    if (last) {
      s.times.push_back(t);
      s.values.push_back(last->second);
    }
  }
  return s;
}

Params window(TimeMs from, TimeMs to) {
  Params p;
  p.window_start = from;
  p.window_end = to;
  return p;
}

// Three iterations of 2 h, 4 minute gaps, nodes up 0..80 s after genesis.
struct Scenario {
  std::vector<TimeMs> genesis{kT0, kT0 + 2 * kHour + 4 * kMin, kT0 + 4 * kHour + 8 * kMin};
  TimeMs end() const { return genesis.back() + 2 * kHour; }
  std::vector<std::string> jobs{"zeam_0", "ream_0", "qlean_0"};
  std::vector<NodeRun> runs_of(std::size_t node) const {
    std::vector<NodeRun> runs;
    for (TimeMs g : genesis) runs.push_back({g, g + static_cast<TimeMs>(node) * 40'000, g + 2 * kHour});
    return runs;
  }
  std::vector<JobSeries> series(TimeMs from, TimeMs to) const {
    std::vector<JobSeries> out;
    for (std::size_t n = 0; n < jobs.size(); ++n) out.push_back(evaluate(jobs[n], runs_of(n), from, to));
    return out;
  }
};

TEST(FindDevnets, EveryIterationStartsAtItsFirstSampleAndEndsAtItsLast) {
  Scenario sc;
  auto p = window(kT0 - 10 * kMin, sc.end() + 10 * kMin);
  auto found = find_devnets(sc.series(p.window_start, p.window_end), {}, p);
  ASSERT_EQ(found.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    // The first sample of an iteration is seen at the next step point.
    EXPECT_GE(found[i].start, sc.genesis[i]) << i;
    EXPECT_LT(found[i].start, sc.genesis[i] + kMin) << i;
    const TimeMs last_scrape = sc.genesis[i] + 2 * kHour - kScrape;
    EXPECT_LE(found[i].end, last_scrape) << i;
    EXPECT_GT(found[i].end, last_scrape - 2 * kMin) << i;
    EXPECT_EQ(found[i].clients, (std::vector<std::string>{"qlean_0", "ream_0", "zeam_0"})) << i;
    ASSERT_TRUE(found[i].start_slot.has_value());
    EXPECT_LT(*found[i].start_slot, 15);
    EXPECT_GT(*found[i].end_slot, 1700);
    EXPECT_FALSE(found[i].truncated_start);
    EXPECT_FALSE(found[i].truncated_end);
  }
}

TEST(FindDevnets, ARestartOfOneClientIsNotADevnet) {
  Scenario sc;
  auto p = window(kT0 - 10 * kMin, sc.end() + 10 * kMin);
  auto series = sc.series(p.window_start, p.window_end);
  // ream_0 goes down for 10 minutes in the middle of iteration 2 and comes
  // back from slot 0 (lost its database).
  const TimeMs g = sc.genesis[1];
  std::vector<NodeRun> runs = sc.runs_of(1);
  runs[1] = {g, g + 40'000, g + kHour};
  runs.insert(runs.begin() + 2, NodeRun{g + kHour + 10 * kMin, g + kHour + 10 * kMin, g + 2 * kHour});
  series[1] = evaluate("ream_0", runs, p.window_start, p.window_end);
  auto found = find_devnets(series, {}, p);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[1].clients.size(), 3u);
}

TEST(FindDevnets, SimultaneousRestartsOfTwoClientsAreADevnetButNotWithMinClientsThree) {
  Scenario sc;
  auto p = window(kT0 - 10 * kMin, sc.genesis[1] - kMin);
  auto series = sc.series(p.window_start, p.window_end);
  for (std::size_t n = 0; n < 2; ++n) {
    series[n] = evaluate(sc.jobs[n], {{kT0, kT0, kT0 + kHour}, {kT0 + kHour, kT0 + kHour + 30'000, kT0 + 2 * kHour}},
                         p.window_start, p.window_end);
  }
  EXPECT_EQ(find_devnets(series, {}, p).size(), 2u);
  p.min_clients = 3;
  EXPECT_EQ(find_devnets(series, {}, p).size(), 1u);
}

TEST(FindDevnets, BareJobRenamedToSuffixedIsOneNode) {
  Scenario sc;
  auto p = window(kT0 - 10 * kMin, sc.genesis[1] - kMin);
  auto series = sc.series(p.window_start, p.window_end);
  // ream is scraped as "ream" for its first 30 minutes, then as "ream_0".
  series[1] = evaluate("ream", {{kT0, kT0 + 40'000, kT0 + 30 * kMin}}, p.window_start, p.window_end);
  series.push_back(evaluate("ream_0", {{kT0, kT0 + 30 * kMin, kT0 + 2 * kHour}}, p.window_start, p.window_end));
  auto found = find_devnets(series, {}, p);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].clients, (std::vector<std::string>{"qlean_0", "ream_0", "zeam_0"}));
}

TEST(FindDevnets, ANodeOfThePreviousIterationTornDownLateIsNotAClient) {
  Scenario sc;
  sc.genesis = {kT0, kT0 + 2 * kHour + kMin};
  auto p = window(kT0 - 10 * kMin, sc.end() + 10 * kMin);
  auto series = sc.series(p.window_start, p.window_end);
  // lantern_0 ran only in iteration 1 and was stopped 3 minutes after iteration 2 began.
  series.push_back(evaluate("lantern_0", {{kT0, kT0, kT0 + 2 * kHour + 4 * kMin}}, p.window_start, p.window_end));
  auto found = find_devnets(series, {}, p);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].clients.size(), 4u);
  EXPECT_EQ(found[1].clients, (std::vector<std::string>{"qlean_0", "ream_0", "zeam_0"}));
}

TEST(FindDevnets, ContainersRunningInTheSpanAreClientsButInfrastructureIsNot) {
  Scenario sc;
  auto p = window(kT0 - 10 * kMin, sc.end() + 10 * kMin);
  std::vector<JobSeries> boxes;
  // A client container without lean metrics, in iteration 2 only; cAdvisor
  // and prometheus all along.
  const TimeMs g = sc.genesis[1];
  boxes.push_back(evaluate("gean_0", {{g - 3 * kHour, g, g + 2 * kHour}}, p.window_start, p.window_end));
  boxes.push_back(evaluate("cadvisor", {{kT0, kT0 - 10 * kMin, sc.end()}}, p.window_start, p.window_end));
  boxes.push_back(evaluate("prometheus", {{kT0, kT0 - 10 * kMin, sc.end()}}, p.window_start, p.window_end));
  auto found = find_devnets(sc.series(p.window_start, p.window_end), boxes, p);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].clients.size(), 3u);
  EXPECT_EQ(found[1].clients, (std::vector<std::string>{"gean_0", "qlean_0", "ream_0", "zeam_0"}));
  EXPECT_EQ(found[2].clients.size(), 3u);
}

TEST(FindDevnets, DataBeforeTheFirstStartIsADevnetCutByTheWindow) {
  Scenario sc;
  auto p = window(kT0 + kHour, sc.genesis[2] + 30 * kMin);
  auto found = find_devnets(sc.series(p.window_start, p.window_end), {}, p);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].start, p.window_start);
  EXPECT_TRUE(found[0].truncated_start);
  EXPECT_FALSE(found[0].truncated_end);
  EXPECT_FALSE(found[1].truncated_start);
  EXPECT_FALSE(found[1].truncated_end);
  EXPECT_TRUE(found[2].truncated_end);
}

TEST(FindDevnets, ALiveDevnetRunsToTheWindowEnd) {
  Scenario sc;
  auto p = window(kT0 - 10 * kMin, kT0 + kHour);
  auto found = find_devnets(sc.series(p.window_start, p.window_end), {}, p);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].truncated_end);
  EXPECT_EQ(found[0].end, kT0 + kHour);
}

TEST(FindDevnets, NoDataNoDevnets) {
  auto p = window(kT0, kT0 + kHour);
  EXPECT_TRUE(find_devnets({}, {}, p).empty());
}

TEST(RefineStart, FirstDropOrAppearanceAtFineResolution) {
  // At one-second resolution over the minute before a coarse start.
  const TimeMs coarse = kT0 + kMin;
  std::vector<JobSeries> fine;
  JobSeries old_then_new{"a_0", {}, {}};
  JobSeries appears{"b_0", {}, {}};
  JobSeries steady{"c_0", {}, {}};
  for (TimeMs t = kT0; t <= coarse; t += 1000) {
    old_then_new.times.push_back(t);
    old_then_new.values.push_back(t < kT0 + 37'000 ? 1790 : 2);
    if (t >= kT0 + 41'000) {
      appears.times.push_back(t);
      appears.values.push_back(3);
    }
    steady.times.push_back(t);
    steady.values.push_back(1795);
  }
  EXPECT_EQ(refine_start({old_then_new, appears, steady}, kT0, coarse, 100), kT0 + 37'000);
  EXPECT_EQ(refine_start({appears, steady}, kT0, coarse, 100), kT0 + 41'000);
  EXPECT_EQ(refine_start({steady}, kT0, coarse, 100), coarse);
  EXPECT_EQ(refine_start({}, kT0, coarse, 100), coarse);
}

archive::DevnetsFile run_and_merge(const archive::DevnetsFile& known, const Scenario& sc, Params p) {
  auto found = find_devnets(sc.series(p.window_start, p.window_end), {}, p);
  return merge_devnets(known, found, p, p.window_end).file;
}

TEST(MergeDevnets, RepeatedAndLaterWindowsKeepIds) {
  Scenario sc;
  auto first = run_and_merge({}, sc, window(kT0 - 10 * kMin, sc.genesis[1] + kHour));
  ASSERT_EQ(first.devnets.size(), 2u);
  EXPECT_EQ(first.devnets[0].id, archive::devnet_id_for(first.devnets[0].start));

  auto again = merge_devnets(first,
                             find_devnets(sc.series(kT0 - 10 * kMin, sc.genesis[1] + kHour), {},
                                          window(kT0 - 10 * kMin, sc.genesis[1] + kHour)),
                             window(kT0 - 10 * kMin, sc.genesis[1] + kHour), kT0);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(again.added, 0);

  // A later window starting inside iteration 1 sees its tail only.
  auto later_window = window(kT0 + 50 * kMin + 17'000, sc.end() + 10 * kMin);
  auto later = run_and_merge(first, sc, later_window);
  ASSERT_EQ(later.devnets.size(), 3u);
  EXPECT_EQ(later.devnets[0].id, first.devnets[0].id);
  EXPECT_EQ(later.devnets[0].start, first.devnets[0].start);
  EXPECT_EQ(later.devnets[0].start_slot, first.devnets[0].start_slot);
  EXPECT_EQ(later.devnets[1].id, first.devnets[1].id);
  EXPECT_GT(later.devnets[1].end, first.devnets[1].end);  // it went on after the first run
  EXPECT_EQ(later.devnets[2].id, archive::devnet_id_for(later.devnets[2].start));

  // A window after iteration 1 keeps it as it was.
  auto last_only = run_and_merge(later, sc, window(sc.genesis[2] - kMin, sc.end() + kMin));
  ASSERT_EQ(last_only.devnets.size(), 3u);
  EXPECT_EQ(last_only.devnets[0].id, later.devnets[0].id);
  EXPECT_EQ(last_only.devnets[0].end, later.devnets[0].end);
}

TEST(MergeDevnets, AStartWithinFiveMinutesKeepsTheKnownIdAndStart) {
  Scenario sc;
  archive::DevnetsFile known;
  archive::Devnet k;
  k.start = kT0 - 3 * kMin;
  k.end = kT0 + kHour;
  k.id = archive::devnet_id_for(k.start);
  k.notes = "hand-written note";
  known.devnets.push_back(k);
  auto p = window(kT0 - 10 * kMin, sc.genesis[1] - kMin);
  auto r = merge_devnets(known, find_devnets(sc.series(p.window_start, p.window_end), {}, p), p, kT0);
  ASSERT_EQ(r.file.devnets.size(), 1u);
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.file.devnets[0].id, k.id);
  EXPECT_EQ(r.file.devnets[0].start, k.start);
  EXPECT_EQ(r.file.devnets[0].notes, k.notes);
  EXPECT_GT(r.file.devnets[0].end, k.end);
  EXPECT_EQ(r.file.devnets[0].clients.size(), 3u);
  EXPECT_EQ(r.found_ids, std::vector<std::string>{k.id});
}

TEST(MergeDevnets, KnownDevnetsOutsideTheWindowAreKeptAndOverlappedOnesReplaced) {
  Scenario sc;
  archive::DevnetsFile known;
  archive::Devnet old;
  old.start = kT0 - 48 * kHour;
  old.end = kT0 - 46 * kHour;
  old.id = archive::devnet_id_for(old.start);
  archive::Devnet partial;  // an earlier run saw only the tail of iteration 2
  partial.start = sc.genesis[1] + 30 * kMin;
  partial.end = sc.genesis[1] + kHour;
  partial.id = archive::devnet_id_for(partial.start);
  known.devnets = {old, partial};
  auto p = window(kT0 - 10 * kMin, sc.end() + 10 * kMin);
  auto r = merge_devnets(known, find_devnets(sc.series(p.window_start, p.window_end), {}, p), p, kT0);
  EXPECT_EQ(r.kept, 1);
  EXPECT_EQ(r.dropped, 1);
  EXPECT_EQ(r.added, 3);
  ASSERT_EQ(r.file.devnets.size(), 4u);
  EXPECT_EQ(r.file.devnets[0].id, old.id);
  for (const auto& d : r.file.devnets) EXPECT_NE(d.id, partial.id);
}

TEST(FindDevnets, DataBeginningPastAGenesisIsACutStart) {
  // The server lost the devnet's first hour: its data begins at slot 900,
  // ten minutes into the window, with no reset.
  std::vector<JobSeries> series;
  for (const std::string job : {"zeam_0", "ream_0"})
    series.push_back(evaluate(job, {{kT0 - kHour, kT0, kT0 + kHour}}, kT0 - 10 * kMin, kT0 + kHour));
  auto p = window(kT0 - 10 * kMin, kT0 + kHour);
  auto found = find_devnets(series, {}, p);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].truncated_start);
  EXPECT_EQ(*found[0].start_slot, 900);
}

archive::Devnet known_devnet(TimeMs start, TimeMs end, std::int64_t end_slot) {
  archive::Devnet k;
  k.start = start;
  k.end = end;
  k.id = archive::devnet_id_for(start);
  k.start_slot = 0;
  k.end_slot = end_slot;
  k.clients = {"a_0", "b_0", "c_0"};
  return k;
}

TEST(MergeDevnets, ADetectionWithoutItsStartContinuesTheKnownDevnet) {
  archive::DevnetsFile known;
  known.devnets.push_back(known_devnet(kT0, kT0 + 2 * kHour, 1800));
  const auto& k = known.devnets[0];
  auto p = window(kT0 - kHour, kT0 + 4 * kHour);
  // The server's data begins 30 minutes into the known devnet.
  DetectedDevnet later{kT0 + 30 * kMin, kT0 + 4 * kHour, 450, 3600, {"a_0", "b_0"}, true, true};
  auto r = merge_devnets(known, {later}, p, kT0);
  ASSERT_EQ(r.file.devnets.size(), 1u);
  EXPECT_EQ(r.file.devnets[0].id, k.id);
  EXPECT_EQ(r.file.devnets[0].start, k.start);
  EXPECT_EQ(r.file.devnets[0].start_slot, 0);
  EXPECT_EQ(r.file.devnets[0].end, later.end);
  EXPECT_EQ(r.file.devnets[0].clients, k.clients);
  EXPECT_EQ(r.updated, 1);
  ASSERT_EQ(r.continued.size(), 1u);
  EXPECT_EQ(r.continued[0], k.id + " goes on: the server's data of it begins at " + format_iso_z(later.start) +
                                ", after its start " + format_iso_z(k.start));

  // Beginning just after the known end: the head slot goes on from the
  // known end slot, or it fell (a new devnet whose reset was lost).
  DetectedDevnet after_end{k.end + 3 * kMin, kT0 + 4 * kHour, 1840, 3600, {"a_0", "b_0", "c_0"}, true, true};
  EXPECT_EQ(merge_devnets(known, {after_end}, p, kT0).file.devnets.size(), 1u);
  after_end.start_slot = 300;
  auto fell = merge_devnets(known, {after_end}, p, kT0);
  ASSERT_EQ(fell.file.devnets.size(), 2u);
  EXPECT_EQ(fell.file.devnets[0].id, k.id);
  EXPECT_EQ(fell.file.devnets[1].id, archive::devnet_id_for(after_end.start));

  // Other clients: not the known devnet.
  DetectedDevnet others = later;
  others.clients = {"x_0", "y_0"};
  auto elsewhere = merge_devnets(known, {others}, p, kT0);
  EXPECT_TRUE(elsewhere.continued.empty());
  EXPECT_EQ(elsewhere.added, 1);
  ASSERT_EQ(elsewhere.file.devnets.size(), 1u);  // the known one (no archived data) overlapped: replaced
  EXPECT_EQ(elsewhere.file.devnets[0].id, archive::devnet_id_for(later.start));
}

TEST(MergeDevnets, AnEarlierStartOfAnArchivedDevnetKeepsItsId) {
  archive::DevnetsFile known;
  known.devnets.push_back(known_devnet(kT0, kT0 + 2 * kHour, 1800));
  const auto& k = known.devnets[0];
  auto p = window(kT0 - 2 * kHour, kT0 + 3 * kHour);
  DetectedDevnet whole{kT0 - kHour, kT0 + 3 * kHour, 3, 3600, {"a_0", "b_0", "c_0"}, false, true};
  auto archived = [&](const std::string& id) { return id == k.id; };
  auto r = merge_devnets(known, {whole}, p, kT0, archived);
  ASSERT_EQ(r.file.devnets.size(), 1u);
  EXPECT_EQ(r.file.devnets[0].id, k.id);
  EXPECT_EQ(r.file.devnets[0].start, whole.start);
  EXPECT_EQ(r.file.devnets[0].start_slot, 3);
  EXPECT_EQ(r.file.devnets[0].end, whole.end);
  EXPECT_TRUE(r.conflicts.empty());
  ASSERT_EQ(r.continued.size(), 1u);
  // Without archived data the known entry was a partial view: the start's id.
  auto partial = merge_devnets(known, {whole}, p, kT0);
  ASSERT_EQ(partial.file.devnets.size(), 1u);
  EXPECT_EQ(partial.file.devnets[0].id, archive::devnet_id_for(whole.start));
  EXPECT_EQ(partial.dropped, 1);
}

TEST(MergeDevnets, MinDurationDropsShortRunsAndNoMergeOverwrites) {
  archive::DevnetsFile known;
  archive::Devnet k;
  k.start = kT0 - 48 * kHour;
  k.end = kT0 - 46 * kHour;
  k.id = archive::devnet_id_for(k.start);
  known.devnets.push_back(k);
  DetectedDevnet shortrun{kT0, kT0 + 3 * kMin, 0, 40, {"a_0", "b_0"}, false, false};
  DetectedDevnet longrun{kT0 + 10 * kMin, kT0 + 3 * kHour, 0, 2000, {"a_0", "b_0"}, false, false};
  auto p = window(kT0 - kHour, kT0 + 4 * kHour);
  auto r = merge_devnets(known, {shortrun, longrun}, p, kT0);
  EXPECT_EQ(r.added, 1);
  EXPECT_EQ(r.file.devnets.size(), 2u);
  p.merge = false;
  auto over = merge_devnets(known, {shortrun, longrun}, p, kT0);
  ASSERT_EQ(over.file.devnets.size(), 1u);
  EXPECT_EQ(over.file.devnets[0].start, longrun.start);
  EXPECT_NE(over.file.detection_params_json.find("\"merge\":false"), std::string::npos);
}

TEST(MergeDevnets, ArchivedDevnetsAreNotMergedAwayUnlessPruned) {
  Scenario sc;
  archive::DevnetsFile known;
  for (TimeMs g : sc.genesis) {
    archive::Devnet d;
    d.start = g;
    d.end = g + 2 * kHour;
    d.id = archive::devnet_id_for(g);
    known.devnets.push_back(d);
  }
  // One detection over all three (as a misbehaving server can make it look).
  DetectedDevnet one{kT0 - 30 * kMin, sc.end(), 0, 9000, {"a_0", "b_0"}, false, false};
  auto p = window(kT0 - kHour, sc.end() + 10 * kMin);
  auto archived = [&](const std::string& id) { return id != known.devnets[2].id; };
  auto r = merge_devnets(known, {one}, p, kT0, archived);
  EXPECT_EQ(r.dropped, 1);  // the one without archived data
  ASSERT_EQ(r.conflicts.size(), 2u);
  EXPECT_EQ(r.conflicts[0], known.devnets[0].id + " has archived data and overlaps the detected " +
                                archive::devnet_id_for(one.start) + " (" + format_iso_z(one.start) + " .. " +
                                format_iso_z(one.end) + "): kept both (--prune replaces it)");
  EXPECT_EQ(r.file.devnets.size(), 3u);
  p.prune = true;
  auto pruned = merge_devnets(known, {one}, p, kT0, archived);
  EXPECT_TRUE(pruned.conflicts.empty());
  EXPECT_EQ(pruned.file.devnets.size(), 1u);
}

TEST(RunDetect, AHostileServerLeavesArchivedDevnetsAlone) {
  Scenario sc;
  leanscope::testing::TempDir data;
  archive::DevnetsFile known;
  for (TimeMs g : sc.genesis) {
    archive::Devnet d;
    d.start = g;
    d.end = g + 2 * kHour;
    d.id = archive::devnet_id_for(g);
    d.clients = {"qlean_0", "ream_0", "zeam_0"};
    known.devnets.push_back(d);
    leanscope::testing::write_text(data.path() / d.id / "peers.parquet", "PAR1 stand-in");
  }
  ASSERT_TRUE(archive::save_devnets(data.path(), known).ok());
  // The server claims one iteration over the three: a reset 30 minutes
  // before the first, then the head slot rising to the end; shuffled, with a
  // sample of another year and negated values before the reset.
  const TimeMs reset = kT0 - 30 * kMin;
  leanscope::testing::FakePrometheus server([&](const httplib::Request& req, httplib::Response& res, int) {
    if (req.get_param_value("query") != "lean_head_slot") {
      res.set_content(leanscope::testing::FakePrometheus::matrix({}), "application/json");
      return;
    }
    const auto start = static_cast<TimeMs>(std::stod(req.get_param_value("start")) * 1000);
    const auto end = static_cast<TimeMs>(std::stod(req.get_param_value("end")) * 1000);
    const auto step = static_cast<TimeMs>(std::stod(req.get_param_value("step")) * 1000);
    std::vector<std::string> samples;
    for (TimeMs t = start; t <= end; t += step) {
      const double v = t < reset ? -1e6 : static_cast<double>((t - reset) / 4000);
      samples.push_back("[" + std::to_string(t / 1000) + ",\"" + std::to_string(v) + "\"]");
    }
    std::reverse(samples.begin(), samples.end());
    samples.push_back("[" + std::to_string((start + 365 * 24 * kHour) / 1000) + ",\"1\"]");
    std::string values = "[";
    for (const auto& x : samples) values += (values.size() > 1 ? "," : "") + x;
    values += "]";
    res.set_content(
        leanscope::testing::FakePrometheus::matrix({{R"({"job":"zeam_0"})", values}, {R"({"job":"ream_0"})", values}}),
        "application/json");
  });
  prom::ClientConfig config;
  config.base_url = server.url();
  config.on_warning = [](std::string_view) {};
  auto client = prom::Client::create(config);
  ASSERT_TRUE(client.ok());
  auto p = window(kT0 - kHour, sc.end() + 10 * kMin);
  std::vector<std::string> lines;
  auto merged = run_detect(*client, data.path(), p, [&](std::string_view l) { lines.emplace_back(l); });
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->conflicts.size(), 3u);
  auto after = archive::load_devnets(data.path());
  ASSERT_TRUE(after.ok());
  for (const auto& k : known.devnets) {
    auto it = std::find_if(after->devnets.begin(), after->devnets.end(), [&](const auto& d) { return d.id == k.id; });
    ASSERT_NE(it, after->devnets.end()) << k.id;
    EXPECT_EQ(it->start, k.start);
    EXPECT_EQ(it->end, k.end);
    EXPECT_EQ(it->clients, k.clients);
  }
}

TEST(Queries, SelectorIsMergedIntoDetectQueries) {
  EXPECT_EQ(head_slot_query(""), "lean_head_slot");
  EXPECT_EQ(head_slot_query(R"({network="devnet-3"})"), R"(lean_head_slot{network="devnet-3"})");
  EXPECT_EQ(containers_query(R"(network="x")"),
            R"(max by (name) (container_network_receive_bytes_total{network="x"}))");
}

TEST(Table, ColumnsAreAligned) {
  archive::Devnet a;
  a.id = "pqdevnet-20261123T1611Z";
  a.start = kT0;
  a.end = kT0 + 2 * kHour;
  a.start_slot = 0;
  a.end_slot = 1800;
  a.clients = {"ream_0", "zeam_0"};
  archive::Devnet b = a;
  b.id = "pqdevnet-20261123T1911Z";
  b.start_slot.reset();
  b.end_slot.reset();
  b.clients.clear();
  auto table = format_devnet_table({a, b});
  std::vector<std::string> lines;
  for (std::size_t pos = 0, nl; (nl = table.find('\n', pos)) != std::string::npos; pos = nl + 1)
    lines.push_back(table.substr(pos, nl - pos));
  ASSERT_EQ(lines.size(), 3u);
  const auto col = lines[0].find("SLOTS");
  EXPECT_EQ(lines[1].find("0-1800"), col);
  EXPECT_EQ(lines[2].substr(col, 1), "-");
  EXPECT_NE(lines[1].find("2: ream_0, zeam_0"), std::string::npos);
  EXPECT_EQ(lines[1].find("START"), std::string::npos);
}

}  // namespace
