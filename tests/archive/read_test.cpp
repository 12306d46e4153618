// Reading a dataset file into keyed series: window, duplicates, units,
// label columns a file lacks, errors that name the file and the column.
#include "archive/read.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "archive/parquet/parquet.h"
#include "support/test_support.h"

namespace leanscope::archive {
namespace {

parquet::Column strings(std::string name, std::vector<std::string> dict, std::vector<std::uint32_t> codes) {
  parquet::Column c;
  c.name = std::move(name);
  c.kind = parquet::ValueKind::String;
  c.dict = std::move(dict);
  c.codes = std::move(codes);
  return c;
}

parquet::Column times(std::vector<std::int64_t> t, parquet::TimeUnit unit = parquet::TimeUnit::Millis) {
  parquet::Column c;
  c.name = "timestamp";
  c.kind = parquet::ValueKind::Timestamp;
  c.unit = unit;
  c.ints = std::move(t);
  return c;
}

parquet::Column values(std::vector<double> v) {
  parquet::Column c;
  c.name = "value";
  c.kind = parquet::ValueKind::Double;
  c.doubles = std::move(v);
  return c;
}

parquet::Table table(std::vector<parquet::Column> columns) {
  parquet::Table t;
  t.num_rows = columns.front().size();
  t.columns = std::move(columns);
  return t;
}

// A dataset layout owned by `owner` with these extra columns.
DatasetSpec spec_with(std::string owner, std::vector<std::string> extras) {
  DatasetSpec spec;
  spec.id = "test";
  spec.owner_column = std::move(owner);
  for (auto& e : extras) spec.extra_columns.push_back({std::move(e), {}, ""});
  return spec;
}

Result<DatasetRead> read(const parquet::Table& t, const DatasetSpec& spec, TimeMs start, TimeMs end) {
  static int n = 0;
  static testing::TempDir dir;
  const auto file = dir / ("t" + std::to_string(n++) + ".parquet");
  EXPECT_TRUE(parquet::write_table(file, t).ok());
  return read_dataset_file(file, spec, {start, end});
}

TEST(ReadDataset, SplitsSeriesAsTheFileSpellsThemAndReadsAbsentLabelsAsEmpty) {
  // Rows: ream (bare job, before its rename) at 1 s, ream_0 at 2 s and 3 s,
  // cadvisor, and a row without a job; instance i everywhere.
  auto t = table({strings("client", {"ream", "ream_0", "cadvisor", ""}, {0, 1, 1, 2, 3}),
                  strings("instance", {"i"}, {0, 0, 0, 0, 0}), times({1000, 2000, 3000, 1000, 1000}),
                  values({1, 2, 3, 4, 5})});
  auto r = read(t, spec_with("client", {"peer"}), 0, 10'000);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->present);
  ASSERT_EQ(r->series.size(), 3u);  // as the file spells them; "" has no client
  EXPECT_EQ(r->owners_seen, (std::vector<std::string>{"ream", "ream_0", "cadvisor", ""}));
  const auto& s = r->series[1];
  EXPECT_EQ(s.client, "ream_0");
  EXPECT_EQ(s.labels, (std::vector<std::string>{"i", ""}));  // no peer column: ""
  EXPECT_EQ(s.series.t, (std::vector<TimeMs>{2000, 3000}));
}

TEST(ReadDataset, KeepsTheWindowDropsNaNAndNullsAndKeepsTheLastDuplicate) {
  auto value = values({1, NAN, 3, 4, 5, 6});
  value.nullable = true;
  value.valid = {1, 1, 1, 1, 0, 1};
  auto t = table(
      {strings("client", {"a_0"}, {0, 0, 0, 0, 0, 0}), times({500, 1000, 2000, 2000, 3000, 9000}), std::move(value)});
  auto r = read(t, spec_with("client", {}), 1000, 3000);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->series.size(), 1u);
  // 500 and 9000 are outside; the NaN at 1000 and the null at 3000 are not
  // samples; of the two rows at 2000 the later one wins.
  EXPECT_EQ(r->series.front().series.t, (std::vector<TimeMs>{2000}));
  EXPECT_EQ(r->series.front().series.v, (std::vector<double>{4}));
}

TEST(ReadDataset, ReadsNanosecondTimestampsAsMilliseconds) {
  auto t = table({strings("client", {"a_0"}, {0, 0}), times({1'000'000'000, 2'000'500'000}, parquet::TimeUnit::Nanos),
                  values({1, 2})});
  auto r = read(t, spec_with("client", {}), 0, 5000);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->series.front().series.t, (std::vector<TimeMs>{1000, 2000}));
}

TEST(ReadDataset, OwnerColumnOfContainerDatasetsAndLabelOrderOfTheRegistry) {
  auto t = table({strings("container", {"/ream_0", "ream_0"}, {0, 1, 0}),
                  strings("interface", {"eth0", "eth1"}, {0, 0, 1}), times({1, 2, 1}), values({1, 2, 3})});
  const auto spec = spec_with("container", {"container", "interface"});
  EXPECT_EQ(spec.label_columns(), (std::vector<std::string>{"instance", "interface"}));
  EXPECT_EQ(spec.label_index("interface"), 1u);
  auto r = read(t, spec, 0, 10);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->series.size(), 3u);
  EXPECT_EQ(r->series[0].client, "/ream_0");
  EXPECT_EQ(r->series[0].labels, (std::vector<std::string>{"", "eth0"}));
}

