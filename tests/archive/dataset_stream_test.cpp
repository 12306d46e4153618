// datasets.h, DatasetStreamWriter: DatasetTableBuilder's file, a row group at a time.
#include <gtest/gtest.h>

#include "archive/datasets.h"
#include "archive/parquet/parquet.h"
#include "common/fs.h"
#include "support/test_support.h"

namespace leanscope::archive {
namespace {

struct TestSeries {
  Labels labels;
  std::vector<TimeMs> t;
  std::vector<double> v;
};

TestSeries minutes(const std::string& job, TimeMs from, std::size_t n) {
  TestSeries s{{{"job", job}, {"instance", job + ":8080"}}, {}, {}};
  for (std::size_t i = 0; i < n; ++i) {
    s.t.push_back(from + static_cast<TimeMs>(i) * 60'000);
    s.v.push_back(static_cast<double>(i % 1000));
  }
  return s;
}

TEST(DatasetStreamWriter, WritesTheBuildersBytesOverSeveralRowGroupsAndDropsARenamesRepeatedRows) {
  testing::TempDir dir;
  const DatasetSpec& spec = *find_dataset("validators_count");
  const ClientNameMap names({"ream", "ream_0", "zeam_0"});
  // The successor comes first (first seen in an earlier iteration), then
  // more than a row group of another client, then the bare job, whose last
  // two minutes the successor has too.
  const std::vector<TestSeries> series{minutes("ream_0", 1'000 * 60'000, 50), minutes("zeam_0", 0, 1'100'000),
                                       minutes("ream", 952 * 60'000, 50)};
  DatasetTableBuilder builder(spec, names);
  for (const auto& s : series) builder.add_series(spec.queries[0], s.labels, s.t, s.v);
  const std::size_t rows = builder.rows();
  ASSERT_TRUE(builder.write(dir / "built.parquet", "promql", {{"devnet", "d"}}).ok());

  DatasetStreamWriter writer(spec, names);
  for (const auto& s : series) writer.declare(spec.queries[0], s.labels, s.t.size());
  EXPECT_EQ(writer.rows(), rows);
  EXPECT_EQ(writer.needs_times(), (std::vector<std::size_t>{0, 2}));  // ream_0's series and the bare one
  for (std::size_t k : writer.needs_times()) writer.check(k, series[k].t);
  ASSERT_TRUE(writer.open(dir / "streamed.parquet").ok());
  for (std::size_t k = 0; k < series.size(); ++k) ASSERT_TRUE(writer.add(k, series[k].t, series[k].v).ok());
  ASSERT_TRUE(writer.finish("promql", {{"devnet", "d"}}).ok());

  auto built = read_file(dir / "built.parquet");
  auto streamed = read_file(dir / "streamed.parquet");
  ASSERT_TRUE(built.ok() && streamed.ok());
  EXPECT_TRUE(*built == *streamed);
  auto info = parquet::inspect(dir / "streamed.parquet");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->row_groups.size(), 2u);
  EXPECT_EQ(info->num_rows, static_cast<std::int64_t>(rows - 2));
}

}  // namespace
}  // namespace leanscope::archive
