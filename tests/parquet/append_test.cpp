// Appending to a Parquet file: older row groups copied as bytes, the rest
// re-encoded with the new rows; sealing and merging of tail row groups.
#include <gtest/gtest.h>

#include <algorithm>

#include "archive/parquet/encode.h"
#include "archive/parquet/parquet.h"
#include "archive/parquet/schema.h"
#include "common/fs.h"
#include "support/test_support.h"

namespace leanscope::parquet {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr std::int64_t kStart = 1'763'913'060'000;

// Rows at kStart + i s for i in [begin, end): client from a small dictionary,
// value i * 0.5 + shift (a shift tells new rows from the ones they replace).
Table rows(std::size_t begin, std::size_t end, double shift = 0) {
  Table t;
  t.num_rows = end - begin;
  Column client;
  client.name = "client";
  client.kind = ValueKind::String;
  client.dict = {"zeam", "ream", "qlean"};
  Column ts;
  ts.name = "timestamp";
  ts.kind = ValueKind::Timestamp;
  Column value;
  value.name = "value";
  value.kind = ValueKind::Double;
  for (std::size_t i = begin; i < end; ++i) {
    client.codes.push_back(static_cast<std::uint32_t>(i % 3));
    ts.ints.push_back(kStart + static_cast<std::int64_t>(i) * 1000);
    value.doubles.push_back(static_cast<double>(i) * 0.5 + shift);
  }
  t.columns = {client, ts, value};
  t.metadata = {{"promql", fmt::format("rows {}..{}", begin, end)}};
  return t;
}

std::int64_t at(std::size_t i) { return kStart + static_cast<std::int64_t>(i) * 1000; }

// The rows of a table as text, one per row, in order.
std::vector<std::string> lines(const Table& t) {
  std::vector<std::string> out;
  for (std::size_t r = 0; r < t.num_rows; ++r) {
    out.push_back(fmt::format("{} {} {}", t.columns[0].string_at(r), t.columns[1].ints[r], t.columns[2].doubles[r]));
  }
  return out;
}

std::vector<std::string> lines_of(const fs::path& path) {
  auto t = read_table(path);
  EXPECT_TRUE(t.ok()) << t.error().message;
  return t.ok() ? lines(*t) : std::vector<std::string>{};
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

detail::ParsedFooter footer_of(const std::string& bytes) {
  auto f = detail::parse_footer({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
  EXPECT_TRUE(f.ok()) << f.error().message;
  return f.ok() ? std::move(f).value() : detail::ParsedFooter{};
}

std::string slurp(const fs::path& path) {
  auto b = read_file(path);
  EXPECT_TRUE(b.ok());
  return b.ok() ? *b : std::string{};
}

WriteOptions groups_of(std::size_t n) {
  WriteOptions o;
  o.row_group_rows = n;
  o.data_page_bytes = 512;  // several pages per chunk
  return o;
}

AppendOptions before(std::int64_t ms, std::size_t seal_rows = 64 * 1024, std::size_t merge_groups = 16) {
  AppendOptions o;
  o.before_ms = ms;
  o.seal_rows = seal_rows;
  o.merge_groups = merge_groups;
  return o;
}

TEST(ParquetAppend, KeepsTheOlderRowGroupsByteForByte) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 1000), groups_of(300)).ok());
  const std::string old_bytes = slurp(path);
  // Groups [0, 300) and [300, 600) lie before row 650; [600, 900) straddles.
  auto stats = append_table(path, rows(650, 1100, 0.25), before(at(650)), groups_of(300));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->kept_groups, 2u);
  EXPECT_EQ(stats->kept_rows, 600u);
  EXPECT_EQ(stats->written_rows, 50u + 450u);

  const std::string new_bytes = slurp(path);
  const auto old_footer = footer_of(old_bytes);
  const auto new_footer = footer_of(new_bytes);
  for (std::size_t g = 0; g < 2; ++g) {
    for (std::size_t c = 0; c < 3; ++c) {
      const auto& om = *old_footer.meta.row_groups[g].columns[c].meta_data;
      const auto& nm = *new_footer.meta.row_groups[g].columns[c].meta_data;
      const auto o = detail::chunk_range(om), n = detail::chunk_range(nm);
      ASSERT_EQ(o.size, n.size);
      EXPECT_EQ(old_bytes.substr(o.start, o.size), new_bytes.substr(n.start, n.size)) << g << " " << c;
      ASSERT_TRUE(om.statistics && nm.statistics);
      EXPECT_EQ(om.statistics->max_value, nm.statistics->max_value);
      EXPECT_EQ(om.statistics->min_value, nm.statistics->min_value);
      EXPECT_EQ(om.encodings, nm.encodings);
    }
  }
  EXPECT_EQ(lines_of(path), lines(rows(0, 650)) + lines(rows(650, 1100, 0.25)));
  auto t = read_table(path);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->metadata, rows(650, 1100).metadata);
}

