// DevnetData: datasets opened first (client names from every file), samples
// read on demand and released, timing histograms folded as they are read,
// take() moving a dataset only at its last use; analyse_devnet reading each
// report's datasets just before it and freeing them after their last report.
#include "analysis/devnet_data.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "analysis/registry.h"
#include "archive/read.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = leanscope::testing::TestArchive;
constexpr const char* kHistograms = "state_transition_histograms";

void add_bucket(Archive& a, const std::string& job, const std::string& instance, const std::string& le, int first,
                std::vector<double> values) {
  a.add(kHistograms, 0, {{"job", job}, {"instance", instance}, {"le", le}}, first, std::move(values));
}

// ream_0: one instance, so its buckets fold; zeam_0: renamed (two
// instances), so its buckets keep their samples for chaining; reorg depth
// buckets are not a timing histogram and are never folded.
void write_devnet(Archive& a) {
  for (const char* le : {"0.01", "+Inf"})
    add_bucket(a, "ream_0", "r:1", le, 0, {0, 3, 3, 9, 12, 20, 21, 30, 31, 35, 40});
  for (const char* le : {"0.01", "+Inf"}) add_bucket(a, "zeam_0", "zeam:1", le, 0, {0, 1, 2, 3});
  for (const char* le : {"0.01", "+Inf"}) add_bucket(a, "zeam_0", "zeam_0:1", le, 5, {0, 4, 8});
  a.add("fork_choice_reorgs", 1, {{"job", "ream_0"}, {"instance", "r:1"}, {"le", "1"}}, 0, {0, 1, 1, 2});
  a.add("head_slot", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {1, 2, 3, 4, 5, 6});
  a.add("network_peers", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {3, 3, 4});
  a.write();
}

TEST(DevnetData, FoldsATimingHistogramsBucketsAsTheyAreRead) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0"});
  write_devnet(a);
  auto data = DevnetData::load(a.dir(), a.devnet(), {kHistograms, "fork_choice_reorgs"});
  ASSERT_TRUE(data.ok()) << data.error().message;
  const auto raw = archive::read_dataset(a.dir(), a.devnet().id, kHistograms, {a.devnet().start, a.devnet().end});
  ASSERT_TRUE(raw.ok());
  const auto& series = data->series(kHistograms);
  const auto& folded = data->folded(kHistograms);
  ASSERT_EQ(folded.size(), series.size());
  ASSERT_EQ(series.size(), 6u);
  const auto le_col = DevnetData::label(kHistograms, "le");
  std::size_t folds = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    SCOPED_TRACE(s.client + " " + s.labels.at(0) + " " + s.labels.at(le_col));
    if (s.client == "zeam_0") {
      EXPECT_FALSE(folded[i].has_value());
      EXPECT_FALSE(s.series.empty());  // chained by the timing sections from these
      continue;
    }
    ASSERT_TRUE(folded[i].has_value());
    ++folds;
    EXPECT_TRUE(s.series.empty());
    const auto& want_samples = raw->series[i].series;
    const auto want = stats::fold_bucket_series({*stats::parse_le(s.labels.at(le_col)), want_samples.t, want_samples.v},
                                                data->bucket_grid());
    EXPECT_EQ(folded[i]->le, want.le);
    EXPECT_EQ(folded[i]->first_window, want.first_window);
    EXPECT_EQ(folded[i]->increase.size(), 2u);  // two 5-minute windows
    for (std::size_t w = 0; w < want.increase.size(); ++w) EXPECT_EQ(folded[i]->increase[w], want.increase[w]);
    EXPECT_EQ(folded[i]->range_increase, want.range_increase);
  }
  EXPECT_EQ(folds, 2u);
  // Samples counted whether folded or not: 2 × 11 + 2 × 4 + 2 × 3.
  EXPECT_EQ(data->samples(kHistograms), 36u);
  EXPECT_TRUE(data->folded("fork_choice_reorgs").empty());
  ASSERT_EQ(data->series("fork_choice_reorgs").size(), 1u);
  EXPECT_EQ(data->series("fork_choice_reorgs")[0].series.size(), 4u);
  EXPECT_EQ(data->bucket_grid().window_ms, DevnetData::kBucketWindowMs);
}

