// The public Parquet API: writing, reading back, errors.
#include "archive/parquet/parquet.h"

#include <gtest/gtest.h>

#include <bit>
#include <filesystem>
#include <limits>

#include "support/test_support.h"

namespace leanscope::parquet {
namespace {

Column make_column(std::string name, ValueKind kind, bool nullable = false) {
  Column c;
  c.name = std::move(name);
  c.kind = kind;
  c.nullable = nullable;
  return c;
}

Table small_table() {
  Table t;
  t.num_rows = 3;
  Column client = make_column("client", ValueKind::String);
  client.dict = {"zeam", "ream"};
  client.codes = {0, 1, 0};
  Column value = make_column("value", ValueKind::Double);
  value.doubles = {1.5, 2.5, 3.5};
  t.columns = {client, value};
  t.metadata = {{"promql", "up"}};
  return t;
}

TEST(ParquetWriter, FileStartsAndEndsWithMagic) {
  auto bytes = encode_table(small_table());
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  ASSERT_GT(bytes->size(), 12u);
  EXPECT_EQ(bytes->substr(0, 4), "PAR1");
  EXPECT_EQ(bytes->substr(bytes->size() - 4), "PAR1");
}

TEST(ParquetWriter, RejectsColumnOfWrongLength) {
  Table t = small_table();
  t.columns[1].doubles.pop_back();
  auto bytes = encode_table(t);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "column 'value' has 2 values but the table has 3 rows");
}

TEST(ParquetWriter, RejectsCodeOutsideDictionary) {
  Table t = small_table();
  t.columns[0].codes[2] = 7;
  auto bytes = encode_table(t);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "column 'client': code 7 at row 2 is outside its dictionary of 2");
}

// A table with one column of every writable kind, nulls in the nullable ones.
Table every_kind(std::size_t rows) {
  Table t;
  t.num_rows = rows;
  Column s = make_column("s", ValueKind::String, true);
  s.dict = {"alpha", "beta", "", "gamma \"quoted\", comma"};
  Column bin = make_column("bin", ValueKind::Binary);
  bin.dict = {std::string("\x00\x01", 2), "\xff"};
  Column d = make_column("d", ValueKind::Double, true);
  Column f = make_column("f", ValueKind::Float);
  Column i64 = make_column("i64", ValueKind::Int64);
  Column i32 = make_column("i32", ValueKind::Int32, true);
  Column b = make_column("b", ValueKind::Bool, true);
  Column date = make_column("date", ValueKind::Date);
  Column ms = make_column("ms", ValueKind::Timestamp);
  Column us = make_column("us", ValueKind::Timestamp, true);
  us.unit = TimeUnit::Micros;
  Column ns = make_column("ns", ValueKind::Timestamp);
  ns.unit = TimeUnit::Nanos;
  ns.utc = false;
  for (std::size_t i = 0; i < rows; ++i) {
    auto k = static_cast<std::int64_t>(i);
    s.codes.push_back(static_cast<std::uint32_t>(i % 4));
    s.valid.push_back(i % 5 != 1);
    bin.codes.push_back(static_cast<std::uint32_t>(i % 2));
    d.doubles.push_back(static_cast<double>(k) * 1.25 - 7);
    d.valid.push_back(i % 3 != 0);
    f.doubles.push_back(static_cast<double>(static_cast<float>(k) * 0.5f));
    i64.ints.push_back(k * 1000003 - (std::int64_t{1} << 40));
    i32.ints.push_back(k % 2 ? -k : k);
    i32.valid.push_back(i % 7 != 2);
    b.ints.push_back(i % 3 == 1);
    b.valid.push_back(i % 4 != 3);
    date.ints.push_back(19000 + k);
    ms.ints.push_back(1763913060000 + k * 1000);
    us.ints.push_back(1763913060000000 + k * 7);
    us.valid.push_back(i % 6 != 5);
    ns.ints.push_back(-k * 1000000001);
  }
  t.columns = {s, bin, d, f, i64, i32, b, date, ms, us, ns};
  t.metadata = {{"promql", "up"}, {"other", ""}};
  return t;
}

