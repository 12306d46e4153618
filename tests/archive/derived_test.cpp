// The derived quantile files from hand-made buckets, with every answer worked
// out here: windows, resets, empty windows, and bad buckets (no +Inf, an `le`
// that does not parse, counts that fall as `le` rises, a bucket that stops).
#include "archive/derived.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "support/test_support.h"

namespace leanscope::archive {
namespace {

constexpr TimeMs kS = 1'790'000'040'000;  // not on a 5 min boundary: windows count from the devnet's start
TimeMs minute(int m) { return kS + m * 60'000LL; }

const DatasetSpec& timing() { return *find_dataset("pq_signature_timing"); }

// One bucket series of a histogram: values at minutes 0, 1, ... (NaN: no sample).
KeyedSeries bucket(std::string client, std::string instance, std::string metric, std::string le,
                   const std::vector<double>& per_minute) {
  KeyedSeries s;
  s.client = std::move(client);
  s.labels = {std::move(instance), std::move(metric), std::move(le)};
  for (std::size_t m = 0; m < per_minute.size(); ++m) {
    if (std::isnan(per_minute[m])) continue;
    s.series.t.push_back(minute(static_cast<int>(m)));
    s.series.v.push_back(per_minute[m]);
  }
  return s;
}

// (client, instance, metric, quantile) -> [(window end, value)]
using Rows =
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<std::pair<TimeMs, double>>>;

struct Derivation {
  Rows rows;
  DerivationIssues issues;
};

Derivation derive(const std::vector<KeyedSeries>& source, TimeWindow window) {
  static int n = 0;
  static testing::TempDir dir;
  DatasetTableBuilder builder(timing(), ClientNameMap{});
  Derivation out;
  out.issues = add_timing_rows(timing(), source, window, builder);
  const auto file = dir / ("t" + std::to_string(n++) + ".parquet");
  EXPECT_TRUE(builder.write(file, "test").ok());
  auto read = read_dataset_file(file, timing(), window);
  EXPECT_TRUE(read.ok()) << read.error().message;
  if (!read) return out;
  for (const auto& s : read->series) {
    auto& rows = out.rows[{s.client, s.labels[0], s.labels[1], s.labels[2]}];
    for (std::size_t i = 0; i < s.series.size(); ++i) rows.emplace_back(s.series.t[i], s.series.v[i]);
  }
  return out;
}

// The histogram of the first test: bounds 0.1, 0.5, 1, +Inf; 15 minutes.
// Window 1 (min 0, 5]: 8 observations <= 0.1, 8 in (0.1, 0.5], 4 in (0.5, 1].
// Window 2 (5, 10]: 2 observations <= 0.1 at minute 6, then a restart at
// minute 7 whose counters hold 1 observation <= 0.1 and 2 above 1.
// Window 3 (10, 15]: nothing.
std::vector<KeyedSeries> worked_histogram(const std::string& client = "ream_0") {
  auto series = [&](const std::string& le, double w1, double m6, std::vector<double> restarted) {
    std::vector<double> v{0, w1, w1, w1, w1, w1, w1 + m6};
    for (int m = 7; m <= 15; ++m) v.push_back(restarted[0]);
    return bucket(client, "ream-0:9100", "signing", le, v);
  };
  return {series("0.1", 8, 2, {1}), series("0.5", 16, 2, {1}), series("1", 20, 2, {1}), series("+Inf", 20, 2, {3})};
}

TEST(TimingRows, QuantilesPerFiveMinuteWindowWorkedOut) {
  const auto d = derive(worked_histogram(), {minute(0), minute(15)});
  EXPECT_FALSE(d.issues.any()) << d.issues.describe("src", "dst");
  ASSERT_EQ(d.rows.size(), 3u);
  auto at = [&](const std::string& q) { return d.rows.at({"ream_0", "ream-0:9100", "signing", q}); };
  // Window 1: cumulative 8, 16, 20, 20 of 20.
  //   p50: rank 10 in (0.1, 0.5] holding 8 -> 0.1 + 0.4 * (10 - 8) / 8 = 0.2
  //   p95: rank 19 in (0.5, 1] holding 4 -> 0.5 + 0.5 * (19 - 16) / 4 = 0.875
  //   p99: rank 19.8 -> 0.5 + 0.5 * 3.8 / 4 = 0.975
  // Window 2: increases 2 + 1 = 3 for every finite bound, 2 + 3 = 5 for +Inf.
  //   p50: rank 2.5 in (0, 0.1] holding 3 -> 0.1 * 2.5 / 3
  //   p95, p99: ranks 4.75 and 4.95 in +Inf -> the highest finite bound, 1
  // Window 3: no observations -> no row (never 0, never NaN).
  const auto p50 = at("0.5"), p95 = at("0.95"), p99 = at("0.99");
  ASSERT_EQ(p50.size(), 2u);
  ASSERT_EQ(p95.size(), 2u);
  ASSERT_EQ(p99.size(), 2u);
  EXPECT_EQ(p50[0].first, minute(5));
  EXPECT_EQ(p50[1].first, minute(10));
  EXPECT_DOUBLE_EQ(p50[0].second, 0.2);
  EXPECT_DOUBLE_EQ(p50[1].second, 0.1 * 2.5 / 3);
  EXPECT_DOUBLE_EQ(p95[0].second, 0.875);
  EXPECT_DOUBLE_EQ(p95[1].second, 1.0);
  EXPECT_DOUBLE_EQ(p99[0].second, 0.975);
  EXPECT_DOUBLE_EQ(p99[1].second, 1.0);
}

TEST(TimingRows, EachInstanceAndTagIsItsOwnHistogram) {
  auto source = worked_histogram("ream_0");
  for (auto& s : worked_histogram("zeam_0")) source.push_back(std::move(s));
  // The same buckets under another tag, doubled: the quantiles are the same.
  for (auto s : worked_histogram("ream_0")) {
    s.labels[1] = "verification";
    for (double& v : s.series.v) v *= 2;
    source.push_back(std::move(s));
  }
  const auto d = derive(source, {minute(0), minute(15)});
  ASSERT_EQ(d.rows.size(), 9u);
  for (const auto& [key, rows] : d.rows) {
    ASSERT_EQ(rows.size(), 2u);
    if (std::get<3>(key) == "0.5") {
      EXPECT_DOUBLE_EQ(rows[0].second, 0.2);
    }
  }
}

TEST(TimingRows, BadBucketsAreSkippedCountedAndNeverInventAValue) {
  auto source = worked_histogram();
  // An `le` that does not parse, in an otherwise good histogram: left out, the
  // answers of the others unchanged.
  source.push_back(bucket("ream_0", "ream-0:9100", "signing", "fast", {0, 100, 100, 100, 100, 100}));
  // No +Inf bucket: no quantile can be computed, no row.
  source.push_back(bucket("zeam_0", "zeam-0:9100", "signing", "0.1", {0, 5, 5, 5, 5, 5}));
  source.push_back(bucket("zeam_0", "zeam-0:9100", "signing", "0.5", {0, 9, 9, 9, 9, 9}));
  // Counts falling as le rises (6 <= 0.1 but 4 <= 0.5 of 10): repaired as
  // Prometheus does, 0.5 raised to 6: p50 rank 5 in (0, 0.1] holding 6 ->
  // 0.1 * 5 / 6; p95 rank 9.5 in +Inf -> 0.5.
  source.push_back(bucket("qlean_0", "qlean-0:9100", "signing", "0.1", {0, 6, 6, 6, 6, 6}));
  source.push_back(bucket("qlean_0", "qlean-0:9100", "signing", "0.5", {0, 4, 4, 4, 4, 4}));
  source.push_back(bucket("qlean_0", "qlean-0:9100", "signing", "+Inf", {0, 10, 10, 10, 10, 10}));
  // A bucket that stops at minute 5 while the others go on: window 2 has only
  // 1 and +Inf (4 observations each): p50 rank 2 in (0, 1] -> 0.5. Window 1
  // had 2 <= 0.1 of 4: p50 rank 2 in (0, 0.1] holding 2 -> 0.1.
  const double gone = std::nan("");
  source.push_back(
      bucket("lantern_0", "lantern-0:9100", "signing", "0.1", {0, 2, 2, 2, 2, 2, gone, gone, gone, gone, gone}));
  source.push_back(bucket("lantern_0", "lantern-0:9100", "signing", "1", {0, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8}));
  source.push_back(bucket("lantern_0", "lantern-0:9100", "signing", "+Inf", {0, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8}));

  const auto d = derive(source, {minute(0), minute(10)});
  EXPECT_EQ(d.issues.bad_le, 1);
  EXPECT_EQ(d.issues.without_inf, 1);
  EXPECT_EQ(d.issues.non_monotonic, 1);
  EXPECT_EQ(d.issues.ended_early, 1);
  EXPECT_EQ(d.issues.describe("pq_signature_histograms", "pq_signature_timing"),
            "pq_signature_histograms: 1 series without a +Inf bucket skipped, 1 bucket series with an le that does "
            "not parse left out, 1 series with buckets not rising with le (repaired as Prometheus' "
            "histogram_quantile does), 1 bucket series ending before the rest of their histogram in "
            "pq_signature_timing");
  for (const auto& [key, rows] : d.rows) {
    EXPECT_NE(std::get<0>(key), "zeam_0");
    for (const auto& [t, v] : rows) EXPECT_TRUE(std::isfinite(v)) << std::get<0>(key);
  }
  EXPECT_DOUBLE_EQ(d.rows.at({"ream_0", "ream-0:9100", "signing", "0.5"}).at(0).second, 0.2);
  const auto& qlean50 = d.rows.at({"qlean_0", "qlean-0:9100", "signing", "0.5"});
  ASSERT_EQ(qlean50.size(), 1u);  // window 2 has no observations
  EXPECT_DOUBLE_EQ(qlean50[0].second, 0.1 * 5 / 6);
  EXPECT_DOUBLE_EQ(d.rows.at({"qlean_0", "qlean-0:9100", "signing", "0.95"}).at(0).second, 0.5);
  const auto& lantern50 = d.rows.at({"lantern_0", "lantern-0:9100", "signing", "0.5"});
  ASSERT_EQ(lantern50.size(), 2u);
  EXPECT_DOUBLE_EQ(lantern50[0].second, 0.1);
  EXPECT_DOUBLE_EQ(lantern50[1].second, 0.5);
}

TEST(TimingRows, NothingToSayIsAnEmptyLine) {
  EXPECT_EQ(DerivationIssues{}.describe("a", "b"), "");
  DerivationIssues two;
  two.without_inf = 2;
  EXPECT_EQ(two.describe("pq_signature_histograms", "pq_signature_timing"),
            "pq_signature_histograms: 2 series without a +Inf bucket skipped in pq_signature_timing");
}

TEST(TimingRows, AHistogramShorterThanAWindowGivesNoRows) {
  const auto d = derive(worked_histogram(), {minute(0), minute(4)});
  EXPECT_TRUE(d.rows.empty());
}

TEST(StoredPromql, ADerivedDatasetNamesItsSourceAndHashesItsQueries) {
  const auto& source = *find_dataset("pq_signature_histograms");
  const std::string text = stored_promql(timing(), R"(net="a")");
  EXPECT_NE(text.find("pq_signature_histograms"), std::string::npos);
  EXPECT_TRUE(text.ends_with(rendered_promql(source, R"(net="a")"))) << text;
  EXPECT_EQ(stored_promql(source, ""), rendered_promql(source, ""));
  EXPECT_NE(dataset_query_hash(timing(), "", 0, 1), dataset_query_hash(source, "", 0, 1));
  EXPECT_NE(dataset_query_hash(timing(), "", 0, 1), dataset_query_hash(timing(), R"(net="a")", 0, 1));
  EXPECT_EQ(dataset_query_hash(source, "", 0, 1), query_hash(rendered_promql(source, ""), source.step_seconds, 0, 1));
}

TEST(DeriveDataset, WritesTheFileFromTheSourceFileAndNeverReplacesMoreWithLess) {
  testing::TempDir dir;
  const auto& source_spec = *find_dataset("pq_signature_histograms");
  const auto source_file = dir / "pq_signature_histograms.parquet";
  {
    DatasetTableBuilder builder(source_spec, ClientNameMap{});
    for (const auto& s : worked_histogram()) {
      builder.add_series(source_spec.queries[0], {{"job", s.client}, {"instance", s.labels[0]}, {"le", s.labels[2]}},
                         s.series.t, s.series.v);
    }
    ASSERT_TRUE(builder.write(source_file, rendered_promql(source_spec, "")).ok());
  }
  DeriveRequest request;
  request.spec = &timing();
  request.source_file = source_file;
  request.path = dir / "d" / "pq_signature_timing.parquet";
  request.devnet = "pqdevnet-x";
  request.window = {minute(0), minute(15)};
  request.keep_if_more = true;
  auto first = derive_dataset(request);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->rows, 6);
  EXPECT_FALSE(first->kept);
  auto table = parquet::read_table(request.path);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->num_rows, 6u);
  ASSERT_NE(table->meta("promql"), nullptr);
  EXPECT_EQ(*table->meta("promql"), stored_promql(timing(), ""));
  EXPECT_EQ(table->find("metric")->string_at(0), "signing");  // the tag of the query (old or new name alike)
  EXPECT_EQ(table->find("client")->string_at(0), "ream_0");