// A file of an earlier leanscope (PLAIN timestamps: the fuzzer's seed) keeps
// its row groups as they are, and the rows appended after them are written
// DELTA_BINARY_PACKED: one file with both, read back whole.
TEST(ParquetAppend, AFileWithPlainTimestampsTakesDeltaPackedRowsAfterIt) {
  TempDir dir;
  const auto path = dir / "old.parquet";
  fs::copy_file(testing::source_dir() / "fuzz/seeds/parquet_reader/leanscope_zstd.parquet", path);
  auto old_rows = read_table(path);
  ASSERT_TRUE(old_rows.ok()) << old_rows.error().message;
  const auto ts = static_cast<std::size_t>(std::find_if(old_rows->columns.begin(), old_rows->columns.end(),
                                                        [](const Column& c) { return c.name == "timestamp"; }) -
                                           old_rows->columns.begin());
  ASSERT_LT(ts, old_rows->columns.size());
  const auto& old_times = old_rows->columns[ts].ints;
  const std::int64_t newest = *std::max_element(old_times.begin(), old_times.end());
  const std::int64_t span = newest - *std::min_element(old_times.begin(), old_times.end()) + 1000;
  Table newer = *old_rows;
  for (auto& t : newer.columns[ts].ints) t += span;

  auto stats = append_table(path, newer, before(newest + 1), groups_of(1000));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->kept_rows, old_rows->num_rows);
  auto info = inspect(path);
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_EQ(info->row_groups.size(), 4u);
  for (std::size_t g = 0; g < 3; ++g)
    EXPECT_EQ(info->row_groups[g].columns[ts].encodings, (std::vector<std::string>{"PLAIN", "RLE"})) << g;
  EXPECT_EQ(info->row_groups[3].columns[ts].encodings, (std::vector<std::string>{"DELTA_BINARY_PACKED", "RLE"}));
  auto back = read_table(path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->num_rows, 2 * old_rows->num_rows);
  std::vector<std::int64_t> want = old_times;
  want.insert(want.end(), newer.columns[ts].ints.begin(), newer.columns[ts].ints.end());
  EXPECT_EQ(back->columns[ts].ints, want);
}

TEST(ParquetAppend, MovesTheKeptChunksToWhereTheyLand) {
  // A file with 7 bytes of padding after its magic (another writer's
  // layout): the kept chunks land 7 bytes earlier, their offsets moved.
  TempDir dir;
  const auto path = dir / "a.parquet";
  auto plain = encode_table(rows(0, 100), groups_of(50));
  ASSERT_TRUE(plain.ok());
  auto footer = footer_of(*plain);
  for (auto& group : footer.meta.row_groups) detail::shift_offsets(group, 7);
  std::string padded = "PAR1" + std::string(7, '\0') + plain->substr(4, footer.data_end - 4);
  detail::finish_file(footer.meta, padded);
  ASSERT_TRUE(write_file_atomic(path, padded).ok());
  ASSERT_EQ(lines_of(path), lines(rows(0, 100)));

  auto stats = append_table(path, rows(60, 130, 2), before(at(60)), groups_of(50));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->kept_groups, 1u);
  EXPECT_EQ(lines_of(path), lines(rows(0, 60)) + lines(rows(60, 130, 2)));
  const std::string appended = slurp(path);
  const auto moved = footer_of(appended);
  const auto range = detail::chunk_range(*moved.meta.row_groups[0].columns[0].meta_data);
  EXPECT_EQ(range.start, 4u);
  auto info = inspect(path);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->num_rows, 130);
}