// Compares two tables value by value (dictionaries may differ; strings must not).
void expect_same(const Table& want, const Table& got) {
  ASSERT_EQ(got.num_rows, want.num_rows);
  ASSERT_EQ(got.columns.size(), want.columns.size());
  EXPECT_EQ(got.metadata, want.metadata);
  for (std::size_t c = 0; c < want.columns.size(); ++c) {
    const Column& w = want.columns[c];
    const Column& g = got.columns[c];
    SCOPED_TRACE(w.name);
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.kind, w.kind);
    EXPECT_EQ(g.nullable, w.nullable);
    if (w.kind == ValueKind::Timestamp) {
      EXPECT_EQ(g.unit, w.unit);
      EXPECT_EQ(g.utc, w.utc);
    }
    for (std::size_t r = 0; r < want.num_rows; ++r) {
      ASSERT_EQ(g.is_null(r), w.is_null(r)) << "row " << r;
      if (w.is_null(r)) continue;
      switch (w.kind) {
        case ValueKind::String:
        case ValueKind::Binary:
          ASSERT_EQ(g.string_at(r), w.string_at(r)) << "row " << r;
          break;
        case ValueKind::Float:
        case ValueKind::Double:
          ASSERT_EQ(g.doubles[r], w.doubles[r]) << "row " << r;
          break;
        default:
          ASSERT_EQ(g.ints[r], w.ints[r]) << "row " << r;
      }
    }
  }
}

TEST(ParquetRoundTrip, EveryKindEveryCompression) {
  const Table t = every_kind(3000);
  for (auto c : {Compression::Uncompressed, Compression::Snappy, Compression::Gzip, Compression::Zstd,
                 Compression::Lz4Raw, Compression::Brotli}) {
    SCOPED_TRACE(std::string(compression_name(c)));
    WriteOptions o;
    o.compression = c;
    o.row_group_rows = 700;    // five row groups, the last one short
    o.data_page_bytes = 1000;  // several pages per chunk
    auto bytes = encode_table(t, o);
    ASSERT_TRUE(bytes.ok()) << bytes.error().message;
    auto back =
        read_table_from_buffer(std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()), "mem");
    ASSERT_TRUE(back.ok()) << back.error().message;
    expect_same(t, *back);
  }
}

TEST(ParquetRoundTrip, DictionaryFallsBackToPlain) {
  Table t = every_kind(500);
  Column& s = t.columns[0];
  s.dict.clear();
  for (std::size_t i = 0; i < 500; ++i) {
    s.dict.push_back("value number " + std::to_string(i));
    s.codes[i] = static_cast<std::uint32_t>(i);
  }
  WriteOptions o;
  o.dictionary_limit_bytes = 100;
  auto bytes = encode_table(t, o);
  ASSERT_TRUE(bytes.ok());
  auto dir_path = std::filesystem::temp_directory_path() / "leanscope_parquet_fallback.parquet";
  ASSERT_TRUE(write_table(dir_path, t, o).ok());
  auto info = inspect(dir_path);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->row_groups[0].columns[0].encodings, (std::vector<std::string>{"PLAIN", "RLE"}));
  auto back = read_table(dir_path);
  std::filesystem::remove(dir_path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(t, *back);
}

// A table written to a temporary file: the file's footer as inspect() sees
// it and the table read back (the file removed).
struct WrittenAndRead {
  Result<FileInfo> info;
  Result<Table> back;
};

WrittenAndRead write_and_read(const Table& t, const WriteOptions& o) {
  const auto path = std::filesystem::temp_directory_path() / "leanscope_parquet_written.parquet";
  if (auto written = write_table(path, t, o); !written.ok()) return {written.error(), written.error()};
  WrittenAndRead out{inspect(path), read_table(path)};
  std::filesystem::remove(path);
  return out;
}

// INT64 columns (timestamps among them) are written DELTA_BINARY_PACKED:
// evenly stepped times take almost nothing, and any value, nulls and deltas
// that wrap around 64 bits included, reads back as it was.
TEST(ParquetRoundTrip, Int64ColumnsAreDeltaPacked) {
  constexpr std::size_t kRows = 10'000;
  Table t;
  t.num_rows = kRows;
  Column times = make_column("timestamp", ValueKind::Timestamp);
  Column extremes = make_column("extremes", ValueKind::Int64, true);
  Column doubles = make_column("value", ValueKind::Double);
  const std::int64_t wild[] = {
      std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 0, -1,
      std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()};
  for (std::size_t i = 0; i < kRows; ++i) {
    // One series after another: 60 s steps, back to the start every 1,000 rows.
    times.ints.push_back(1'792'540'800'000 + static_cast<std::int64_t>(i % 1000) * 60'000);
    // Wrapping (C++20 converts modulo 2^64): values next to both ends.
    extremes.ints.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(wild[i % 6]) + i % 3));
    extremes.valid.push_back(i % 7 != 3);
    doubles.doubles.push_back(static_cast<double>(i) / 8);  // fractions: PLAIN (below)
  }
  t.columns = {times, extremes, doubles};
  for (auto c : {Compression::Uncompressed, Compression::Zstd}) {
    SCOPED_TRACE(std::string(compression_name(c)));
    WriteOptions o;
    o.compression = c;
    o.row_group_rows = 4'001;  // row groups and pages end inside a block of 128
    o.data_page_bytes = 8'000;
    auto [info, back] = write_and_read(t, o);
    ASSERT_TRUE(info.ok()) << info.error().message;
    ASSERT_TRUE(back.ok()) << back.error().message;
    expect_same(t, *back);
    std::int64_t time_bytes = 0;
    for (const auto& group : info->row_groups) {
      EXPECT_EQ(group.columns[0].encodings, (std::vector<std::string>{"DELTA_BINARY_PACKED", "RLE"}));
      EXPECT_EQ(group.columns[1].encodings, (std::vector<std::string>{"DELTA_BINARY_PACKED", "RLE"}));
      EXPECT_EQ(group.columns[2].encodings, (std::vector<std::string>{"PLAIN", "RLE"}));
      time_bytes += group.columns[0].compressed_bytes;
    }
    // Under a byte a row even uncompressed (PLAIN: 8).
    EXPECT_LT(time_bytes, static_cast<std::int64_t>(kRows));
  }
}