  // A shorter window derives fewer rows: the archived file stays.
  const auto before = testing::read_text(request.path);
  request.window = {minute(0), minute(6)};
  auto second = derive_dataset(request);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->kept);
  EXPECT_EQ(second->rows, 3);
  EXPECT_EQ(second->archived_rows, 6);
  EXPECT_EQ(testing::read_text(request.path), before);

  // A missing source gives an empty file, not an error.
  request.source_file = dir / "absent.parquet";
  request.keep_if_more = false;
  auto empty = derive_dataset(request);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->rows, 0);
}

// Bucket counters of two clients' histograms per minute over [0, minutes]:
// irregular rises, a restart (reset) of zeam_0 at minute 47; `bump` added
// to every bucket from minute `bumped` on (a corrected tail).
std::vector<KeyedSeries> long_histograms(int minutes, int bumped = 1000, double bump = 0) {
  std::vector<KeyedSeries> out;
  for (const std::string client : {"ream_0", "zeam_0"}) {
    const std::vector<std::string> les{"0.1", "0.5", "1", "+Inf"};
    for (std::size_t b = 0; b < les.size(); ++b) {
      std::vector<double> v;
      double count = 0;
      for (int m = 0; m <= minutes; ++m) {
        if (client == "zeam_0" && m == 47) count = 0;
        count += static_cast<double>((m * 7 + static_cast<int>(b) * 3) % 5 + b);
        v.push_back(count + (m >= bumped ? bump : 0));
      }
      out.push_back(bucket(client, client + ":9100", "signing", les[b], v));
    }
  }
  return out;
}

