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