TEST(DevnetData, OpenKnowsTheClientsAndReadsSamplesOnlyWhenAsked) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  write_devnet(a);
  auto data = DevnetData::open(a.dir(), a.devnet(), {"head_slot", "network_peers", kHistograms});
  ASSERT_TRUE(data.ok()) << data.error().message;
  // zeam_0 is not in devnets.json: the histogram file's jobs name it.
  EXPECT_EQ(data->clients(), (std::vector<std::string>{"ream_0", "zeam_0"}));
  EXPECT_FALSE(data->held("head_slot"));
  EXPECT_TRUE(data->present("head_slot"));
  ASSERT_TRUE(data->read({"head_slot"}).ok());
  EXPECT_TRUE(data->held("head_slot"));
  EXPECT_FALSE(data->held("network_peers"));
  const auto first = data->series("head_slot");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].series.size(), 6u);
  data->release("head_slot");
  EXPECT_FALSE(data->held("head_slot"));
  ASSERT_TRUE(data->read({"head_slot", "network_peers"}).ok());  // read again after the release
  EXPECT_EQ(data->series("head_slot")[0].series.v, first[0].series.v);
  EXPECT_EQ(data->series("network_peers")[0].series.size(), 3u);
  EXPECT_FALSE(data->read({"validators_count"}).ok());  // not opened: a programming error, reported
}

TEST(DevnetData, TakeCopiesUntilTheLastUseThenMoves) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  write_devnet(a);
  auto data = DevnetData::load(a.dir(), a.devnet(), {"head_slot", "network_peers"});
  ASSERT_TRUE(data.ok());
  auto copy = data->take("head_slot");
  ASSERT_EQ(copy.size(), 1u);
  EXPECT_EQ(data->series("head_slot").size(), 1u);  // still there for a later report
  data->last_use("network_peers");
  auto moved = data->take("network_peers");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].series.size(), 3u);
  EXPECT_TRUE(data->series("network_peers").empty());
}

// Three test reports, in navigation order: a taker of head_slot, a reader of
// it, a reader of network_peers. The taker runs after the reader (and takes
// head_slot without a copy), the others last given first; a dataset is freed
// after its last report, and on_model sees each model once, in that order
// (on its own thread: the analyses' and the models' events are kept apart).
// Models keep the navigation order.
TEST(AnalyseDevnet, RunsTakersLastAndFreesEachDatasetAfterItsLastReport) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  write_devnet(a);
  std::vector<std::string> events;
  std::vector<std::string> drawn;
  const auto held = [](const DevnetData& data, const char* dataset) {
    return std::string(dataset) + (data.held(dataset) ? " held" : " not held");
  };
  const auto report = [&](std::string id, std::vector<std::string> datasets, std::vector<std::string> takes) {
    ReportDefinition r;
    r.id = id;
    r.title = id;
    r.datasets = std::move(datasets);
    r.takes = std::move(takes);
    const bool taker = !r.takes.empty();
    r.analyse = [&events, &held, id, taker](const DevnetData& data) -> Result<ReportModel> {
      std::string e = id + ": " + held(data, "head_slot") + ", " + held(data, "network_peers");
      if (taker) {
        const auto taken = data.take("head_slot");
        e += ", took " + std::to_string(taken.size()) + " leaving " + std::to_string(data.series("head_slot").size());
      }
      events.push_back(e);
      ReportModel m;
      Section s;
      s.id = "line";
      s.panels.push_back({"ream_0", {{"slot", {{1, 2}, {1, 2}}}}, {}, {}});
      m.sections.push_back(std::move(s));
      m.health = id + " fine";
      return m;
    };
    return r;
  };
  ASSERT_TRUE(register_report(report("test-taker", {"head_slot"}, {"head_slot"})).ok());
  ASSERT_TRUE(register_report(report("test-reader", {"head_slot"}, {})).ok());
  ASSERT_TRUE(register_report(report("test-peers", {"network_peers"}, {})).ok());
  const std::vector<const ReportDefinition*> reports{find_report("test-taker"), find_report("test-reader"),
                                                     find_report("test-peers")};
  EXPECT_EQ(analysis_order(reports), (std::vector<std::size_t>{2, 1, 0}));
  auto analysed = analyse_devnet(a.dir(), a.devnet(), reports, {}, {}, [&](std::size_t k, ReportModel& m) {
    drawn.push_back("model " + std::to_string(k) + " " + m.id);
    drop_chart_data(m);
    return Status{};
  });
  for (const char* id : {"test-peers", "test-reader", "test-taker"}) ASSERT_TRUE(unregister_report(id).ok());
  ASSERT_TRUE(analysed.ok()) << analysed.error().message;
  EXPECT_EQ(events, (std::vector<std::string>{
                        "test-peers: head_slot not held, network_peers held",
                        "test-reader: head_slot held, network_peers not held",
                        "test-taker: head_slot held, network_peers not held, took 1 leaving 0",
                    }));
  EXPECT_EQ(drawn, (std::vector<std::string>{"model 2 test-peers", "model 1 test-reader", "model 0 test-taker"}));
  ASSERT_EQ(analysed->models.size(), 3u);
  EXPECT_EQ(analysed->models[0].id, "test-taker");
  EXPECT_EQ(analysed->models[2].health, "test-peers fine");
  EXPECT_TRUE(analysed->models[0].sections.at(0).panels.empty());  // dropped by the callback
}

