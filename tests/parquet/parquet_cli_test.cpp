// `leanscope parquet schema|cat|stats` on files written by the codec and on
// the broken fixtures: exact output, one-line errors, exit codes.
#include <gtest/gtest.h>

#include "archive/parquet/parquet.h"
#include "support/test_support.h"

namespace leanscope::parquet {
namespace {

using testing::run_leanscope;
using testing::TempDir;

Table cli_table() {
  Table t;
  t.num_rows = 3;
  Column s;
  s.name = "client";
  s.kind = ValueKind::String;
  s.nullable = true;
  s.dict = {"zeam", "a,\"b\"", ""};
  s.codes = {0, 1, 2};
  s.valid = {1, 1, 0};
  Column ts;
  ts.name = "timestamp";
  ts.kind = ValueKind::Timestamp;
  ts.unit = TimeUnit::Micros;
  ts.ints = {1763913060123456, 1763913061000000, -1};
  Column v;
  v.name = "value";
  v.kind = ValueKind::Double;
  v.nullable = true;
  v.doubles = {0.1, std::numeric_limits<double>::quiet_NaN(), 0};
  v.valid = {1, 1, 0};
  Column bin;
  bin.name = "raw";
  bin.kind = ValueKind::Binary;
  bin.dict = {std::string("\x00\xff", 2)};
  bin.codes = {0, 0, 0};
  Column day;
  day.name = "day";
  day.kind = ValueKind::Date;
  day.ints = {0, 20415, -1};
  t.columns = {s, ts, v, bin, day};
  t.metadata = {{"promql", "lean_head_slot"}};
  return t;
}

TEST(ParquetCli, CatCsv) {
  TempDir dir;
  auto path = (dir / "t.parquet").string();
  ASSERT_TRUE(write_table(path, cli_table()).ok());
  auto r = run_leanscope({"parquet", "cat", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "client,timestamp,value,raw,day\n"
            "zeam,2025-11-23T15:51:00.123456Z,0.1,00ff,1970-01-01\n"
            "\"a,\"\"b\"\"\",2025-11-23T15:51:01.000000Z,NaN,00ff,2025-11-23\n"
            ",1969-12-31T23:59:59.999999Z,,00ff,1969-12-31\n");
}

TEST(ParquetCli, CatJsonWithColumnsAndLimit) {
  TempDir dir;
  auto path = (dir / "t.parquet").string();
  ASSERT_TRUE(write_table(path, cli_table()).ok());
  auto r = run_leanscope({"parquet", "cat", path, "--format", "json", "--columns", "value,client", "--limit", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"value\":0.1,\"client\":\"zeam\"}\n{\"value\":null,\"client\":\"a,\\\"b\\\"\"}\n");
}

TEST(ParquetCli, SchemaShowsTypesAndMetadata) {
  TempDir dir;
  auto path = (dir / "t.parquet").string();
  ASSERT_TRUE(write_table(path, cli_table()).ok());
  auto r = run_leanscope({"parquet", "schema", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("timestamp  INT64       TIMESTAMP(MICROS, UTC)  REQUIRED\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client     BYTE_ARRAY  STRING                  OPTIONAL\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  promql  lean_head_slot\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rows            3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compression     ZSTD\n"), std::string::npos) << r.out;
}

TEST(ParquetCli, StatsShowsMinMaxAndNulls) {
  TempDir dir;
  auto path = (dir / "t.parquet").string();
  ASSERT_TRUE(write_table(path, cli_table()).ok());
  auto r = run_leanscope({"parquet", "stats", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("row group 0: 3 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1969-12-31T23:59:59.999999Z  2025-11-23T15:51:01.000000Z"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client     3       1      a,\"b\""), std::string::npos) << r.out;
}

TEST(ParquetCli, BrokenFileIsOneLineError) {
  auto path = (testing::source_dir() / "tests/parquet/broken/dictionary_index_out_of_range.parquet").string();
  auto r = run_leanscope({"parquet", "cat", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "leanscope: error: " + path +
                       ": column 's': row group 0: page at byte 27: dictionary index 3 is out of range (dictionary "
                       "of 2)\n");
}

}  // namespace
}  // namespace leanscope::parquet