// DOUBLE pages of whole numbers (counters, buckets, bytes) are written
// BYTE_STREAM_SPLIT, pages of fractions PLAIN, page by page; every value,
// nulls, infinities, -0 and NaN included, reads back bit for bit.
TEST(ParquetRoundTrip, DoublePagesOfWholeNumbersAreByteStreamSplit) {
  constexpr std::size_t kRows = 12'000;
  Table t;
  t.num_rows = kRows;
  Column counts = make_column("counts", ValueKind::Double, true);
  Column fractions = make_column("fractions", ValueKind::Double);
  Column mixed = make_column("mixed", ValueKind::Double);
  const double special[] = {std::numeric_limits<double>::infinity(),  -0.0,  -std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::quiet_NaN(), 1e300, 0.25};
  std::vector<std::uint64_t> count_at(kRows);
  std::uint64_t state = 1, total = 5'000'000;
  for (auto& v : count_at) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    total += (state >> 33) % 4;
    v = total;
  }
  for (std::size_t i = 0; i < kRows; ++i) {
    // A counter rising by 0 to 3 a step, a special value now and then (a
    // page stays mostly whole numbers).
    counts.doubles.push_back(i % 50 == 7 ? special[(i / 50) % 6] : static_cast<double>(count_at[i]));
    counts.valid.push_back(i % 11 != 5);
    fractions.doubles.push_back(0.001 * static_cast<double>(i % 977) + 0.0005);
    // Whole numbers in the first half, fractions in the second.
    mixed.doubles.push_back(i < kRows / 2 ? static_cast<double>(i % 40) : static_cast<double>(i) / 3);
  }
  t.columns = {counts, fractions, mixed};
  const auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
  for (auto c : {Compression::Uncompressed, Compression::Zstd}) {
    SCOPED_TRACE(std::string(compression_name(c)));
    WriteOptions o;
    o.compression = c;
    o.row_group_rows = kRows;
    o.data_page_bytes = 8'000;  // 1,000 doubles a page
    auto [info, back] = write_and_read(t, o);
    ASSERT_TRUE(info.ok()) << info.error().message;
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_EQ(back->num_rows, kRows);
    for (std::size_t k = 0; k < t.columns.size(); ++k) {
      SCOPED_TRACE(t.columns[k].name);
      for (std::size_t r = 0; r < kRows; ++r) {
        ASSERT_EQ(back->columns[k].is_null(r), t.columns[k].is_null(r)) << "row " << r;
        if (!t.columns[k].is_null(r)) {
          ASSERT_EQ(bits(back->columns[k].doubles[r]), bits(t.columns[k].doubles[r])) << "row " << r;
        }
      }
    }
    const auto& columns = info->row_groups.at(0).columns;
    EXPECT_EQ(columns[0].encodings, (std::vector<std::string>{"BYTE_STREAM_SPLIT", "RLE"}));
    EXPECT_EQ(columns[1].encodings, (std::vector<std::string>{"PLAIN", "RLE"}));
    EXPECT_EQ(columns[2].encodings, (std::vector<std::string>{"BYTE_STREAM_SPLIT", "PLAIN", "RLE"}));
  }
}

TEST(ParquetRoundTrip, EmptyTable) {
  Table t = every_kind(0);
  auto bytes = encode_table(t);
  ASSERT_TRUE(bytes.ok());
  auto back =
      read_table_from_buffer(std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()), "mem");
  ASSERT_TRUE(back.ok()) << back.error().message;
  expect_same(t, *back);
}

