// parquet.h, TableWriter: a file written a row group at a time.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "archive/parquet/parquet.h"
#include "common/fs.h"
#include "support/test_support.h"

namespace leanscope::parquet {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// client (string), timestamp, value (nullable double) of rows [first, first + rows).
Table rows_table(std::size_t first, std::size_t rows) {
  Table t;
  t.num_rows = rows;
  Column client;
  client.name = "client";
  client.kind = ValueKind::String;
  client.dict = {"zeam", "ream", "qlean", "lantern"};
  Column ts;
  ts.name = "timestamp";
  ts.kind = ValueKind::Timestamp;
  Column value;
  value.name = "value";
  value.kind = ValueKind::Double;
  value.nullable = true;
  for (std::size_t r = first; r < first + rows; ++r) {
    client.codes.push_back(static_cast<std::uint32_t>(r / 300 % 4));
    ts.ints.push_back(1763913060000 + static_cast<std::int64_t>(r) * 60000);
    value.doubles.push_back(static_cast<double>(r % 977) * 0.5);
    value.valid.push_back(r % 11 != 0);
  }
  t.columns = {client, ts, value};
  return t;
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

TEST(TableWriter, RowGroupsFromSeparateTablesGiveWriteTablesBytes) {
  TempDir dir;
  WriteOptions options;
  options.row_group_rows = 1000;
  Table whole = rows_table(0, 3500);
  whole.metadata = {{"promql", "lean_head_slot"}, {"devnet", "x"}};
  auto expected = encode_table(whole, options);
  ASSERT_TRUE(expected.ok());

  auto writer = TableWriter::open(dir / "streamed.parquet", rows_table(0, 0), options);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  for (std::size_t first = 0; first < 3500; first += 1000) {
    // Each group its own table, as a streaming producer holds them.
    const Table group = rows_table(first, std::min<std::size_t>(1000, 3500 - first));
    ASSERT_TRUE(writer->write_row_group(group, 0, group.num_rows).ok());
  }
  EXPECT_EQ(writer->rows_written(), 3500u);
  EXPECT_FALSE(fs::exists(dir / "streamed.parquet"));  // not before finish()
  ASSERT_TRUE(writer->finish(whole.metadata).ok());
  auto bytes = read_file(dir / "streamed.parquet");
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(*bytes == *expected);
  EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"streamed.parquet"});

  auto info = inspect(dir / "streamed.parquet");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->row_groups.size(), 4u);
  auto back = read_table(dir / "streamed.parquet");
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->num_rows, 3500u);
  EXPECT_EQ(back->columns[1].ints, whole.columns[1].ints);
  EXPECT_EQ(back->columns[0].string_at(3499), whole.columns[0].string_at(3499));
}

TEST(TableWriter, WriteTableIsTheWriterOverTheWholeTable) {
  TempDir dir;
  WriteOptions options;
  options.row_group_rows = 700;
  const Table whole = rows_table(5, 2000);
  ASSERT_TRUE(write_table(dir / "a.parquet", whole, options).ok());
  auto a = read_file(dir / "a.parquet");
  auto expected = encode_table(whole, options);
  ASSERT_TRUE(a.ok() && expected.ok());
  EXPECT_TRUE(*a == *expected);
}

TEST(TableWriter, AbandonedWriterLeavesNoFile) {
  TempDir dir;
  {
    auto writer = TableWriter::open(dir / "gone.parquet", rows_table(0, 0));
    ASSERT_TRUE(writer.ok());
    const Table group = rows_table(0, 100);
    ASSERT_TRUE(writer->write_row_group(group, 0, 100).ok());
    EXPECT_EQ(files_in(dir.path()).size(), 1u);  // the temporary file
  }
  EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(TableWriter, ARowGroupOfOtherColumnsOrBadRowsIsAnErrorNamingTheFile) {
  TempDir dir;
  auto writer = TableWriter::open(dir / "x.parquet", rows_table(0, 0));
  ASSERT_TRUE(writer.ok());
  Table other = rows_table(0, 10);
  other.columns[2].name = "val";
  auto s = writer->write_row_group(other, 0, 10);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("x.parquet"), std::string::npos) << s.error().message;
  EXPECT_FALSE(writer->write_row_group(rows_table(0, 10), 5, 11).ok());
  Table bad = rows_table(0, 10);
  bad.columns[0].codes[3] = 99;
  EXPECT_FALSE(writer->write_row_group(bad, 0, 10).ok());
  ASSERT_TRUE(writer->finish({}).ok());
  auto back = read_table(dir / "x.parquet");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->num_rows, 0u);
  EXPECT_FALSE(writer->finish({}).ok());  // already finished
}

}  // namespace
}  // namespace leanscope::parquet