TEST(ParquetAppend, ReencodesTheRowsOfAStraddlingGroupBeforeTheCut) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 100)).ok());  // one row group
  auto appender = Appender::open(path, before(at(40)));
  ASSERT_TRUE(appender.ok()) << appender.error().message;
  EXPECT_EQ(appender->kept_groups(), 0u);
  EXPECT_EQ(lines(appender->reencoded()), lines(rows(0, 40)));
  // The caller writes what it likes after the kept groups, here less.
  auto stats = appender->write(rows(10, 60, 3));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(lines_of(path), lines(rows(10, 60, 3)));
}

TEST(ParquetAppend, SealsTheOlderRowsOnceManyAndKeepsThemNextTime) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 30)).ok());
  // 20 older rows, at most 25 re-encoded: one row group with the new ones.
  auto small = append_table(path, rows(20, 40), before(at(20), 25));
  ASSERT_TRUE(small.ok()) << small.error().message;
  EXPECT_EQ(small->row_groups, 1u);
  // 30 older rows > 25: they get a row group of their own ...
  auto sealed = append_table(path, rows(30, 50), before(at(30), 25));
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->row_groups, 2u);
  // ... which the next append keeps as bytes.
  auto next = append_table(path, rows(40, 55), before(at(40), 25));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(next->kept_groups, 1u);
  EXPECT_EQ(next->kept_rows, 30u);
  EXPECT_EQ(next->written_rows, 25u);
  EXPECT_EQ(lines_of(path), lines(rows(0, 55)));
}

TEST(ParquetAppend, SealsTheLastHourApartSoThatReadingItSkipsTheOlderRows) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 10000)).ok());  // one row group of 2.8 hours
  auto stats = append_table(path, rows(9000, 9100, 1), before(at(9000), 100));
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_EQ(stats->row_groups, 3u);  // before the last hour, the last hour, the new rows
  auto info = inspect(path);
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->row_groups.size(), 3u);
  EXPECT_EQ(info->row_groups[0].num_rows, 5400);
  EXPECT_EQ(info->row_groups[1].num_rows, 3600);
  ReadOptions recent;
  recent.time_filter = TimeFilter{"timestamp", at(8000), at(20000)};
  auto read = read_table(path, recent);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->num_rows, 3600u + 100u);
  EXPECT_EQ(lines_of(path), lines(rows(0, 9000)) + lines(rows(9000, 9100, 1)));
}

TEST(ParquetAppend, MergesSmallSealedGroupsWhenTooMany) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  const WriteOptions options = groups_of(1000);
  ASSERT_TRUE(write_table(path, rows(0, 10), options).ok());
  std::size_t end = 10;
  std::vector<std::size_t> groups;
  std::vector<std::size_t> merged;
  // Each append keeps the groups before the cut and adds one of 10 rows:
  // small ones (at most 2 x seal_rows = 10 rows), merged when 3 end the kept ones.
  for (int i = 0; i < 5; ++i) {
    auto stats = append_table(path, rows(end, end + 10), before(at(end), 5, 3), options);
    ASSERT_TRUE(stats.ok()) << stats.error().message;
    end += 10;
    groups.push_back(stats->row_groups);
    merged.push_back(stats->merged_groups);
  }
  // The third append merges 3 groups into one of 30 rows, no longer small.
  EXPECT_EQ(groups, (std::vector<std::size_t>{2, 3, 2, 3, 4}));
  EXPECT_EQ(merged, (std::vector<std::size_t>{0, 0, 3, 0, 0}));
  EXPECT_EQ(lines_of(path), lines(rows(0, end)));
}