TEST(ReadDataset, JoinsInterleavedRowsAndDictionaryDuplicatesInRowOrder) {
  // Codes 0 and 2 spell the same client (two row groups' dictionaries);
  // the rows of a_0 alternate with b_0's.
  auto t = table({strings("client", {"a_0", "b_0", "a_0"}, {0, 1, 2, 1, 0}), times({3, 1, 1, 2, 2}),
                  values({30, 10, 11, 20, 21})});
  auto r = read(t, spec_with("client", {}), 0, 10);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->series.size(), 2u);
  EXPECT_EQ(r->series[0].client, "a_0");
  EXPECT_EQ(r->series[0].series.t, (std::vector<TimeMs>{1, 2, 3}));
  EXPECT_EQ(r->series[0].series.v, (std::vector<double>{11, 21, 30}));
  EXPECT_EQ(r->series[1].client, "b_0");
  EXPECT_EQ(r->series[1].series.v, (std::vector<double>{10, 20}));
}

TEST(ReadDataset, SeriesRunAcrossPagesAndRowGroups) {
  // Two clients x two bounds, written in blocks of 700 rows per series that
  // alternate, in row groups of 1000 rows and pages of a few hundred rows:
  // a series' run is cut by pages and row groups, and comes back later.
  // Every 97th value is NaN; times before 100 are outside the window.
  const std::vector<std::string> clients = {"a_0", "b_0"}, les = {"1", "+Inf"};
  parquet::Column client = strings("client", clients, {});
  parquet::Column le = strings("le", les, {});
  parquet::Column t = times({});
  parquet::Column v = values({});
  std::map<std::pair<std::string, std::string>, Samples> want;
  for (int block = 0; block < 3; ++block) {
    for (std::uint32_t c = 0; c < 2; ++c) {
      for (std::uint32_t b = 0; b < 2; ++b) {
        auto& w = want[{clients[c], les[b]}];
        for (int i = 0; i < 700; ++i) {
          const std::int64_t time = block * 700 + i;
          const double value = (i % 97 == 3) ? NAN : static_cast<double>(time * 10 + c * 2 + b);
          client.codes.push_back(c);
          le.codes.push_back(b);
          t.ints.push_back(time);
          v.doubles.push_back(value);
          if (time >= 100 && !std::isnan(value)) {
            w.t.push_back(time);
            w.v.push_back(value);
          }
        }
      }
    }
  }
  auto tab = table({client, t, v, le});
  testing::TempDir dir;
  const auto file = dir / "runs.parquet";
  parquet::WriteOptions options;
  options.row_group_rows = 1000;
  options.data_page_bytes = 2000;
  ASSERT_TRUE(parquet::write_table(file, tab, options).ok());
  auto r = read_dataset_file(file, spec_with("client", {"le"}), {100, 1'000'000});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->series.size(), 4u);
  for (const auto& s : r->series) {
    SCOPED_TRACE(s.client + " " + s.labels[1]);
    const auto& w = want.at({s.client, s.labels[1]});
    EXPECT_EQ(s.series.t, w.t);
    EXPECT_EQ(s.series.v, w.v);
  }
  EXPECT_EQ(r->series[0].client, "a_0");  // in order of first appearance
  EXPECT_EQ(r->series[1].labels[1], "+Inf");
  EXPECT_EQ(r->series[2].client, "b_0");
}