TEST(AnalyseDevnet, AnErrorOfTheCallbackEndsTheAnalysis) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  write_devnet(a);
  int calls = 0;
  auto analysed = analyse_devnet(a.dir(), a.devnet(), all_reports(), {}, {}, [&](std::size_t, ReportModel&) {
    ++calls;
    return Status{make_error("disk full")};
  });
  ASSERT_FALSE(analysed.ok());
  EXPECT_EQ(analysed.error().message, "disk full");
  EXPECT_EQ(calls, 1);
}

TEST(AnalyseDevnet, AnExceptionOfTheCallbackIsAnErrorNamingTheReport) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  write_devnet(a);
  const auto reports = all_reports();
  auto analysed = analyse_devnet(a.dir(), a.devnet(), reports, {}, {},
                                 [&](std::size_t, ReportModel&) -> Status { throw std::bad_alloc(); });
  ASSERT_FALSE(analysed.ok());
  EXPECT_EQ(analysed.error().message, reports[analysis_order(reports).front()]->id + ": std::bad_alloc");
}

// A page is drawn on another thread while the next report is analysed: the
// first model's callback waits for the second report's analysis to start,
// which a callback run in line would never see.
TEST(AnalyseDevnet, TheCallbackRunsOnAnotherThreadWhileTheNextReportRuns) {
  leanscope::testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  write_devnet(a);
  std::mutex mutex;
  std::condition_variable changed;
  bool second_started = false;
  const auto report = [&](std::string id, bool second) {
    ReportDefinition r;
    r.id = id;
    r.title = id;
    r.datasets = {"head_slot"};
    r.analyse = [&, second](const DevnetData&) -> Result<ReportModel> {
      if (second) {
        std::lock_guard lock(mutex);
        second_started = true;
        changed.notify_all();
      }
      return ReportModel{};
    };
    return r;
  };
  ASSERT_TRUE(register_report(report("test-second", true)).ok());
  ASSERT_TRUE(register_report(report("test-first", false)).ok());
  const std::vector<const ReportDefinition*> reports{find_report("test-second"), find_report("test-first")};
  ASSERT_EQ(analysis_order(reports), (std::vector<std::size_t>{1, 0}));
  const auto caller = std::this_thread::get_id();
  std::vector<std::string> seen;
  auto analysed = analyse_devnet(a.dir(), a.devnet(), reports, {}, {}, [&](std::size_t k, ReportModel& m) {
    std::unique_lock lock(mutex);
    const bool other_thread = std::this_thread::get_id() != caller;
    if (k == 1) changed.wait_for(lock, std::chrono::seconds(30), [&] { return second_started; });
    seen.push_back(m.id + (other_thread ? " on another thread" : " in line") +
                   (k == 1 ? (second_started ? ", next report started" : ", next report not started") : ""));
    return Status{};
  });
  for (const char* id : {"test-second", "test-first"}) ASSERT_TRUE(unregister_report(id).ok());
  ASSERT_TRUE(analysed.ok()) << analysed.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"test-first on another thread, next report started",
                                            "test-second on another thread"}));
}

TEST(DropChartData, KeepsWhatSummariesRead) {
  ReportModel m;
  Section s;
  s.id = "peers";
  s.note = "host-wide";
  s.panels.push_back({"ream_0", {{"peers", {{1}, {3}}}}, {}, {}});
  s.tables.push_back({});
  m.sections.push_back(std::move(s));
  m.findings.push_back({});
  m.health = "ok";
  m.summary_table.rows.push_back({"ream_0"});
  drop_chart_data(m);
  ASSERT_EQ(m.sections.size(), 1u);
  EXPECT_TRUE(m.sections[0].panels.empty());
  EXPECT_EQ(m.sections[0].note, "host-wide");
  EXPECT_EQ(m.sections[0].tables.size(), 1u);
  EXPECT_EQ(m.findings.size(), 1u);
  EXPECT_EQ(m.health, "ok");
  EXPECT_EQ(m.summary_table.rows.size(), 1u);
}

}  // namespace
}  // namespace leanscope::analysis
