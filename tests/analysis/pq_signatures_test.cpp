// The pq-signatures report on hand-made archives: quantiles of known buckets
// (worked out here with histogram_quantile's rule), reset-aware totals,
// slow_verification and invalid_signatures, the summary JSON keys, and the
// Python observatory's quantile files.
#include "analysis/pq_signatures.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analysis/summary.h"
#include "archive/datasets.h"
#include "archive/manifest.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = testing::TestArchive;
TimeMs at(int minute) { return testing::at_minute(minute); }

// Query positions in the registry (archive/datasets.cpp).
constexpr std::size_t kSigning = 0, kVerification = 1;
constexpr std::size_t kAttTotal = 0, kAttValid = 1, kAttInvalid = 2, kAggTotal = 3, kAggInvalid = 5;

const std::vector<std::string> kDatasets{"pq_signature_metrics", "pq_signature_histograms", "pq_signature_timing"};

std::vector<double> times_n(double per_minute, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(per_minute * i);
  return v;
}

// One client's histogram: cumulative counts per bound at minutes 0, 1, ...
void add_histogram(Archive& a, std::size_t query, const std::string& job,
                   const std::vector<std::pair<std::string, std::vector<double>>>& buckets) {
  for (const auto& [le, values] : buckets) {
    a.add("pq_signature_histograms", query, {{"job", job}, {"instance", job + ":1"}, {"le", le}}, 0, values);
  }
}

// Every observation of a 10-minute devnet (4 per minute) in (lower, upper].
void add_all_in(Archive& a, std::size_t query, const std::string& job, const std::string& lower,
                const std::string& upper) {
  add_histogram(a, query, job, {{lower, times_n(0, 11)}, {upper, times_n(4, 11)}, {"+Inf", times_n(4, 11)}});
}

Result<ReportModel> analyse(const Archive& a, const Settings& settings = {}) {
  auto data = DevnetData::load(a.dir(), a.devnet(), kDatasets, {}, settings);
  if (!data) return data.error();
  return analyse_pq_signatures(*data);
}

const Section* section(const ReportModel& m, std::string_view id) {
  for (const auto& s : m.sections) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::optional<double> figure(const ReportModel& m, const std::string& client, std::string_view path) {
  const auto* f = m.client_figures.at(client).find(path);
  EXPECT_NE(f, nullptr) << path;
  return f ? f->value : std::nullopt;
}

TEST(PqSignatures, QuantilesOfTheWholeDevnetFromKnownBuckets) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0", "ream_0"});
  // Per minute: 10 observations <= 5 ms, 8 in (5, 10] ms, 2 in (10, 50] ms.
  // Over the devnet: cumulative 100, 180, 200, 200 (+Inf).
  add_histogram(
      a, kVerification, "zeam_0",
      {{"0.005", times_n(10, 11)}, {"0.01", times_n(18, 11)}, {"0.05", times_n(20, 11)}, {"+Inf", times_n(20, 11)}});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  // p50: rank 100 in the first bucket: 0 + 0.005 × 100/100.
  EXPECT_DOUBLE_EQ(*figure(*m, "zeam_0", "verification_s.p50"), 0.005);
  // p95: rank 190, bucket (0.01, 0.05] holds 180..200: 0.01 + 0.04 × 10/20.
  EXPECT_NEAR(*figure(*m, "zeam_0", "verification_s.p95"), 0.03, 1e-12);
  // p99: rank 198: 0.01 + 0.04 × 18/20.
  EXPECT_NEAR(*figure(*m, "zeam_0", "verification_s.p99"), 0.046, 1e-12);
  // The network merges every client: ream has no data, so the same.
  const auto* net = m->network_figures.find("pq_signatures.verification_s.p95");
  ASSERT_NE(net, nullptr);
  EXPECT_NEAR(*net->value, 0.03, 1e-12);
  // No data: null, never 0.
  EXPECT_FALSE(figure(*m, "ream_0", "verification_s.p95").has_value());
  EXPECT_FALSE(figure(*m, "zeam_0", "signing_s.p50").has_value());

  // Windows of 5 minutes: (0, 5] and (5, 10], each with the same shape.
  const auto* windows = section(*m, "verification");
  ASSERT_NE(windows, nullptr);
  EXPECT_EQ(windows->unit, Unit::Seconds);
  ASSERT_EQ(windows->panels.size(), 2u);
  EXPECT_EQ(windows->panels[0].client, "ream_0");
  EXPECT_TRUE(windows->panels[0].lines.empty());
  const auto& zeam = windows->panels[1];
  ASSERT_EQ(zeam.lines.size(), 3u);
  EXPECT_EQ(zeam.lines[1].label, "p95");
  EXPECT_EQ(zeam.lines[1].series.t, (std::vector<TimeMs>{at(5), at(10)}));
  EXPECT_NEAR(zeam.lines[1].series.v[0], 0.03, 1e-12);

  // The distribution: 50 %, 40 %, 10 %, 0 % of observations.
  const auto* dist = section(*m, "verification-distribution");
  ASSERT_NE(dist, nullptr);
  ASSERT_TRUE(dist->bars.has_value());
  EXPECT_EQ(dist->bars->categories, (std::vector<std::string>{"≤ 5.00 ms", "≤ 10.0 ms", "≤ 50.0 ms", "> 50.0 ms"}));
  ASSERT_EQ(dist->bars->groups.size(), 1u);
  EXPECT_EQ(dist->bars->groups[0].label, "zeam_0");
  const auto& shares = dist->bars->groups[0].values;
  ASSERT_EQ(shares.size(), 4u);
  EXPECT_NEAR(shares[0], 50, 1e-9);
  EXPECT_NEAR(shares[1], 40, 1e-9);
  EXPECT_NEAR(shares[2], 10, 1e-9);
  EXPECT_NEAR(shares[3], 0, 1e-9);

  // The network-wide section's table: every client, then all clients.
  const auto* network = section(*m, "verification-network");
  ASSERT_NE(network, nullptr);
  ASSERT_EQ(network->tables.size(), 1u);
  const auto& rows = network->tables[0].rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"zeam_0", "200", "5.00 ms", "30.0 ms", "46.0 ms"}));
  EXPECT_EQ(rows[2][0], "All clients");
  EXPECT_EQ(rows[0][2], "–");
}

