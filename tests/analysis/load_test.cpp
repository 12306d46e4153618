// Reading datasets into keyed series: client naming, window, duplicates,
// units, missing columns.
#include "analysis/detail/load.h"

#include <gtest/gtest.h>

#include <cmath>

#include "support/test_support.h"

namespace leanscope::analysis::detail {
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

TEST(SplitSeries, NormalisesClientsMergesRenamesAndDropsInfrastructure) {
  // Rows: ream (bare job, before its rename) at 1 s, ream_0 at 2 s and 3 s,
  // cadvisor, and a row without a job; instance i everywhere.
  auto t = table({strings("client", {"ream", "ream_0", "cadvisor", ""}, {0, 1, 1, 2, 3}),
                  strings("instance", {"i"}, {0, 0, 0, 0, 0}), times({1000, 2000, 3000, 1000, 1000}),
                  values({1, 2, 3, 4, 5})});
  archive::ClientNameMap names(distinct_strings(t, "client"));
  auto series = split_series(t, "x.parquet", "client", {"instance", "peer"}, 0, 10'000);
  ASSERT_TRUE(series.ok()) << series.error().message;
  EXPECT_EQ(series->size(), 3u);  // as the file spells them; "" has no client
  normalise_clients(*series, names);
  ASSERT_EQ(series->size(), 1u);
  const auto& s = series->front();
  EXPECT_EQ(s.client, "ream_0");
  EXPECT_EQ(s.labels, (std::vector<std::string>{"i", ""}));  // no peer column: ""
  EXPECT_EQ(s.series.t, (std::vector<TimeMs>{1000, 2000, 3000}));
  EXPECT_EQ(s.series.v, (std::vector<double>{1, 2, 3}));
}

TEST(SplitSeries, KeepsTheWindowDropsNaNAndNullsAndKeepsTheLastDuplicate) {
  auto value = values({1, NAN, 3, 4, 5, 6});
  value.nullable = true;
  value.valid = {1, 1, 1, 1, 0, 1};
  auto t = table(
      {strings("client", {"a_0"}, {0, 0, 0, 0, 0, 0}), times({500, 1000, 2000, 2000, 3000, 9000}), std::move(value)});
  auto series = split_series(t, "x.parquet", "client", {"instance"}, 1000, 3000);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 1u);
  // 500 and 9000 are outside; the NaN at 1000 and the null at 3000 are not
  // samples; of the two rows at 2000 the later one wins.
  EXPECT_EQ(series->front().series.t, (std::vector<TimeMs>{2000}));
  EXPECT_EQ(series->front().series.v, (std::vector<double>{4}));
}

TEST(SplitSeries, ReadsNanosecondTimestampsAsMilliseconds) {
  auto t = table({strings("client", {"a_0"}, {0, 0}), times({1'000'000'000, 2'000'500'000}, parquet::TimeUnit::Nanos),
                  values({1, 2})});
  auto series = split_series(t, "x.parquet", "client", {}, 0, 5000);
  ASSERT_TRUE(series.ok());
  EXPECT_EQ(series->front().series.t, (std::vector<TimeMs>{1000, 2000}));
}

TEST(SplitSeries, SeparatesSeriesByLabelsAndStripsDockersSlash) {
  auto t = table({strings("container", {"/ream_0", "ream_0"}, {0, 1, 0}),
                  strings("interface", {"eth0", "eth1"}, {0, 0, 1}), times({1, 2, 1}), values({1, 2, 3})});
  auto series = split_series(t, "x.parquet", "container", {"interface"}, 0, 10);
  ASSERT_TRUE(series.ok());
  normalise_clients(*series, archive::ClientNameMap{});
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].client, "ream_0");
  EXPECT_EQ((*series)[0].labels[0], "eth0");
  EXPECT_EQ((*series)[0].series.v, (std::vector<double>{1, 2}));
  EXPECT_EQ((*series)[1].labels[0], "eth1");
}