Result<Table> read_bytes(const std::string& bytes, const ReadOptions& options = {}) {
  return read_table_from_buffer(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                                "t.parquet", options);
}

TEST(ParquetReader, ProjectsColumnsInTheOrderAsked) {
  auto bytes = encode_table(every_kind(100));
  ASSERT_TRUE(bytes.ok());
  ReadOptions o;
  o.columns = {"ms", "s"};
  auto t = read_bytes(*bytes, o);
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->columns.size(), 2u);
  EXPECT_EQ(t->columns[0].name, "ms");
  EXPECT_EQ(t->columns[1].name, "s");
  EXPECT_EQ(t->columns[0].ints[5], 1763913065000);
}

TEST(ParquetReader, UnknownColumnIsAnError) {
  auto bytes = encode_table(small_table());
  ASSERT_TRUE(bytes.ok());
  ReadOptions o;
  o.columns = {"nope"};
  auto t = read_bytes(*bytes, o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "t.parquet: no column 'nope' (columns: client, value)");
}

TEST(ParquetReader, ErrorKindSaysWhetherReadingOrTheFileFailed) {
  const auto missing = std::filesystem::temp_directory_path() / "leanscope-no-such-dir" / "missing.parquet";
  auto t = read_table(missing);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::Io);
  auto info = inspect(missing);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, ErrorKind::Io);

  auto bytes = encode_table(small_table());
  ASSERT_TRUE(bytes.ok());
  std::string truncated = bytes->substr(0, bytes->size() - 20) + bytes->substr(bytes->size() - 8);
  auto bad = read_bytes(truncated);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::Input);

  auto unwritable = write_table("/dev/null/x.parquet", small_table());  // a file is not a folder
  ASSERT_FALSE(unwritable.ok());
  EXPECT_EQ(unwritable.error().kind, ErrorKind::Io);
}

TEST(ParquetReader, TimeFilterSkipsRowGroupsByStatistics) {
  Table t = every_kind(1000);
  WriteOptions w;
  w.row_group_rows = 100;  // ms column: 100 s per row group
  auto bytes = encode_table(t, w);
  ASSERT_TRUE(bytes.ok());
  ReadOptions o;
  // micros column, 7 us per row: [3 ms, 4 ms) holds rows 429..571, in groups 4 and 5
  o.time_filter = TimeFilter{"us", 1763913060000 + 3, 1763913060000 + 4};
  auto us_only = read_bytes(*bytes, o);
  ASSERT_TRUE(us_only.ok()) << us_only.error().message;
  EXPECT_EQ(us_only->num_rows, 200u);
  o.time_filter = TimeFilter{"us", 1763913060000 + 250, 1763913060000 + 1500};
  auto none = read_bytes(*bytes, o);
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->num_rows, 0u);
  o.time_filter = TimeFilter{"ms", 1763913060000 + 250'000, 1763913060000 + 450'000};
  auto some = read_bytes(*bytes, o);
  ASSERT_TRUE(some.ok()) << some.error().message;
  EXPECT_EQ(some->num_rows, 300u);  // groups [200,300), [300,400), [400,500)
  EXPECT_EQ(some->find("ms")->ints.front(), 1763913060000 + 200'000);
  o.time_filter = TimeFilter{"s", 0, 1};
  auto bad = read_bytes(*bytes, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "t.parquet: column 's' is not a timestamp or integer; cannot filter on it");
}

// The rows of a BatchReader, gathered batch by batch into one table.
Result<Table> read_in_batches(const std::filesystem::path& file, const ReadOptions& options, std::size_t max_rows,
                              std::size_t& batches) {
  auto reader = BatchReader::open(file, options);
  if (!reader) return reader.error();
  Table t;
  for (std::size_t i = 0; i < reader->num_columns(); ++i) {
    const Column& c = reader->column(i);
    Column copy;
    copy.name = c.name;
    copy.kind = c.kind;
    copy.unit = c.unit;
    copy.utc = c.utc;
    copy.nullable = c.nullable;
    t.columns.push_back(copy);
  }
  if (const auto* promql = reader->meta("promql")) t.metadata.emplace_back("promql", *promql);
  if (const auto* other = reader->meta("other")) t.metadata.emplace_back("other", *other);
  batches = 0;
  while (true) {
    auto n = reader->next(max_rows);
    if (!n) return n.error();
    if (*n == 0) break;
    EXPECT_LE(*n, max_rows);
    ++batches;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const ColumnSlice& slice = reader->slices()[i];
      Column& out = t.columns[i];
      for (std::size_t r = 0; r < *n; ++r) {
        out.valid.push_back(slice.valid() == nullptr ? 1 : slice.valid()[r]);
        switch (out.kind) {
          case ValueKind::String:
          case ValueKind::Binary:
            // Codes index the reader's dictionary, which only grows: copy it last.
            out.codes.push_back(slice.codes()[r]);
            break;
          case ValueKind::Float:
          case ValueKind::Double:
            out.doubles.push_back(slice.doubles()[r]);
            break;
          default:
            out.ints.push_back(slice.ints()[r]);
        }
      }
    }
    t.num_rows += *n;
  }
  for (std::size_t i = 0; i < t.columns.size(); ++i) t.columns[i].dict = reader->column(i).dict;
  EXPECT_EQ(t.num_rows, reader->num_rows());
  return t;
}