TEST(PqSignatures, BucketsAndCountersAcrossARestartAreResetAware) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"qlean_0"});
  // Before the restart at minute 3 every observation was <= 10 ms, after it
  // every one is above: 20 + 10 + 10 = 40 observations, 20 of them <= 10 ms.
  // Dropping the drop would count 30 (p50 7.5 ms); a counter's maximum 20.
  add_histogram(a, kVerification, "qlean_0", {{"0.01", {0, 10, 20, 0, 0}}, {"+Inf", {0, 10, 20, 10, 20}}});
  // Valid attestation signatures: 10 + 10 + 10, then the restart's 5, then 10.
  a.add("pq_signature_metrics", kAttValid, {{"job", "qlean_0"}, {"instance", "q:1"}}, 0, {0, 10, 20, 30, 5, 15});
  // Produced: the first sample in the window is the baseline (not counted).
  a.add("pq_signature_metrics", kAttTotal, {{"job", "qlean_0"}, {"instance", "q:1"}}, 0, {100, 110, 130});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_DOUBLE_EQ(*figure(*m, "qlean_0", "verification_s.p50"), 0.01);
  // p95 lies in the +Inf bucket: the highest finite bound.
  EXPECT_DOUBLE_EQ(*figure(*m, "qlean_0", "verification_s.p95"), 0.01);
  EXPECT_EQ(section(*m, "verification-network")->tables[0].rows[0][1], "40");
  EXPECT_DOUBLE_EQ(*figure(*m, "qlean_0", "attestation_signatures.valid"), 45);
  EXPECT_DOUBLE_EQ(*figure(*m, "qlean_0", "attestation_signatures.total"), 30);
  EXPECT_FALSE(figure(*m, "qlean_0", "attestation_signatures.invalid").has_value());
  EXPECT_FALSE(figure(*m, "qlean_0", "aggregated.total").has_value());

  // The cumulative line never falls at the restart; it breaks there.
  const auto* chart = section(*m, "attestation-signatures");
  ASSERT_NE(chart, nullptr);
  const auto& lines = chart->panels.at(0).lines;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].label, "valid");
  double last = 0;
  bool broken = false;
  for (double v : lines[1].series.v) {
    if (std::isnan(v)) {
      broken = true;
      continue;
    }
    EXPECT_GE(v, last);
    last = v;
  }
  EXPECT_TRUE(broken);
  EXPECT_DOUBLE_EQ(last, 45);
}

