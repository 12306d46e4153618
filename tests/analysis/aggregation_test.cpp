// The aggregation report on hand-made archives: rates per slot and per second
// from reset-aware increases per elapsed time, signatures included in
// aggregates, building time under both names, aggregated verification time
// and slow_verification, the share of expected attestations.
#include "analysis/aggregation.h"

#include <gtest/gtest.h>

#include <cmath>

#include "archive/datasets.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = testing::TestArchive;
TimeMs at(int minute) { return testing::at_minute(minute); }

// Query positions in the registry (archive/datasets.cpp).
constexpr std::size_t kBuilding = 2, kAggVerification = 3;
constexpr std::size_t kAggTotal = 3, kAggValid = 4, kAggInvalid = 5, kInAggregates = 6;

const std::vector<std::string> kDatasets{"pq_signature_metrics", "pq_signature_histograms", "pq_signature_timing",
                                         "validators_count"};

std::vector<double> times_n(double per_minute, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(per_minute * i);
  return v;
}

// Every observation of a 10-minute devnet (4 per minute) in (lower, upper].
void add_all_in(Archive& a, std::size_t query, const std::string& job, const std::string& lower,
                const std::string& upper, const std::string& name = "") {
  for (const auto& [le, per_minute] :
       {std::pair{lower, 0.0}, std::pair{upper, 4.0}, std::pair{std::string("+Inf"), 4.0}}) {
    archive::Labels labels{{"job", job}, {"instance", job + ":1"}, {"le", le}};
    if (!name.empty()) labels.emplace_back("__name__", name);
    a.add("pq_signature_histograms", query, labels, 0, times_n(per_minute, 11));
  }
}

Result<ReportModel> analyse(const Archive& a, const Settings& settings = {}) {
  auto data = DevnetData::load(a.dir(), a.devnet(), kDatasets, {}, settings);
  if (!data) return data.error();
  return analyse_aggregation(*data);
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

const Line* line(const Section& s, std::size_t panel, std::string_view label) {
  for (const auto& l : s.panels.at(panel).lines) {
    if (l.label == label) return &l;
  }
  return nullptr;
}

TEST(Aggregation, RatesArePerElapsedTimeAndResetAware) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  // Aggregates built: +30 over the first minute, then a restart and 15 over
  // the next two minutes (samples at 0, 1 and 3 min). Per 4 s slot: 30 / 15
  // slots = 2, then 15 / 30 slots = 0.5; per second 0.5, then 0.125. Per row
  // would read 30 and 15; dropping the drop would lose the second interval.
  a.add_at("pq_signature_metrics", kAggTotal, {{"job", "zeam_0"}, {"instance", "z:1"}}, {at(0), at(1), at(3)},
           {0, 30, 15});
  a.add_at("pq_signature_metrics", kAggValid, {{"job", "zeam_0"}, {"instance", "z:1"}}, {at(0), at(1), at(3)},
           {0, 30, 15});
  a.add_at("pq_signature_metrics", kAggInvalid, {{"job", "zeam_0"}, {"instance", "z:1"}}, {at(0), at(1), at(3)},
           {0, 0, 0});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;

  const auto* per_slot = section(*m, "per-slot");
  ASSERT_NE(per_slot, nullptr);
  const auto* built = line(*per_slot, 0, "built");
  ASSERT_NE(built, nullptr);
  EXPECT_EQ(built->series.t, (std::vector<TimeMs>{at(1), at(3)}));
  EXPECT_DOUBLE_EQ(built->series.v[0], 2);
  EXPECT_DOUBLE_EQ(built->series.v[1], 0.5);
  ASSERT_NE(line(*per_slot, 0, "verified valid"), nullptr);
  ASSERT_NE(line(*per_slot, 0, "verified invalid"), nullptr);
  EXPECT_EQ(line(*per_slot, 0, "verified invalid")->series.v, (std::vector<double>{0, 0}));

  const auto* per_second = section(*m, "per-second");
  ASSERT_NE(per_second, nullptr);
  EXPECT_EQ(per_second->unit, Unit::PerSecond);
  const auto* built_s = line(*per_second, 0, "built");
  ASSERT_NE(built_s, nullptr);
  EXPECT_DOUBLE_EQ(built_s->series.v[0], 0.5);
  EXPECT_DOUBLE_EQ(built_s->series.v[1], 0.125);

  // avg = the total increase (45) over the window's slots (600 s / 4 = 150);
  // max = the largest interval's value.
  EXPECT_DOUBLE_EQ(*figure(*m, "zeam_0", "aggregates_per_slot.avg"), 0.3);
  EXPECT_DOUBLE_EQ(*figure(*m, "zeam_0", "aggregates_per_slot.max"), 2);
  EXPECT_NE(m->health.find("0.30 aggregates per slot"), std::string::npos) << m->health;
}

TEST(Aggregation, SignaturesIncludedInAggregatesAreAResetAwareTotal) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0", "zeam_0"});
  // 64 + 64, a restart (the new 32 is the increase), + 64.
  a.add("pq_signature_metrics", kInAggregates, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {0, 64, 128, 32, 96});
  a.add("validators_count", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {4, 4, 4, 4, 4});
  a.add("validators_count", 0, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, {4, 4, 4, 4, 4});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_DOUBLE_EQ(*figure(*m, "ream_0", "signatures_aggregated"), 224);
  EXPECT_FALSE(figure(*m, "zeam_0", "signatures_aggregated").has_value());
  EXPECT_FALSE(figure(*m, "ream_0", "aggregates_per_slot.avg").has_value());
  const auto* cumulative = section(*m, "signatures-aggregated");
  ASSERT_NE(cumulative, nullptr);
  const auto* l = line(*cumulative, 0, "signatures");
  ASSERT_NE(l, nullptr);
  EXPECT_DOUBLE_EQ(l->series.v.back(), 224);

  // 64 attestations per minute = 64 / 15 per slot, of 8 validators expected
  // per slot: 53.3 %.
  const auto* share = section(*m, "expected-share");
  ASSERT_NE(share, nullptr);
  EXPECT_TRUE(share->note.empty());
  const auto* pct = line(*share, 0, "in aggregates");
  ASSERT_NE(pct, nullptr);
  EXPECT_NEAR(pct->series.v[0], 64.0 / 15 / 8 * 100, 1e-9);
  EXPECT_TRUE(share->panels.at(1).lines.empty());
}