TEST(ParquetBatchReader, GivesTheRowsOfReadTableAcrossPagesAndRowGroups) {
  testing::TempDir dir;
  const auto file = dir / "t.parquet";
  WriteOptions w;
  w.row_group_rows = 1000;
  w.data_page_bytes = 2048;  // many pages, ending at different rows in each column
  ASSERT_TRUE(write_table(file, every_kind(4500), w).ok());
  for (const ReadOptions& o :
       {ReadOptions{}, ReadOptions{{"ns", "s", "d"}, std::nullopt, false},
        ReadOptions{{"us", "i64"}, TimeFilter{"ms", 1763913060000 + 1'500'000, 1763913060000 + 2'500'000}, false}}) {
    auto whole = read_table(file, o);
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    for (std::size_t max_rows : {std::size_t{1}, std::size_t{777}, SIZE_MAX}) {
      SCOPED_TRACE(max_rows);
      std::size_t batches = 0;
      auto batched = read_in_batches(file, o, max_rows, batches);
      ASSERT_TRUE(batched.ok()) << batched.error().message;
      if (o.columns.empty()) batched->metadata = whole->metadata;  // only the two keys above were copied
      expect_same(*whole, *batched);
      EXPECT_GE(batches, (whole->num_rows + max_rows - 1) / max_rows);
    }
  }
}

TEST(ParquetBatchReader, OpenErrorsNameTheFile) {
  testing::TempDir dir;
  const auto file = dir / "t.parquet";
  auto reader = BatchReader::open(file);  // no such file
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.error().message.find("t.parquet"), std::string::npos);
  ASSERT_TRUE(write_table(file, small_table()).ok());
  ReadOptions o;
  o.columns = {"nope"};
  auto unknown = BatchReader::open(file, o);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, file.string() + ": no column 'nope' (columns: client, value)");
}

TEST(ParquetInspect, DescribesSchemaAndStatistics) {
  auto path = std::filesystem::temp_directory_path() / "leanscope_parquet_inspect.parquet";
  WriteOptions w;
  w.row_group_rows = 2;
  ASSERT_TRUE(write_table(path, small_table(), w).ok());
  auto info = inspect(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->num_rows, 3);
  EXPECT_EQ(info->row_groups.size(), 2u);
  EXPECT_EQ(info->created_by.rfind("leanscope ", 0), 0u);
  ASSERT_EQ(info->columns.size(), 2u);
  EXPECT_EQ(info->columns[0].physical_type, "BYTE_ARRAY");
  EXPECT_EQ(info->columns[0].logical_type, "STRING");
  EXPECT_EQ(info->columns[0].repetition, "REQUIRED");
  const auto& chunk = info->row_groups[0].columns[1];
  EXPECT_EQ(chunk.compression, "ZSTD");
  EXPECT_EQ(chunk.min, "1.5");
  EXPECT_EQ(chunk.max, "2.5");
  EXPECT_EQ(chunk.null_count, 0);
  EXPECT_EQ(info->row_groups[1].columns[0].min, "zeam");
}

TEST(ParquetApi, CompressionNamesRoundTrip) {
  for (auto c : {Compression::Uncompressed, Compression::Snappy, Compression::Gzip, Compression::Zstd,
                 Compression::Lz4Raw, Compression::Brotli}) {
    auto parsed = parse_compression(compression_name(c));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, c);
  }
  EXPECT_FALSE(parse_compression("lzo").ok());
}

TEST(ParquetApi, FormatsTimestampsAtTheirPrecision) {
  EXPECT_EQ(format_timestamp(1763913060123, TimeUnit::Millis), "2025-11-23T15:51:00.123Z");
  EXPECT_EQ(format_timestamp(-1, TimeUnit::Micros), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_timestamp(1, TimeUnit::Nanos), "1970-01-01T00:00:00.000000001Z");
}

}  // namespace
}  // namespace leanscope::parquet