TEST(PqSignatures, SlowVerificationNeedsThreeClientsWithData) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"a_0", "b_0", "c_0", "d_0"});
  // a, b, c: every observation in (1, 2] ms, p95 = 1 + 0.95 = 1.95 ms;
  // d: in (5, 10] ms, p95 = 5 + 5 × 0.95 = 9.75 ms, 5 × the others' median.
  for (const char* job : {"a_0", "b_0", "c_0"}) add_all_in(a, kVerification, job, "0.001", "0.002");
  add_all_in(a, kVerification, "d_0", "0.005", "0.01");
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_NEAR(*figure(*m, "d_0", "verification_s.p95"), 0.00975, 1e-12);
  ASSERT_EQ(m->findings.size(), 1u);
  const auto& f = m->findings[0];
  EXPECT_EQ(f.client, "d_0");
  EXPECT_EQ(f.kind, "slow_verification");
  EXPECT_EQ(f.start, at(0));
  EXPECT_EQ(f.end, at(10));
  EXPECT_NE(f.detail.find("5.0×"), std::string::npos) << f.detail;
  EXPECT_NE(m->health.find("1 slow client"), std::string::npos) << m->health;

  // The threshold comes from leanscope.toml's [findings].
  auto relaxed = analyse(a, {{"slow_verification.ratio", 6}});
  ASSERT_TRUE(relaxed.ok());
  EXPECT_TRUE(relaxed->findings.empty());
  EXPECT_NE(section(*relaxed, "p95-comparison")->text.find("at least 6 times"), std::string::npos);
  EXPECT_NE(section(*m, "p95-comparison")->text.find("at least 3 times"), std::string::npos);
}

TEST(PqSignatures, NoSlowVerificationWithTwoClients) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"a_0", "d_0", "e_0"});
  add_all_in(a, kVerification, "a_0", "0.001", "0.002");
  add_all_in(a, kVerification, "d_0", "0.005", "0.01");
  // e_0 only signs: it has no verification data to compare.
  add_all_in(a, kSigning, "e_0", "0.001", "0.002");
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(m->findings.empty());
}

TEST(PqSignatures, SlowVerificationComparesWithTheMedianOfTheOthers) {
  const archive::Devnet d{};
  // 1, 1, 2.9: 2.9 < 3 × 1. With the client itself in the median, 10 would
  // not be 3 × the median of {1, 1, 4, 10} (2.5)... it is 4 × the others' (1).
  EXPECT_TRUE(slow_verification_findings({{"a", 1.0}, {"b", 1.0}, {"c", 2.9}}, "x", d, 3, 3).empty());
  const auto f = slow_verification_findings({{"a", 1.0}, {"b", 1.0}, {"c", 4.0}, {"d", 10.0}}, "x", d, 3, 3);
  ASSERT_EQ(f.size(), 2u);  // c: 4 / median(1, 1, 10) = 4; d: 10 / median(1, 1, 4) = 10
  EXPECT_EQ(f[0].client, "c");
  EXPECT_EQ(f[1].client, "d");
  // A client without data is not compared and does not count.
  EXPECT_TRUE(slow_verification_findings({{"a", 1.0}, {"b", std::nullopt}, {"c", 9.0}}, "x", d, 3, 3).empty());
}

TEST(PqSignatures, InvalidSignaturesFromAnyIncreaseOfAnInvalidCounter) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0", "qlean_0"});
  // ream: 2 invalid at minute 3, 3 more at minute 5.
  a.add("pq_signature_metrics", kAttInvalid, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {0, 0, 0, 2, 2, 5, 5});
  // zeam: invalid before the window's first sample only (the baseline): none.
  a.add("pq_signature_metrics", kAttInvalid, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, {7, 7, 7, 7});
  // qlean: one invalid aggregated signature at minute 8.
  a.add("pq_signature_metrics", kAggInvalid, {{"job", "qlean_0"}, {"instance", "q:1"}}, 6, {0, 0, 1});
  a.add("pq_signature_metrics", kAggTotal, {{"job", "qlean_0"}, {"instance", "q:1"}}, 6, {0, 4, 9});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->findings.size(), 2u);
  EXPECT_EQ(m->findings[0].client, "ream_0");
  EXPECT_EQ(m->findings[0].kind, "invalid_signatures");
  EXPECT_EQ(m->findings[0].start, at(3));
  EXPECT_EQ(m->findings[0].end, at(5));
  EXPECT_NE(m->findings[0].detail.find("5 invalid PQ signatures (5 attestation, 0 aggregated)"), std::string::npos)
      << m->findings[0].detail;
  EXPECT_EQ(m->findings[1].client, "qlean_0");
  EXPECT_EQ(m->findings[1].start, at(8));
  EXPECT_DOUBLE_EQ(*figure(*m, "qlean_0", "aggregated.invalid"), 1);
  EXPECT_DOUBLE_EQ(*figure(*m, "qlean_0", "aggregated.total"), 9);
  EXPECT_DOUBLE_EQ(*figure(*m, "zeam_0", "attestation_signatures.invalid"), 0);
  EXPECT_NE(m->health.find("invalid signatures at 2 clients"), std::string::npos) << m->health;
}

