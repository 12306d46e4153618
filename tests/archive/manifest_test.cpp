#include "archive/manifest.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace leanscope::archive {
namespace {

TEST(Manifest, MissingFileIsEmpty) {
  testing::TempDir dir;
  auto m = load_manifest(dir.path());
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->devnets.empty());
}

TEST(Manifest, SaveAndLoadKeepEveryRecord) {
  testing::TempDir dir;
  Manifest m;
  m.devnets["pqdevnet-20260101T0000Z"]["head_slot"] = {1'767'225'600'000, 1234, 5678, "abc123"};
  m.devnets["pqdevnet-20260101T0000Z"]["node_info"] = {1'767'225'660'000, 6, 900, "def"};
  ASSERT_TRUE(save_manifest(dir.path(), m));
  auto loaded = load_manifest(dir.path());
  ASSERT_TRUE(loaded) << loaded.error().message;
  const auto& r = loaded->devnets.at("pqdevnet-20260101T0000Z").at("head_slot");
  EXPECT_EQ(r.fetched_at, 1'767'225'600'000);
  EXPECT_EQ(r.row_count, 1234);
  EXPECT_EQ(r.file_size_bytes, 5678);
  EXPECT_EQ(r.query_hash, "abc123");
  EXPECT_EQ(loaded->devnets.at("pqdevnet-20260101T0000Z").size(), 2u);
}

TEST(Manifest, ErrorsNameTheField) {
  auto bad = parse_manifest(R"({"devnets":{"d1":{"datasets":{"head_slot":{"fetched_at":"2026-01-01T00:00:00Z",
      "row_count":-1,"file_size_bytes":3}}}}})",
                            "m.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "m.json: devnets.d1.datasets.head_slot.row_count must be a non-negative integer");
}

TEST(Manifest, DatasetPathIsDevnetFolderAndDatasetFile) {
  EXPECT_EQ(dataset_path("data", "pqdevnet-x", "head_slot"),
            std::filesystem::path("data/pqdevnet-x/head_slot.parquet"));
}

}  // namespace
}  // namespace leanscope::archive