TEST(ParquetAppend, RejectsAnotherSchemaAndLeavesTheFile) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 100), groups_of(30)).ok());
  const std::string before_bytes = slurp(path);
  Table other = rows(50, 120);
  other.columns[2].nullable = true;
  auto stats = append_table(path, other, before(at(50)), groups_of(30));
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.error().message.find("column 'value' is DOUBLE OPTIONAL in the table, DOUBLE REQUIRED in the file"),
            std::string::npos)
      << stats.error().message;
  Table renamed = rows(50, 120);
  renamed.columns[1].name = "time";
  auto appender = Appender::open(path, before(at(50)), groups_of(30));
  ASSERT_TRUE(appender.ok());
  auto written = appender->write(renamed);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("column 2 is 'time' in the table, 'timestamp' in the file"), std::string::npos)
      << written.error().message;
  Table unit = rows(50, 120);
  unit.columns[1].unit = TimeUnit::Micros;
  auto appender2 = Appender::open(path, before(at(50)), groups_of(30));
  ASSERT_TRUE(appender2.ok());
  EXPECT_FALSE(appender2->write(unit).ok());
  EXPECT_EQ(slurp(path), before_bytes);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
}

TEST(ParquetAppend, ATruncatedFileIsAClearErrorAndNoFileIsWritten) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 100), groups_of(30)).ok());
  const std::string whole = slurp(path);
  for (std::size_t keep : {whole.size() - 1, whole.size() / 2, std::size_t{5}, std::size_t{0}}) {
    ASSERT_TRUE(write_file_atomic(path, whole.substr(0, keep)).ok());
    auto stats = append_table(path, rows(50, 120), before(at(50)), groups_of(30));
    ASSERT_FALSE(stats.ok()) << keep;
    EXPECT_NE(stats.error().message.find(path.string() + ": not a Parquet file"), std::string::npos)
        << stats.error().message;
    EXPECT_EQ(slurp(path), whole.substr(0, keep));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
  }
  // A chunk that lies about its size: an error from decoding, no file written.
  std::string bad = whole;
  bad[40] = static_cast<char>(bad[40] ^ 0x5a);
  ASSERT_TRUE(write_file_atomic(path, bad).ok());
  auto stats = append_table(path, rows(95, 120), before(at(95)), groups_of(30));
  if (!stats.ok()) {
    EXPECT_NE(stats.error().message.find(path.string()), std::string::npos);
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
}

TEST(ParquetAppend, UnknownTimeColumnIsAnError) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 10)).ok());
  AppendOptions options = before(at(5));
  options.time_column = "ts";
  auto appender = Appender::open(path, options);
  ASSERT_FALSE(appender.ok());
  EXPECT_EQ(appender.error().message, path.string() + ": no column 'ts'");
  options.time_column = "client";
  appender = Appender::open(path, options);
  ASSERT_FALSE(appender.ok());
  EXPECT_EQ(appender.error().message, path.string() + ": column 'client' is not a timestamp or integer");
}

TEST(ParquetAppend, MaxTimeFromStatisticsAlone) {
  TempDir dir;
  const auto path = dir / "a.parquet";
  ASSERT_TRUE(write_table(path, rows(0, 100), groups_of(30)).ok());
  auto max = max_millis_from_statistics(path, "timestamp");
  ASSERT_TRUE(max.ok()) << max.error().message;
  EXPECT_EQ(*max, at(99));
  ASSERT_TRUE(write_table(path, rows(0, 0)).ok());
  max = max_millis_from_statistics(path, "timestamp");
  ASSERT_TRUE(max.ok());
  EXPECT_FALSE(max->has_value());
  WriteOptions no_stats;
  no_stats.statistics = false;
  ASSERT_TRUE(write_table(path, rows(0, 10), no_stats).ok());
  max = max_millis_from_statistics(path, "timestamp");
  ASSERT_TRUE(max.ok());
  EXPECT_FALSE(max->has_value());
}

}  // namespace
}  // namespace leanscope::parquet