TEST(PqSignatures, OldPrefixIsReadAsTheCurrentName) {
  // One query per family reads both prefixes; `metric` holds the tag, so a
  // client under the old names is the same metric to the analysis.
  const auto* spec = archive::find_dataset("pq_signature_histograms");
  ASSERT_NE(spec, nullptr);
  const auto& verification = spec->queries.at(kVerification);
  EXPECT_NE(verification.promql.find("lean_pq_sig_attestation_verification_time_seconds_bucket"), std::string::npos);
  EXPECT_NE(verification.promql.find("lean_pq_signature_attestation_verification_time_seconds_bucket"),
            std::string::npos);
  EXPECT_EQ(verification.fixed.at("metric"), "verification");
  const auto* counters = archive::find_dataset("pq_signature_metrics");
  ASSERT_NE(counters, nullptr);
  EXPECT_NE(counters->queries.at(kAttValid).promql.find("lean_pq_signature_attestation_signatures_valid_total"),
            std::string::npos);

  // The same data under each name (the __name__ label differs) gives the
  // same figures.
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"new_0", "old_0"});
  for (const auto& [job, prefix] : {std::pair{"new_0", "lean_pq_sig_"}, std::pair{"old_0", "lean_pq_signature_"}}) {
    const std::string name = std::string(prefix) + "attestation_verification_time_seconds_bucket";
    for (const auto& [le, per_minute] : {std::pair{"0.002", 3.0}, std::pair{"0.004", 4.0}, std::pair{"+Inf", 4.0}}) {
      a.add("pq_signature_histograms", kVerification,
            {{"__name__", name}, {"job", job}, {"instance", std::string(job) + ":1"}, {"le", le}}, 0,
            times_n(per_minute, 11));
    }
    a.add("pq_signature_metrics", kAttValid,
          {{"__name__", std::string(prefix) + "attestation_signatures_valid_total"}, {"job", job}, {"instance", "i"}},
          0, times_n(7, 11));
  }
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  for (const char* path : {"verification_s.p50", "verification_s.p95", "attestation_signatures.valid"}) {
    ASSERT_TRUE(figure(*m, "old_0", path).has_value()) << path;
    EXPECT_EQ(figure(*m, "old_0", path), figure(*m, "new_0", path)) << path;
  }
  EXPECT_DOUBLE_EQ(*figure(*m, "old_0", "attestation_signatures.valid"), 70);
}

TEST(PqSignatures, SummaryJsonHasEveryKeyAndNullWithoutData) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0", "ream_0"});
  add_all_in(a, kVerification, "zeam_0", "0.001", "0.002");
  a.write();
  const auto* pq = find_report("pq-signatures");
  const auto* agg = find_report("aggregation");
  ASSERT_NE(pq, nullptr);
  ASSERT_NE(agg, nullptr);
  auto result = analyse_devnet(a.dir(), a.devnet(), {pq, agg});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto json = summary_json(*result);
  EXPECT_NE(json.find("\"ream_0\":{\"pq_signatures\":{\"signing_s\":{\"p50\":null,\"p95\":null,\"p99\":null},"
                      "\"verification_s\":{\"p50\":null,\"p95\":null,\"p99\":null},"
                      "\"attestation_signatures\":{\"total\":null,\"valid\":null,\"invalid\":null},"
                      "\"aggregated\":{\"total\":null,\"valid\":null,\"invalid\":null}},"
                      "\"aggregation\":{\"building_s\":{\"p50\":null,\"p95\":null,\"p99\":null},"
                      "\"verification_s\":{\"p50\":null,\"p95\":null,\"p99\":null},"
                      "\"signatures_aggregated\":null,\"aggregates_per_slot\":{\"avg\":null,\"max\":null}}}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"network\":{\"pq_signatures\":{\"signing_s\":{\"p50\":null,\"p95\":null,\"p99\":null},"
                      "\"verification_s\":{\"p50\":0.0015,\"p95\":0.00195,\"p99\":0.00199}},"
                      "\"aggregation\":{\"building_s\":{\"p50\":null,\"p95\":null,\"p99\":null},"
                      "\"verification_s\":{\"p50\":null,\"p95\":null,\"p99\":null}}}"),
            std::string::npos)
      << json;
}

