// `leanscope parquet schema|cat|stats` on files written by the codec and on
// the broken fixtures: exact output, one-line errors, exit codes.
#include <gtest/gtest.h>
#include <sys/stat.h>

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

TEST(ParquetCli, AFifoIsRefusedAtOnceNotWaitedOn) {
  TempDir dir;
  const auto fifo = dir / "t.parquet";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const char* command : {"schema", "cat", "stats"}) {
    auto r = run_leanscope({"parquet", command, fifo.string()}, 20);
    EXPECT_EQ(r.exit_code, 1) << command << ": " << r.err;  // -1: killed after waiting 20 s
    EXPECT_EQ(r.err, "leanscope: error: " + fifo.string() + ": not a regular file (a FIFO, socket or device)\n");
  }
}

// A string column holding terminal escapes (a window title, a colour, a CSI).
Table hostile_table() {
  Table t;
  t.num_rows = 1;
  Column s;
  s.name = "client";
  s.kind = ValueKind::String;
  s.dict = {
      "ream_0\x1b]0;pwned\x07\x1b[31mred\xc2\x9b"
      "2J"};
  s.codes = {0};
  t.columns = {s};
  t.metadata = {{"promql", "x\x1b[2Jy"}};
  return t;
}

TEST(ParquetCli, EscapesReachATerminalEscapedButPipesFaithfully) {
  TempDir dir;
  auto path = (dir / "t.parquet").string();
  ASSERT_TRUE(write_table(path, hostile_table()).ok());
  // Into a pipe: CSV as stored, JSON escaped by JSON's rules.
  auto csv = run_leanscope({"parquet", "cat", path});
  EXPECT_EQ(csv.out,
            "client\nream_0\x1b]0;pwned\x07\x1b[31mred\xc2\x9b"
            "2J\n");
  auto json = run_leanscope({"parquet", "cat", "--format", "json", path});
  EXPECT_EQ(json.out,
            "{\"client\":\"ream_0\\u001b]0;pwned\\u0007\\u001b[31mred\xc2\x9b"
            "2J\"}\n");
  // The schema table is for people: escaped even into a pipe.
  auto schema = run_leanscope({"parquet", "schema", path});
  EXPECT_EQ(schema.out.find('\x1b'), std::string::npos) << schema.out;
  EXPECT_NE(schema.out.find("x\\x1b[2Jy"), std::string::npos) << schema.out;
  // On a terminal (script(1) gives the command one): escaped.
  if (!testing::have_program("script")) GTEST_SKIP() << "script(1) not installed";
  auto tty = testing::run_command(
      {"script", "-qec", testing::leanscope_binary().string() + " parquet cat " + path, "/dev/null"}, 60);
  EXPECT_EQ(tty.exit_code, 0) << tty.err;
  EXPECT_EQ(tty.out.find('\x1b'), std::string::npos) << tty.out;
  EXPECT_EQ(tty.out.find('\x07'), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("ream_0\\x1b]0;pwned\\x07\\x1b[31mred\\xc2\\x9b2J"), std::string::npos) << tty.out;
}

}  // namespace
}  // namespace leanscope::parquet
