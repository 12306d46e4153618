// Interoperability with DuckDB, an independent Parquet implementation: files
// DuckDB writes in every combination are read by leanscope value for value,
// and archive-shaped files leanscope writes are read back by DuckDB.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <map>

#include "archive/parquet/parquet.h"
#include "support/test_support.h"

namespace leanscope::parquet {
namespace {

namespace fs = std::filesystem;
using testing::run_command;
using testing::source_dir;
using testing::TempDir;

testing::CommandResult run_oracle(const std::string& mode, const fs::path& target) {
  return run_command({"node", (source_dir() / "tests/parquet/duckdb_oracle.mjs").string(), mode, target.string()}, 300,
                     {"LEANSCOPE_WEB_DIR=" + (source_dir() / "web").string()});
}

// The canonical text of a value as duckdb_oracle.mjs prints it.
std::string canonical(const Column& c, std::size_t row, bool unsigned64) {
  switch (c.kind) {
    case ValueKind::Bool:
      return c.ints[row] ? "true" : "false";
    case ValueKind::String:
      return c.string_at(row);
    case ValueKind::Binary: {
      std::string hex;
      for (unsigned char ch : c.string_at(row)) hex += fmt::format("{:02x}", ch);
      return hex;
    }
    case ValueKind::Float:
    case ValueKind::Double:
      return fmt::format("{}", c.doubles[row]);
    default:
      if (unsigned64) return std::to_string(static_cast<std::uint64_t>(c.ints[row]));
      return std::to_string(c.ints[row]);
  }
}

struct Expected {
  ValueKind kind;
  TimeUnit unit = TimeUnit::Millis;
  bool utc = false;
};

const std::map<std::string, Expected> kExpectedKinds = {
    {"b", {ValueKind::Bool}},
    {"i8", {ValueKind::Int32}},
    {"i16", {ValueKind::Int32}},
    {"i32", {ValueKind::Int32}},
    {"i64", {ValueKind::Int64}},
    {"u8", {ValueKind::Int32}},
    {"u16", {ValueKind::Int32}},
    {"u32", {ValueKind::Int64}},
    {"u64", {ValueKind::Int64}},
    {"f", {ValueKind::Float}},
    {"d", {ValueKind::Double}},
    {"s_low", {ValueKind::String}},
    {"s_high", {ValueKind::String}},
    {"bin", {ValueKind::Binary}},
    {"dt", {ValueKind::Date}},
    {"ts_ms", {ValueKind::Timestamp, TimeUnit::Millis, false}},
    {"ts_us", {ValueKind::Timestamp, TimeUnit::Micros, false}},
    {"ts_ns", {ValueKind::Timestamp, TimeUnit::Nanos, false}},
    {"ts_tz", {ValueKind::Timestamp, TimeUnit::Micros, true}},
};

TEST(ParquetDuckdb, ReadsEveryVariantDuckdbWrites) {
  if (!testing::have_program("node")) GTEST_SKIP() << "node is not installed";
  TempDir dir;
  auto r = run_oracle("variants", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.load((dir / "expected.json").string());
  std::vector<std::string> names;
  for (auto n : doc["columns"].get_array()) names.emplace_back(std::string_view(n.get_string()));
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (auto row : doc["rows"].get_array()) {
    auto& out = rows.emplace_back();
    for (auto v : row.get_array()) {
      if (v.is_null()) {
        out.emplace_back();
      } else {
        out.emplace_back(std::string(std::string_view(v.get_string())));
      }
    }
  }
  ASSERT_EQ(rows.size(), 6000u);
  std::size_t variants = 0;
  for (auto v : doc["variants"].get_array()) {
    std::string variant(std::string_view(v.get_string()));
    SCOPED_TRACE(variant);
    ++variants;
    auto table = read_table(dir / (variant + ".parquet"));
    ASSERT_TRUE(table.ok()) << table.error().message;
    ASSERT_EQ(table->num_rows, rows.size());
    ASSERT_EQ(table->columns.size(), names.size());
    for (std::size_t c = 0; c < names.size(); ++c) {
      const Column& col = table->columns[c];
      ASSERT_EQ(col.name, names[c]);
      const Expected& want = kExpectedKinds.at(col.name);
      EXPECT_EQ(col.kind, want.kind) << col.name;
      if (want.kind == ValueKind::Timestamp) {
        EXPECT_EQ(col.unit, want.unit) << col.name;
        EXPECT_EQ(col.utc, want.utc) << col.name;
      }
      std::size_t mismatches = 0;
      for (std::size_t row = 0; row < rows.size() && mismatches < 5; ++row) {
        const auto& expected = rows[row][c];
        if (!expected) {
          if (!col.is_null(row)) ++mismatches, ADD_FAILURE() << col.name << " row " << row << ": expected null";
          continue;
        }
        if (col.is_null(row)) {
          ++mismatches;
          ADD_FAILURE() << col.name << " row " << row << ": null, expected " << *expected;
          continue;
        }
        if (col.kind == ValueKind::Float || col.kind == ValueKind::Double) {
          if (std::strtod(expected->c_str(), nullptr) != col.doubles[row]) {
            ++mismatches;
            ADD_FAILURE() << col.name << " row " << row << ": " << col.doubles[row] << " != " << *expected;
          }
          continue;
        }
        std::string got = canonical(col, row, col.name == "u64");
        if (got != *expected) {
          ++mismatches;
          ADD_FAILURE() << col.name << " row " << row << ": " << got << " != " << *expected;
        }
      }
    }
  }
  EXPECT_EQ(variants, 24u);
}

Table archive_table(std::size_t rows) {
  Table t;
  t.num_rows = rows;
  Column client;
  client.name = "client";
  client.kind = ValueKind::String;
  client.dict = {"zeam", "ream", "qlean", "lantern", "grandine"};
  Column instance;
  instance.name = "instance";
  instance.kind = ValueKind::String;
  instance.nullable = true;
  for (int i = 0; i < 30; ++i) instance.dict.push_back(fmt::format("host-{}:8080", i));
  Column ts;
  ts.name = "timestamp";
  ts.kind = ValueKind::Timestamp;
  Column value;
  value.name = "value";
  value.kind = ValueKind::Double;
  value.nullable = true;
  for (std::size_t i = 0; i < rows; ++i) {
    client.codes.push_back(static_cast<std::uint32_t>(i / 700 % 5));
    instance.codes.push_back(static_cast<std::uint32_t>(i * 7 % 30));
    instance.valid.push_back(i % 13 != 0);
    ts.ints.push_back(1763913060000 + static_cast<std::int64_t>(i) * 4000);
    value.doubles.push_back(static_cast<double>(i) * 0.1 - 50);
    value.valid.push_back(i % 17 != 0);
  }
  t.columns = {client, instance, ts, value};
  t.metadata = {{"promql", "sum by (job) (lean_head_slot)"}};
  return t;
}

// DuckDB reads `path` as an archive file holding `table`'s rows, in order.
void expect_duckdb_reads(const fs::path& path, const Table& table) {
  auto r = run_oracle("archive", path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.out);
  std::vector<std::string> types;
  for (auto t : doc["types"].get_array()) types.emplace_back(std::string_view(t["column_type"].get_string()));
  EXPECT_EQ(types, (std::vector<std::string>{"VARCHAR", "VARCHAR", "TIMESTAMP WITH TIME ZONE", "DOUBLE"}));
  auto meta = doc["meta"].get_array().at(0);
  EXPECT_EQ(std::string_view(meta["key"].get_string()), "promql");
  EXPECT_EQ(std::string_view(meta["value"].get_string()), "sum by (job) (lean_head_slot)");
  std::size_t row = 0;
  for (auto values : doc["rows"].get_array()) {
    auto v = values.get_array();
    ASSERT_EQ(std::string_view(v.at(0).get_string()), table.columns[0].string_at(row));
    if (table.columns[1].is_null(row)) {
      ASSERT_TRUE(v.at(1).is_null()) << row;
    } else {
      ASSERT_EQ(std::string_view(v.at(1).get_string()), table.columns[1].string_at(row));
    }
    ASSERT_EQ(std::string(std::string_view(v.at(2).get_string())), std::to_string(table.columns[2].ints[row]));
    if (table.columns[3].is_null(row)) {
      ASSERT_TRUE(v.at(3).is_null()) << row;
    } else {
      ASSERT_EQ(std::strtod(std::string(std::string_view(v.at(3).get_string())).c_str(), nullptr),
                table.columns[3].doubles[row]);
    }
    ++row;
  }
  EXPECT_EQ(row, table.num_rows);
}

TEST(ParquetDuckdb, DuckdbReadsArchiveFilesLeanscopeWrites) {
  if (!testing::have_program("node")) GTEST_SKIP() << "node is not installed";
  TempDir dir;
  const Table table = archive_table(5000);
  for (auto compression : {Compression::Uncompressed, Compression::Snappy, Compression::Gzip, Compression::Zstd,
                           Compression::Lz4Raw, Compression::Brotli}) {
    for (std::size_t dictionary_limit : {std::size_t{1} << 20, std::size_t{64}}) {
      SCOPED_TRACE(fmt::format("{} dictionary limit {}", compression_name(compression), dictionary_limit));
      WriteOptions options;
      options.compression = compression;
      options.row_group_rows = 1200;
      options.dictionary_limit_bytes = dictionary_limit;
      options.data_page_bytes = 4096;
      auto path = dir / fmt::format("archive_{}_{}.parquet", compression_name(compression), dictionary_limit);
      ASSERT_TRUE(write_table(path, table, options).ok());
      expect_duckdb_reads(path, table);
    }
  }
}

TEST(ParquetDuckdb, DuckdbReadsAppendedFiles) {
  if (!testing::have_program("node")) GTEST_SKIP() << "node is not installed";
  TempDir dir;
  const Table table = archive_table(5000);
  WriteOptions options;
  options.row_group_rows = 1200;
  options.data_page_bytes = 4096;
  const auto path = dir / "appended.parquet";
  ASSERT_TRUE(write_table(path, table, options).ok());
  // Rows from 3000 on replaced by others (values moved): groups 0 and 1 kept
  // as bytes, group 2 re-encoded up to row 3000, then the new rows, sealed
  // apart (seal_rows 100), then appended to again.
  Table tail = archive_table(7000);
  for (auto& c : tail.columns) {
    auto cut = [](auto& v) {
      if (!v.empty()) v.erase(v.begin(), v.begin() + 3000);
    };
    cut(c.valid);
    cut(c.ints);
    cut(c.doubles);
    cut(c.codes);
  }
  tail.num_rows = 4000;
  for (auto& v : tail.columns[3].doubles) v += 1;
  AppendOptions append;
  append.before_ms = table.columns[2].ints[3000];
  append.seal_rows = 100;
  auto stats = append_table(path, tail, append, options);
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->kept_groups, 2u);
  Table expected = archive_table(7000);
  for (std::size_t r = 3000; r < 7000; ++r) expected.columns[3].doubles[r] += 1;
  expect_duckdb_reads(path, expected);
}

TEST(ParquetDuckdb, DuckdbReadsAFileWrittenARowGroupAtATime) {
  if (!testing::have_program("node")) GTEST_SKIP() << "node is not installed";
  TempDir dir;
  const Table table = archive_table(3000);
  WriteOptions options;
  options.row_group_rows = 1000;
  auto writer = TableWriter::open(dir / "streamed.parquet", table, options);
  ASSERT_TRUE(writer.ok());
  for (std::size_t begin = 0; begin < 3000; begin += 700)
    ASSERT_TRUE(writer->write_row_group(table, begin, std::min<std::size_t>(3000, begin + 700)).ok());
  ASSERT_TRUE(writer->finish(table.metadata).ok());
  auto r = run_oracle("archive", dir / "streamed.parquet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.out);
  std::size_t row = 0;
  for (auto values : doc["rows"].get_array()) {
    auto v = values.get_array();
    ASSERT_EQ(std::string_view(v.at(0).get_string()), table.columns[0].string_at(row));
    ASSERT_EQ(std::string(std::string_view(v.at(2).get_string())), std::to_string(table.columns[2].ints[row]));
    ++row;
  }
  EXPECT_EQ(row, table.num_rows);
}

}  // namespace
}  // namespace leanscope::parquet