// Adds the samples of `series` at minutes [from, to] to a source table.
void add_minutes(DatasetTableBuilder& builder, const std::vector<KeyedSeries>& series, int from, int to) {
  const auto& spec = *find_dataset("pq_signature_histograms");
  for (const auto& s : series) {
    std::vector<TimeMs> t;
    std::vector<double> v;
    for (std::size_t i = 0; i < s.series.t.size(); ++i) {
      if (s.series.t[i] < minute(from) || s.series.t[i] > minute(to)) continue;
      t.push_back(s.series.t[i]);
      v.push_back(s.series.v[i]);
    }
    builder.add_series(spec.queries[0], {{"job", s.client}, {"instance", s.labels[0]}, {"le", s.labels[2]}}, t, v);
  }
}

std::vector<std::string> sorted_rows(const std::filesystem::path& path) {
  auto t = parquet::read_table(path);
  EXPECT_TRUE(t.ok()) << t.error().message;
  std::vector<std::string> out;
  if (!t) return out;
  for (std::size_t r = 0; r < t->num_rows; ++r) {
    out.push_back(fmt::format("{} {} {} {} {} {}", t->find("client")->string_at(r), t->find("instance")->string_at(r),
                              t->find("metric")->string_at(r), t->find("quantile")->string_at(r),
                              t->find("timestamp")->ints[r], t->find("value")->doubles[r]));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DeriveDataset, TheTailOfAnAppendedSourceDerivesTheSameRowsAsTheWhole) {
  testing::TempDir dir;
  const auto& source_spec = *find_dataset("pq_signature_histograms");
  const auto source = dir / "pq_signature_histograms.parquet";
  {
    DatasetTableBuilder builder(source_spec, ClientNameMap{});
    add_minutes(builder, long_histograms(40), 0, 40);
    ASSERT_TRUE(builder.write(source, rendered_promql(source_spec, "")).ok());
  }
  DeriveRequest request;
  request.spec = &timing();
  request.source_file = source;
  request.path = dir / "tail" / "pq_signature_timing.parquet";
  request.devnet = "pqdevnet-x";
  request.window = {minute(0), minute(40)};
  request.keep_if_more = true;
  ASSERT_TRUE(derive_dataset(request).ok());

  // The source appended to from minute 35 (as fetch's tail does), its last
  // minutes corrected, 20 more minutes with a restart in them.
  const auto grown = long_histograms(60, 35, 1);
  {
    DatasetTableBuilder builder(source_spec, ClientNameMap{});
    ASSERT_TRUE(builder.append_to_archived(source, minute(35)).ok());
    add_minutes(builder, grown, 35, 60);
    ASSERT_TRUE(builder.write(source, rendered_promql(source_spec, "")).ok());
  }
  request.window = {minute(0), minute(60)};
  request.source_tail_from = minute(35);
  request.source_newest_before = minute(40);
  auto tail = derive_dataset(request);
  ASSERT_TRUE(tail.ok()) << tail.error().message;
  EXPECT_TRUE(tail->tail);

  DeriveRequest whole = request;
  whole.path = dir / "whole" / "pq_signature_timing.parquet";
  whole.source_tail_from.reset();
  auto all = derive_dataset(whole);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_FALSE(all->tail);
  const auto expected = sorted_rows(whole.path);
  EXPECT_GT(expected.size(), 2u * 3 * 10);
  EXPECT_EQ(sorted_rows(request.path), expected);
  EXPECT_EQ(tail->rows, all->rows);

  // A derived file not made from the source as it was before: derived whole.
  request.source_newest_before = minute(39);
  auto stale = derive_dataset(request);
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(stale->tail);
  EXPECT_EQ(sorted_rows(request.path), expected);

  // A series whose first sample read lies in a changed window (a client
  // joining at minute 58): its rise may start before what the tail reads,
  // so the file is derived whole; the same rows either way.
  auto joined = long_histograms(70);
  for (auto s : long_histograms(70)) {
    if (s.client != "ream_0") continue;
    s.client = "qlean_0";
    s.labels[0] = "qlean_0:9100";
    std::vector<TimeMs> t;
    std::vector<double> v;
    for (std::size_t i = 0; i < s.series.t.size(); ++i) {
      if (s.series.t[i] < minute(58)) continue;
      t.push_back(s.series.t[i]);
      v.push_back(s.series.v[i]);
    }
    s.series.t = t;
    s.series.v = v;
    joined.push_back(s);
  }
  {
    DatasetTableBuilder builder(source_spec, ClientNameMap{});
    ASSERT_TRUE(builder.append_to_archived(source, minute(55)).ok());
    add_minutes(builder, joined, 55, 70);
    ASSERT_TRUE(builder.write(source, rendered_promql(source_spec, "")).ok());
  }
  request.window = whole.window = {minute(0), minute(70)};
  request.source_tail_from = minute(55);
  request.source_newest_before = minute(60);
  auto rejoined = derive_dataset(request);
  ASSERT_TRUE(rejoined.ok()) << rejoined.error().message;
  EXPECT_FALSE(rejoined->tail);
  ASSERT_TRUE(derive_dataset(whole).ok());
  EXPECT_EQ(sorted_rows(request.path), sorted_rows(whole.path));
}

}  // namespace
}  // namespace leanscope::archive