TEST(PqSignatures, QuantileFilesOfThePythonObservatory) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0", "ream_0"});
  a.write();
  // Only pq_signature_timing (no histogram file): p95 of 2 ms then 4 ms.
  const auto* spec = archive::find_dataset("pq_signature_timing");
  ASSERT_NE(spec, nullptr);
  archive::DatasetTableBuilder b(*spec, archive::ClientNameMap{});
  const std::vector<TimeMs> t{at(5), at(10)};
  const std::vector<double> p95{0.002, 0.004}, p50{0.001, 0.001};
  b.add_series({"", {{"metric", "verification"}, {"quantile", "0.95"}}}, {{"job", "zeam_0"}, {"instance", "z"}}, t,
               p95);
  b.add_series({"", {{"metric", "verification"}, {"quantile", "0.5"}}}, {{"job", "zeam_0"}, {"instance", "z"}}, t, p50);
  ASSERT_TRUE(b.write(archive::dataset_path(dir.path(), a.devnet().id, "pq_signature_timing"), "test").ok());
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  // The figures are means of the quantile series, and the page says so.
  EXPECT_NEAR(*figure(*m, "zeam_0", "verification_s.p95"), 0.003, 1e-12);
  EXPECT_NEAR(*figure(*m, "zeam_0", "verification_s.p50"), 0.001, 1e-12);
  EXPECT_FALSE(figure(*m, "zeam_0", "verification_s.p99").has_value());
  EXPECT_FALSE(figure(*m, "ream_0", "verification_s.p95").has_value());
  ASSERT_EQ(m->notes.size(), 1u);
  EXPECT_NE(m->notes[0].find("means of those quantile series"), std::string::npos);
  const auto* windows = section(*m, "verification");
  ASSERT_NE(windows, nullptr);
  EXPECT_EQ(windows->panels.at(1).client, "zeam_0");
  ASSERT_EQ(windows->panels.at(1).lines.size(), 2u);
  EXPECT_EQ(windows->panels.at(1).lines[1].label, "p95");
  EXPECT_EQ(windows->panels.at(1).lines[1].series.v, p95);
  const auto* dist = section(*m, "verification-distribution");
  ASSERT_TRUE(dist->bars.has_value());
  EXPECT_TRUE(dist->bars->groups.empty());
}

TEST(PqSignatures, ComparisonChartHasEveryClientsP95) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"a_0", "b_0", "c_0"});
  add_all_in(a, kVerification, "a_0", "0.001", "0.002");
  add_all_in(a, kSigning, "a_0", "0.005", "0.01");
  add_all_in(a, kVerification, "b_0", "0.005", "0.01");
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  const auto* s = section(*m, "p95-comparison");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->chart, ChartKind::Bars);
  ASSERT_TRUE(s->bars.has_value());
  EXPECT_EQ(s->bars->categories, (std::vector<std::string>{"Signing", "Verification"}));
  ASSERT_EQ(s->bars->groups.size(), 2u);  // c_0 has no data
  EXPECT_EQ(s->bars->groups[0].label, "a_0");
  EXPECT_NEAR(s->bars->groups[0].values[0], 0.00975, 1e-12);
  EXPECT_NEAR(s->bars->groups[0].values[1], 0.00195, 1e-12);
  EXPECT_TRUE(std::isnan(s->bars->groups[1].values[0]));
  EXPECT_NEAR(s->bars->groups[1].values[1], 0.00975, 1e-12);
}

}  // namespace
}  // namespace leanscope::analysis
