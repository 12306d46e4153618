// The report registry: every report's settings are known by key, and a
// report that would declare a dataset or setting twice is refused.
#include "analysis/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

bool has_setting(std::string_view key) {
  const auto all = all_settings();
  return std::any_of(all.begin(), all.end(), [&](const SettingSpec& s) { return s.key == key; });
}

ReportDefinition minimal(std::string id) {
  ReportDefinition r;
  r.id = std::move(id);
  r.title = "Minimal";
  r.datasets = {"head_slot"};
  r.analyse = [](const DevnetData&) -> Result<ReportModel> { return ReportModel{}; };
  return r;
}

TEST(Registry, NetworkingComesFirstWithItsSettings) {
  ASSERT_FALSE(reports().empty());
  EXPECT_EQ(reports().front().id, "networking");
  EXPECT_TRUE(has_setting("isolated.minutes"));
  EXPECT_EQ(find_report("nope"), nullptr);
}

// A report declares exactly what its analysis reads: reading an undeclared
// dataset asserts, and here every declared one must be read (node_info, the
// versions, is read for every report by DevnetData itself).
TEST(Registry, EveryReportReadsExactlyTheDatasetsItDeclares) {
  testing::TempDir dir;
  testing::TestArchive archive(dir.path());
  for (const auto& report : reports()) {
    auto data = DevnetData::load(dir.path(), archive.devnet(), report.datasets);
    ASSERT_TRUE(data.ok()) << report.id;
    ASSERT_TRUE(report.analyse(*data).ok()) << report.id;
    auto declared = report.datasets;
    std::sort(declared.begin(), declared.end());
    auto read = data->datasets_read();
    std::erase(read, "node_info");
    std::erase(declared, "node_info");
    EXPECT_EQ(read, declared) << report.id;
  }
}

// The guide's table of [findings] keys lists every setting a report declares.
TEST(Registry, TheGuideListsEverySetting) {
  const auto guide = testing::read_text(std::filesystem::path(LEANSCOPE_SOURCE_DIR) / "docs" / "GUIDE.md");
  for (const auto& s : all_settings()) {
    EXPECT_NE(guide.find("| `" + s.key + "` |"), std::string::npos) << s.key << " is missing from docs/GUIDE.md";
  }
}

TEST(Registry, RefusesUnknownDatasetsAndSettingsDeclaredTwice) {
  auto unknown = minimal("unknown-dataset");
  unknown.datasets = {"no_such_dataset"};
  EXPECT_EQ(register_report(unknown).error().message, "report 'unknown-dataset': unknown dataset 'no_such_dataset'");
  auto twice = minimal("twice");
  twice.settings = {{"isolated.minutes", 1, "again"}};
  EXPECT_EQ(register_report(twice).error().message, "report 'twice': setting 'isolated.minutes' is already declared");
  auto fine = minimal("fine");
  fine.settings = {{"fine.minutes", 2, "a new one"}};
  ASSERT_TRUE(register_report(fine).ok());
  // Removed when the test ends, passed or failed: tests share the process.
  const std::unique_ptr<const char, void (*)(const char*)> unregister(
      "fine", [](const char* id) { EXPECT_TRUE(unregister_report(id).ok()); });
  EXPECT_TRUE(has_setting("fine.minutes"));
  EXPECT_EQ(datasets_of({find_report("fine")}), (std::vector<std::string>{"head_slot"}));
}

TEST(Registry, RefusesATakeOfADatasetItDoesNotRead) {
  auto taker = minimal("taker");
  taker.takes = {"network_peers"};
  EXPECT_EQ(register_report(taker).error().message, "report 'taker': takes 'network_peers', which it does not read");
  EXPECT_EQ(find_report("taker"), nullptr);
}

// Each built-in report that takes a dataset runs after every report that
// only reads it, so that it takes the dataset without a copy; the networking
// report, which shares the most, runs last.
TEST(Registry, TakersRunAfterTheReportsThatReadWhatTheyTake) {
  const auto all = all_reports();
  const auto order = analysis_order(all);
  ASSERT_EQ(order.size(), all.size());
  std::vector<std::size_t> position(all.size());
  for (std::size_t p = 0; p < order.size(); ++p) position[order[p]] = p;
  std::size_t waits = 0;
  for (std::size_t k = 0; k < all.size(); ++k) {
    for (const auto& dataset : all[k]->takes) {
      for (std::size_t j = 0; j < all.size(); ++j) {
        const auto& r = *all[j];
        const bool reads = std::find(r.datasets.begin(), r.datasets.end(), dataset) != r.datasets.end();
        const bool takes = std::find(r.takes.begin(), r.takes.end(), dataset) != r.takes.end();
        if (j == k || !reads || takes) continue;
        ++waits;
        EXPECT_LT(position[j], position[k]) << all[k]->id << " takes " << dataset << ", which " << r.id << " reads";
      }
    }
  }
  EXPECT_GE(waits, 2u);  // consensus' head_slot, aggregation's validators_count
  EXPECT_EQ(all[order.back()]->id, "networking");
}

TEST(Registry, AReportRegisteredByATestCanBeRemovedButNotABuiltInOne) {
  const auto count = reports().size();
  ASSERT_TRUE(register_report(minimal("passing")).ok());
  EXPECT_EQ(reports().size(), count + 1);
  ASSERT_TRUE(unregister_report("passing").ok());
  EXPECT_EQ(reports().size(), count);
  EXPECT_EQ(find_report("passing"), nullptr);
  EXPECT_EQ(unregister_report("passing").error().message, "no report 'passing' is registered");
  EXPECT_EQ(unregister_report("networking").error().message, "report 'networking' is built in");
  EXPECT_NE(find_report("networking"), nullptr);
}

}  // namespace
}  // namespace leanscope::analysis