// open() gives the series before any sample is read; read() hands each one
// over once, sorted, as soon as its last row is read: b_0 (rows 600..1199)
// before a_0, whose rows come back after b_0's and out of time order. What
// the callback moves out is not in the result; the rest equals
// read_dataset_file's.
TEST(DatasetReader, HandsEachSeriesOverOnceAfterItsLastRow) {
  parquet::Column client = strings("client", {"a_0", "b_0"}, {});
  parquet::Column t = times({});
  parquet::Column v = values({});
  const auto add = [&](std::uint32_t c, std::int64_t from, std::int64_t to, std::int64_t step) {
    for (std::int64_t time = from; time != to; time += step) {
      client.codes.push_back(c);
      t.ints.push_back(time);
      v.doubles.push_back(static_cast<double>(time * 2 + c));
    }
  };
  add(0, 0, 600, 1);      // a_0, rows 0..599
  add(1, 0, 600, 1);      // b_0
  add(0, 1199, 599, -1);  // a_0 again, times descending
  testing::TempDir dir;
  const auto file = dir / "handover.parquet";
  parquet::WriteOptions options;
  options.row_group_rows = 500;
  ASSERT_TRUE(parquet::write_table(file, table({client, t, v}), options).ok());
  const auto spec = spec_with("client", {});

  auto reader = DatasetReader::open(file, spec, {10, 2000});
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_TRUE(reader->present());
  ASSERT_EQ(reader->series().size(), 2u);
  EXPECT_EQ(reader->series()[0].client, "a_0");
  EXPECT_EQ(reader->series()[1].client, "b_0");
  EXPECT_TRUE(reader->series()[0].series.empty());
  EXPECT_EQ(reader->owners_seen(), (std::vector<std::string>{"a_0", "b_0"}));

  std::vector<std::pair<std::size_t, std::size_t>> handed;  // index, samples
  Samples taken;
  auto r = reader->read([&](std::size_t index, Samples& s) {
    handed.emplace_back(index, s.size());
    EXPECT_TRUE(std::is_sorted(s.t.begin(), s.t.end()));
    if (index == 1) std::swap(taken, s);
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(handed, (std::vector<std::pair<std::size_t, std::size_t>>{{1, 590}, {0, 1190}}));
  EXPECT_EQ(taken.t.front(), 10);
  EXPECT_EQ(taken.v.back(), 599 * 2 + 1);
  ASSERT_EQ(r->series.size(), 2u);
  EXPECT_TRUE(r->series[1].series.empty());
  const auto whole = read_dataset_file(file, spec, {10, 2000});
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(r->series[0].series.t, whole->series[0].series.t);
  EXPECT_EQ(r->series[0].series.v, whole->series[0].series.v);
  EXPECT_EQ(whole->series[1].series.t, taken.t);
}

TEST(DatasetReader, AMissingFileHasNoSeriesAndReadsAsAbsent) {
  testing::TempDir dir;
  auto reader = DatasetReader::open(dir / "none.parquet", spec_with("client", {}), {0, 10});
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(reader->present());
  EXPECT_TRUE(reader->series().empty());
  bool called = false;
  auto r = reader->read([&](std::size_t, Samples&) { called = true; });
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
  EXPECT_FALSE(called);
}

TEST(ReadDataset, NamesTheFileAndTheColumnWhenARequiredColumnIsMissing) {
  auto t = table({strings("client", {"a_0"}, {0}), times({1})});
  auto r = read(t, spec_with("client", {}), 0, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(".parquet"), std::string::npos);
  const std::string tail = ": column 'value' is missing";
  ASSERT_GT(r.error().message.size(), tail.size());
  EXPECT_EQ(r.error().message.substr(r.error().message.size() - tail.size()), tail);
}

TEST(ReadDataset, AMissingFileIsADatasetWithoutData) {
  testing::TempDir dir;
  auto r = read_dataset_file(dir / "none.parquet", spec_with("client", {}), {0, 10});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->present);
  EXPECT_TRUE(r->series.empty());
}

TEST(ReadDataset, UnknownDatasetIdIsAnError) {
  testing::TempDir dir;
  auto r = read_dataset(dir.path(), "pqdevnet-20260101T0000Z", "no_such_dataset", {0, 10});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unknown dataset 'no_such_dataset'");
}

TEST(DatasetRowCount, ReadsTheFooter) {
  testing::TempDir dir;
  auto t = table({strings("client", {"a_0"}, {0, 0}), times({1, 2}), values({1, 2})});
  ASSERT_TRUE(parquet::write_table(dir / "d.parquet", t).ok());
  auto n = dataset_row_count(dir / "d.parquet");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
}

TEST(ArchivedFileInfo, RowsNewestTimeAndQuery) {
  testing::TempDir dir;
  auto t = table({strings("client", {"a_0"}, {0, 0, 0}), times({3000, 9000, 6000}), values({1, 2, 3})});
  t.metadata.emplace_back("promql", "lean_head_slot");
  ASSERT_TRUE(parquet::write_table(dir / "d.parquet", t).ok());
  auto info = archived_file_info(dir / "d.parquet");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->rows, 3);
  EXPECT_EQ(info->last_time, 9000);
  EXPECT_EQ(info->promql, "lean_head_slot");
  auto empty = table({strings("client", {}, {}), times({}), values({})});
  ASSERT_TRUE(parquet::write_table(dir / "e.parquet", empty).ok());
  auto none = archived_file_info(dir / "e.parquet");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->last_time.has_value());
  EXPECT_FALSE(archived_file_info(dir / "missing.parquet").ok());
}

}  // namespace
}  // namespace leanscope::archive