TEST(SplitSeries, JoinsInterleavedRowsAndDictionaryDuplicatesInRowOrder) {
  // Codes 0 and 2 spell the same client (two row groups' dictionaries);
  // the rows of a_0 alternate with b_0's.
  auto t = table({strings("client", {"a_0", "b_0", "a_0"}, {0, 1, 2, 1, 0}), times({3, 1, 1, 2, 2}),
                  values({30, 10, 11, 20, 21})});
  auto series = split_series(t, "x.parquet", "client", {}, 0, 10);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].client, "a_0");
  EXPECT_EQ((*series)[0].series.t, (std::vector<TimeMs>{1, 2, 3}));
  EXPECT_EQ((*series)[0].series.v, (std::vector<double>{11, 21, 30}));
  EXPECT_EQ((*series)[1].client, "b_0");
  EXPECT_EQ((*series)[1].series.v, (std::vector<double>{10, 20}));
}

TEST(NormaliseClients, MergedSeriesKeepTheLaterSeriesSampleAtTheSameTime) {
  auto t = table({strings("client", {"ream", "ream_0"}, {0, 0, 1, 1}), times({1, 2, 2, 3}), values({1, 2, 20, 3})});
  auto series = split_series(t, "x.parquet", "client", {}, 0, 10);
  ASSERT_TRUE(series.ok());
  normalise_clients(*series, archive::ClientNameMap(distinct_strings(t, "client")));
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ(series->front().client, "ream_0");
  EXPECT_EQ(series->front().series.t, (std::vector<TimeMs>{1, 2, 3}));
  EXPECT_EQ(series->front().series.v, (std::vector<double>{1, 20, 3}));
}

TEST(SplitSeries, NamesTheFileWhenAColumnIsMissing) {
  auto t = table({strings("client", {"a_0"}, {0}), times({1})});
  auto series = split_series(t, "/data/d/peers.parquet", "client", {}, 0, 10);
  ASSERT_FALSE(series.ok());
  EXPECT_NE(series.error().message.find("/data/d/peers.parquet"), std::string::npos);
  EXPECT_NE(series.error().message.find("'value'"), std::string::npos);
}

TEST(LatestVersions, TakesTheLastVersionInTheWindow) {
  auto t =
      table({strings("client", {"zeam", "zeam_0"}, {0, 1, 1, 1}),
             strings("version", {"v1", "v2", "v3", ""}, {0, 1, 2, 3}), times({1, 3, 20, 4}), values({1, 1, 1, 1})});
  archive::ClientNameMap names(distinct_strings(t, "client"));
  auto versions = latest_versions(t, names, 0, 10);
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions.at("zeam_0"), "v2");  // v3 is after the window; "" is no version
}

TEST(ReadDataset, ProjectsColumnsTheFileHasAndChecksRequiredOnes) {
  testing::TempDir dir;
  auto t = table(
      {strings("client", {"a_0"}, {0, 0}), strings("instance", {"i"}, {0, 0}), times({1000, 5000}), values({1, 2})});
  ASSERT_TRUE(parquet::write_table(dir / "d.parquet", t).ok());
  auto read =
      read_dataset(dir / "d.parquet", {"client", "timestamp", "value", "result"}, {"client", "value"}, 0, 10'000);
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->columns.size(), 3u);  // no instance (not asked), no result (not there)
  EXPECT_EQ((*read)->num_rows, 2u);
  EXPECT_EQ(rows_in_window(**read, 0, 1000), 1u);

  auto missing = read_dataset(dir / "d.parquet", {"client"}, {"container"}, 0, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("d.parquet"), std::string::npos);
  EXPECT_NE(missing.error().message.find("'container'"), std::string::npos);

  auto absent = read_dataset(dir / "none.parquet", {"client"}, {"client"}, 0, 10);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

}  // namespace
}  // namespace leanscope::analysis::detail
