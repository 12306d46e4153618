// Summaries cached beside each devnet's pages: render writes them with the
// hash of their inputs, reuses them while the inputs are unchanged (only a
// changed devnet is analysed again), and compare.html lists every devnet.
#include "report/summary_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "analysis/summary.h"
#include "archive/datasets.h"
#include "report/site.h"
#include "support/test_support.h"

namespace leanscope::report {
namespace {

namespace fs = std::filesystem;
using leanscope::testing::read_text;
using leanscope::testing::TempDir;

constexpr TimeMs kHour = 3600'000;
constexpr TimeMs kT0 = 1'790'000'000'000;
const std::string kHostile = "<img src=x onerror=alert(1)>";

class SummaryCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_ / "data";
    site_ = dir_ / "site";
    for (int i = 0; i < 3; ++i) {
      archive::Devnet d;
      d.start = kT0 + i * 2 * kHour;
      d.end = d.start + kHour;
      d.id = archive::devnet_id_for(d.start);
      d.duration_hours = 1;
      d.clients = {"ream_0", "zeam_0", kHostile};
      file_.devnets.push_back(d);
      write_peers(d, 1 + i);
    }
    ASSERT_TRUE(archive::save_devnets(data_, file_).ok());
  }

  void write_peers(const archive::Devnet& d, double peers) {
    const auto* spec = archive::find_dataset("network_peers");
    ASSERT_NE(spec, nullptr);
    archive::DatasetTableBuilder builder(*spec, {});
    for (const char* job : {"ream_0", "zeam_0"}) {
      std::vector<TimeMs> t;
      std::vector<double> v;
      for (int m = 0; m <= 60; ++m) {
        t.push_back(d.start + m * 60'000LL);
        v.push_back(peers);
      }
      builder.add_series(spec->queries.at(0), {{"job", job}, {"instance", "i"}}, t, v);
    }
    ASSERT_TRUE(builder.write(archive::dataset_path(data_, d.id, "network_peers"), "lean_connected_peers").ok());
  }

  Result<RenderSummary> render(const std::string& devnet = "all") {
    RenderOptions o;
    o.data_dir = data_;
    o.out = site_;
    o.devnet = devnet;
    return render_site(o);
  }

  SummaryInputs inputs() {
    manifest_ = *archive::load_manifest(data_);
    return {data_, &manifest_, file_.thresholds, {}};
  }

  TempDir dir_;
  fs::path data_, site_;
  archive::DevnetsFile file_;
  archive::Manifest manifest_;
};

TEST_F(SummaryCacheTest, RenderCachesEverySummaryWithItsInputsAndWritesCompare) {
  ASSERT_TRUE(render().ok());
  const auto in = inputs();
  for (const auto& d : file_.devnets) {
    const std::string hash = summary_inputs_hash(in, d);
    auto cached = read_cached_summary(site_, d.id, hash);
    ASSERT_TRUE(cached.has_value()) << d.id;
    auto s = analysis::parse_summary_record(*cached, d.id);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->devnet, d.id);
    EXPECT_FALSE(read_cached_summary(site_, d.id, "0000000000000000").has_value());
    bool from_cache = false;
    auto again = devnet_summary(in, site_, d, /*store=*/false, &from_cache);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(from_cache);
  }
  const std::string page = read_text(site_ / "compare.html");
  for (const auto& d : file_.devnets) EXPECT_NE(page.find(d.id), std::string::npos) << d.id;
  // Peers rose from devnet to devnet: marked better.
  EXPECT_NE(page.find("class=\"delta better\""), std::string::npos);
  EXPECT_EQ(page.find("class=\"delta worse\""), std::string::npos);
  EXPECT_EQ(page.find(kHostile), std::string::npos);
  EXPECT_NE(page.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(read_text(site_ / "index.html").find("href=\"compare.html\""), std::string::npos);
}

TEST_F(SummaryCacheTest, OnlyAChangedDevnetIsAnalysedAgain) {
  ASSERT_TRUE(render().ok());
  std::vector<fs::file_time_type> before;
  for (const auto& d : file_.devnets) before.push_back(fs::last_write_time(cached_summary_path(site_, d.id)));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_peers(file_.devnets[1], 0.5);
  ASSERT_TRUE(render().ok());
  EXPECT_EQ(fs::last_write_time(cached_summary_path(site_, file_.devnets[0].id)), before[0]);
  EXPECT_NE(fs::last_write_time(cached_summary_path(site_, file_.devnets[1].id)), before[1]);
  EXPECT_EQ(fs::last_write_time(cached_summary_path(site_, file_.devnets[2].id)), before[2]);
  // The middle devnet's peers fell, then rose again after it.
  const std::string page = read_text(site_ / "compare.html");
  EXPECT_NE(page.find("class=\"delta worse\""), std::string::npos);
}

TEST_F(SummaryCacheTest, AStaleOrCorruptCacheIsNotUsed) {
  ASSERT_TRUE(render().ok());
  const auto in = inputs();
  const auto& d = file_.devnets[0];
  const fs::path path = cached_summary_path(site_, d.id);
  std::string text = read_text(path);
  // A cache with the right hash but a broken body: analysed again.
  testing::write_text(path, text.substr(0, text.find(",") + 1) + "\"summary\":{}}");
  bool from_cache = true;
  auto s = devnet_summary(in, site_, d, /*store=*/true, &from_cache);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(from_cache);
  EXPECT_EQ(s->devnet, d.id);
  EXPECT_EQ(read_text(path), text);  // stored again, as render wrote it
}

TEST_F(SummaryCacheTest, RenderingOneDevnetComparesOnlyDevnetsWithSummaries) {
  ASSERT_TRUE(render(file_.devnets[1].id).ok());
  EXPECT_TRUE(fs::exists(cached_summary_path(site_, file_.devnets[1].id)));
  EXPECT_FALSE(fs::exists(site_ / file_.devnets[0].id));  // never rendered: not analysed, no folder
  std::string page = read_text(site_ / "compare.html");
  EXPECT_NE(page.find(file_.devnets[1].id), std::string::npos);
  EXPECT_EQ(page.find(file_.devnets[0].id), std::string::npos);
  EXPECT_NE(page.find("2 devnets of devnets.json are not rendered yet"), std::string::npos);
  // Rendering another adds it; the first is read from its cache.
  ASSERT_TRUE(render(file_.devnets[2].id).ok());
  page = read_text(site_ / "compare.html");
  EXPECT_NE(page.find(file_.devnets[1].id), std::string::npos);
  EXPECT_NE(page.find(file_.devnets[2].id), std::string::npos);
  EXPECT_NE(page.find("1 devnet of devnets.json is not rendered yet"), std::string::npos);
}

TEST_F(SummaryCacheTest, SummaryPrintsFromTheCacheWhileTheInputsAreUnchanged) {
  ASSERT_TRUE(render().ok());
  const auto in = inputs();
  const auto& d = file_.devnets[1];
  auto analysed =
      analysis::analyse_devnet(data_, d, analysis::all_reports(), file_.thresholds, {}, analysis::drop_charts_of_model);
  ASSERT_TRUE(analysed.ok());
  bool from_cache = false;
  auto cached = devnet_summary_models(in, site_, d, &from_cache);
  ASSERT_TRUE(cached.ok()) << cached.error().message;
  EXPECT_TRUE(from_cache);
  EXPECT_EQ(analysis::summary_json(*cached, true), analysis::summary_json(*analysed, true));
  EXPECT_EQ(analysis::summary_table(*cached), analysis::summary_table(*analysed));
  EXPECT_EQ(analysis::summary_csv(*cached), analysis::summary_csv(*analysed));
  // What is printed is the cache's: a title changed in it shows.
  const fs::path path = cached_summary_path(site_, d.id);
  std::string text = read_text(path);
  const std::string title = "\"title\":\"Networking\"";
  text.replace(text.find(title), title.size(), "\"title\":\"Cached.....\"");
  testing::write_text(path, text);
  cached = devnet_summary_models(in, site_, d, &from_cache);
  ASSERT_TRUE(cached.ok());
  EXPECT_TRUE(from_cache);
  EXPECT_NE(analysis::summary_table(*cached).find("\nCached.....\n"), std::string::npos);
  // Changed data: analysed again, the cache left as it is for render.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_peers(d, 7);
  cached = devnet_summary_models(inputs(), site_, d, &from_cache);
  ASSERT_TRUE(cached.ok());
  EXPECT_FALSE(from_cache);
  EXPECT_EQ(analysis::summary_table(*cached).find("Cached....."), std::string::npos);
  EXPECT_EQ(read_text(path), text);
}

TEST_F(SummaryCacheTest, SummaryAnalysesAgainARecordWithoutItsReports) {
  ASSERT_TRUE(render().ok());
  const auto& d = file_.devnets[0];
  const fs::path path = cached_summary_path(site_, d.id);
  const std::string text = read_text(path);
  // A record of an older leanscope (the same hash): figures only.
  testing::write_text(path, text.substr(0, text.find(",\"reports\":")) + "}\n");
  bool from_cache = true;
  auto models = devnet_summary_models(inputs(), site_, d, &from_cache);
  ASSERT_TRUE(models.ok()) << models.error().message;
  EXPECT_FALSE(from_cache);
  EXPECT_EQ(models->models.size(), analysis::all_reports().size());
}

}  // namespace
}  // namespace leanscope::report