TEST(Aggregation, WithoutValidatorsTheShareIsNotComputed) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"ream_0"});
  a.add("pq_signature_metrics", kInAggregates, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {0, 64, 128});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  const auto* share = section(*m, "expected-share");
  ASSERT_NE(share, nullptr);
  EXPECT_FALSE(share->note.empty());
  EXPECT_TRUE(share->panels.empty());
}

TEST(Aggregation, BuildingTimeUnderBothNames) {
  // One query reads the current and the pre-rename name, both prefixes.
  const auto* spec = archive::find_dataset("pq_signature_histograms");
  ASSERT_NE(spec, nullptr);
  const auto& q = spec->queries.at(kBuilding);
  for (const char* name : {"lean_pq_sig_aggregated_signatures_building_time_seconds_bucket",
                           "lean_pq_sig_attestation_signatures_building_time_seconds_bucket",
                           "lean_pq_signature_aggregated_signatures_building_time_seconds_bucket",
                           "lean_pq_signature_attestation_signatures_building_time_seconds_bucket"}) {
    EXPECT_NE(q.promql.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(q.fixed.at("metric"), "agg_building");

  testing::TempDir dir;
  Archive a(dir.path(), 10, {"new_0", "old_0"});
  add_all_in(a, kBuilding, "new_0", "0.01", "0.02", "lean_pq_sig_aggregated_signatures_building_time_seconds_bucket");
  add_all_in(a, kBuilding, "old_0", "0.01", "0.02", "lean_pq_sig_attestation_signatures_building_time_seconds_bucket");
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  // All in (10, 20] ms: p50 = 10 + 10 × 0.5 = 15 ms, p95 19.5 ms, p99 19.9 ms.
  for (const char* c : {"new_0", "old_0"}) {
    EXPECT_NEAR(*figure(*m, c, "building_s.p50"), 0.015, 1e-12) << c;
    EXPECT_NEAR(*figure(*m, c, "building_s.p95"), 0.0195, 1e-12) << c;
    EXPECT_NEAR(*figure(*m, c, "building_s.p99"), 0.0199, 1e-12) << c;
    EXPECT_FALSE(figure(*m, c, "verification_s.p50").has_value());
  }
  const auto* net = m->network_figures.find("aggregation.building_s.p95");
  ASSERT_NE(net, nullptr);
  EXPECT_NEAR(*net->value, 0.0195, 1e-12);
  const auto* exported = section(*m, "exported");
  ASSERT_NE(exported, nullptr);
  EXPECT_EQ(exported->tables.at(0).rows.at(1), (std::vector<std::string>{"old_0", "–", "–", "yes", "–"}));
}

TEST(Aggregation, SlowAggregatedVerification) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"a_0", "b_0", "c_0", "d_0"});
  for (const char* job : {"a_0", "b_0", "c_0"}) add_all_in(a, kAggVerification, job, "0.001", "0.002");
  add_all_in(a, kAggVerification, "d_0", "0.005", "0.01");
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->findings.size(), 1u);
  EXPECT_EQ(m->findings[0].client, "d_0");
  EXPECT_EQ(m->findings[0].kind, "slow_verification");
  EXPECT_NE(m->findings[0].detail.find("aggregated signature verification"), std::string::npos);
  auto relaxed = analyse(a, {{"slow_verification.ratio", 5.5}});
  ASSERT_TRUE(relaxed.ok());
  EXPECT_TRUE(relaxed->findings.empty());
  const auto* cmp = section(*m, "p95-comparison");
  ASSERT_NE(cmp, nullptr);
  ASSERT_TRUE(cmp->bars.has_value());
  EXPECT_EQ(cmp->bars->groups.size(), 4u);
}

TEST(Aggregation, NoSlowVerificationWithTwoClients) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"a_0", "d_0"});
  add_all_in(a, kAggVerification, "a_0", "0.001", "0.002");
  add_all_in(a, kAggVerification, "d_0", "0.005", "0.01");
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_TRUE(m->findings.empty());
}

TEST(Aggregation, EmptyArchiveRendersWithNullFigures) {
  testing::TempDir dir;
  Archive a(dir.path(), 10, {"zeam_0"});
  a.write();
  auto m = analyse(a);
  ASSERT_TRUE(m.ok()) << m.error().message;
  for (const char* path : {"building_s.p50", "verification_s.p99", "signatures_aggregated", "aggregates_per_slot.avg",
                           "aggregates_per_slot.max"}) {
    EXPECT_FALSE(figure(*m, "zeam_0", path).has_value()) << path;
  }
  EXPECT_EQ(m->health, "no aggregation timing data");
  ASSERT_EQ(m->notes.size(), 1u);
  EXPECT_NE(m->notes[0].find("no aggregation metrics"), std::string::npos);
  EXPECT_TRUE(m->findings.empty());
}

}  // namespace
}  // namespace leanscope::analysis
