#include "archive/datasets.h"

#include <gtest/gtest.h>

#include "archive/parquet/parquet.h"
#include "support/test_support.h"

#include <map>
#include <set>

namespace leanscope::archive {
namespace {

TEST(Datasets, RegistryHoldsTheNetworkingDatasetsWithTheirColumns) {
  std::set<std::string> ids;
  for (const auto& d : datasets()) ids.insert(d.id);
  EXPECT_EQ(ids, (std::set<std::string>{"head_slot",
                                        "validators_count",
                                        "node_info",
                                        "network_peers",
                                        "peer_events",
                                        "attestation_metrics",
                                        "container_network",
                                        "finality_metrics",
                                        "fork_choice_reorgs",
                                        "node_sync_status",
                                        "pq_signature_metrics",
                                        "pq_signature_histograms",
                                        "pq_signature_timing",
                                        "state_transition_histograms",
                                        "state_transition_timing",
                                        "state_transition_counters",
                                        "container_cpu",
                                        "container_memory",
                                        "container_disk_io",
                                        "container_lifecycle"}));
  EXPECT_EQ(find_dataset("peer_events")->column_names(),
            (std::vector<std::string>{"client", "instance", "timestamp", "value", "metric", "direction", "result"}));
  EXPECT_EQ(find_dataset("network_peers")->column_names(),
            (std::vector<std::string>{"client", "instance", "timestamp", "value", "client_type", "peer"}));
  EXPECT_EQ(find_dataset("nope"), nullptr);
}

TEST(Datasets, VersionTwoDatasetsHaveTheirLabelColumns) {
  EXPECT_EQ(find_dataset("fork_choice_reorgs")->label_columns(),
            (std::vector<std::string>{"instance", "metric", "le"}));
  EXPECT_EQ(find_dataset("container_disk_io")->label_columns(),
            (std::vector<std::string>{"instance", "device", "metric"}));
  EXPECT_EQ(find_dataset("container_disk_io")->owner_column, "container");
  EXPECT_EQ(find_dataset("state_transition_counters")->label_columns(),
            (std::vector<std::string>{"instance", "metric", "result"}));
  EXPECT_EQ(find_dataset("node_sync_status")->label_columns(), (std::vector<std::string>{"instance", "status"}));
}

// Every name a family had across client versions is asked in one query,
// and `metric` holds the current name or the section's tag.
TEST(Datasets, OldMetricNamesAreQueriedWithTheCurrentOnes) {
  const auto* counters = find_dataset("pq_signature_metrics");
  ASSERT_EQ(counters->queries.size(), 7U);
  EXPECT_EQ(render_promql(counters->queries[1].promql, ""),
            R"(last_over_time({__name__=~"lean_pq_sig_attestation_signatures_valid_total|)"
            R"(lean_pq_signature_attestation_signatures_valid_total"}[1m]))");
  EXPECT_EQ(counters->queries[1].fixed.at("metric"), "lean_pq_sig_attestation_signatures_valid_total");
  const auto* histograms = find_dataset("pq_signature_histograms");
  std::map<std::string, std::string> by_tag;
  for (const auto& q : histograms->queries) by_tag[q.fixed.at("metric")] = q.promql;
  ASSERT_EQ(by_tag.size(), 4U);
  for (const char* name : {"lean_pq_sig_aggregated_signatures_building_time_seconds_bucket",
                           "lean_pq_sig_attestation_signatures_building_time_seconds_bucket",
                           "lean_pq_signature_aggregated_signatures_building_time_seconds_bucket",
                           "lean_pq_signature_attestation_signatures_building_time_seconds_bucket"}) {
    EXPECT_NE(by_tag["agg_building"].find(name), std::string::npos) << name;
  }
}

TEST(Datasets, SelectorIsAddedToANameRegexInsideItsBraces) {
  const std::string family = R"(last_over_time({__name__=~"a|b"@MATCHERS@}[1m]))";
  EXPECT_EQ(render_promql(family, ""), R"(last_over_time({__name__=~"a|b"}[1m]))");
  EXPECT_EQ(render_promql(family, R"({network="x"})"), R"(last_over_time({__name__=~"a|b",network="x"}[1m]))");
  EXPECT_EQ(render_promql("x@SEL@ + y@SEL@", "a=\"1\""), R"(x{a="1"} + y{a="1"})");
}

TEST(Datasets, SelectorIsMergedIntoEveryQuery) {
  EXPECT_EQ(render_promql("lean_head_slot@SEL@", ""), "lean_head_slot");
  EXPECT_EQ(render_promql("lean_head_slot@SEL@", R"({network="devnet-3"})"), R"(lean_head_slot{network="devnet-3"})");
  EXPECT_EQ(render_promql("rate(x@SEL@[5m])", R"(network="a",zone="b")"), R"(rate(x{network="a",zone="b"}[5m]))");
}

// What the builder writes, read back.
parquet::Table finish(DatasetTableBuilder& builder, const std::string& promql) {
  static testing::TempDir dir;
  static int n = 0;
  const auto path = dir / ("b" + std::to_string(n++) + ".parquet");
  EXPECT_TRUE(builder.write(path, promql).ok());
  auto table = parquet::read_table(path);
  EXPECT_TRUE(table.ok());
  return table.ok() ? std::move(table).value() : parquet::Table{};
}

TEST(Datasets, BuilderNormalisesClientsAndFillsLabelColumns) {
  const auto& spec = *find_dataset("peer_events");
  ClientNameMap names({"ream", "ream_0"});
  DatasetTableBuilder builder(spec, names);
  std::vector<TimeMs> t{1000, 2000};
  std::vector<double> v{1, 2};
  builder.add_series(spec.queries[1],
                     {{"job", "ream"}, {"instance", "ream:8080"}, {"direction", "inbound"}, {"reason", "timeout"}}, t,
                     v);
  builder.add_series(spec.queries[0], {{"job", "ream_0"}, {"result", "success"}}, t, v);
  EXPECT_EQ(builder.rows(), 4u);
  auto table = finish(builder, "q");
  ASSERT_EQ(table.num_rows, 4u);
  const auto* client = table.find("client");
  ASSERT_NE(client, nullptr);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(client->string_at(i), "ream_0");
  EXPECT_EQ(table.find("metric")->string_at(0), "disconnection");
  EXPECT_EQ(table.find("metric")->string_at(2), "connection");
  EXPECT_EQ(table.find("result")->string_at(0), "timeout");  // from the `reason` label
  EXPECT_EQ(table.find("result")->string_at(3), "success");
  EXPECT_EQ(table.find("direction")->string_at(3), "");
  EXPECT_EQ(table.find("instance")->string_at(0), "ream:8080");
  EXPECT_EQ(table.find("timestamp")->ints, (std::vector<std::int64_t>{1000, 2000, 1000, 2000}));
  EXPECT_EQ(*table.meta("promql"), "q");
}

// At a rename both the bare job's last sample and its successor's first one
// fall inside one step: the client keeps one row there, the successor's.
TEST(Datasets, ARenamedJobIsNeverCountedTwiceForOneTimestamp) {
  const auto& spec = *find_dataset("head_slot");
  DatasetTableBuilder builder(spec, ClientNameMap({"ream", "ream_0", "zeam_0"}));
  std::vector<TimeMs> bare_t{1000, 2000, 3000}, next_t{3000, 4000};
  std::vector<double> bare_v{1, 2, 3}, next_v{30, 40};
  builder.add_series(spec.queries[0], {{"job", "ream"}, {"instance", "ream:8080"}}, bare_t, bare_v);
  builder.add_series(spec.queries[1], {{"job", "ream"}, {"instance", "ream:8080"}}, bare_t, bare_v);
  builder.add_series(spec.queries[0], {{"job", "ream_0"}, {"instance", "ream_0:8080"}}, next_t, next_v);
  builder.add_series(spec.queries[0], {{"job", "zeam_0"}}, bare_t, bare_v);
  auto table = finish(builder, "q");
  std::vector<std::string> rows;
  for (std::size_t r = 0; r < table.num_rows; ++r) {
    rows.push_back(table.find("client")->string_at(r) + "|" + table.find("instance")->string_at(r) + "|" +
                   std::to_string(table.find("timestamp")->millis_at(r)) + "|" +
                   std::to_string(static_cast<int>(table.find("value")->doubles[r])) + "|" +
                   table.find("metric")->string_at(r));
  }
  EXPECT_EQ(rows,
            (std::vector<std::string>{
                "ream_0|ream:8080|1000|1|lean_head_slot", "ream_0|ream:8080|2000|2|lean_head_slot",
                // ream:8080 at 3000 for lean_head_slot is gone: ream_0 has that row.
                "ream_0|ream:8080|1000|1|lean_current_slot", "ream_0|ream:8080|2000|2|lean_current_slot",
                "ream_0|ream:8080|3000|3|lean_current_slot",  // another series: kept
                "ream_0|ream_0:8080|3000|30|lean_head_slot", "ream_0|ream_0:8080|4000|40|lean_head_slot",
                "zeam_0||1000|1|lean_head_slot", "zeam_0||2000|2|lean_head_slot", "zeam_0||3000|3|lean_head_slot"}));
  EXPECT_EQ(table.num_rows, table.find("value")->doubles.size());
  EXPECT_EQ(table.num_rows, table.find("metric")->codes.size());
}

// A running devnet's tail: the archived rows before the cut stay exactly as
// they were, in their order, with their labels; the new answer follows.
TEST(Datasets, ArchivedRowsBeforeTheCutAreKeptAsTheyAre) {
  testing::TempDir dir;
  const auto& spec = *find_dataset("peer_events");
  const auto path = dir / "peer_events.parquet";
  {
    DatasetTableBuilder first(spec, ClientNameMap({"ream_0", "zeam_0"}));
    std::vector<TimeMs> t{60'000, 120'000, 180'000, 240'000};
    std::vector<double> v{1, 2, 3, 4};
    first.add_series(spec.queries[0], {{"job", "ream_0"}, {"instance", "r:1"}, {"direction", "in"}}, t, v);
    first.add_series(spec.queries[1], {{"job", "zeam_0"}, {"reason", "timeout"}}, t, v);
    ASSERT_TRUE(first.write(path, "q").ok());
  }
  auto before = parquet::read_table(path);
  ASSERT_TRUE(before.ok());

  DatasetTableBuilder next(spec, ClientNameMap({"ream_0", "zeam_0"}));
  auto kept = next.keep_archived_rows(path, 180'000);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(*kept, 4u);  // two of each series
  std::vector<TimeMs> t{180'000, 240'000, 300'000};
  std::vector<double> v{30, 40, 50};  // corrected, then new
  next.add_series(spec.queries[0], {{"job", "ream_0"}, {"instance", "r:1"}, {"direction", "in"}}, t, v);
  EXPECT_EQ(next.rows(), 7u);
  auto after = finish(next, "q");
  ASSERT_EQ(after.num_rows, 7u);
  std::size_t old_row = 0;
  for (std::size_t r = 0; r < 4; ++r) {
    while (before->find("timestamp")->ints[old_row] >= 180'000) ++old_row;
    for (const auto& name : spec.column_names()) {
      const auto* a = before->find(name);
      const auto* b = after.find(name);
      if (a->kind == parquet::ValueKind::String) {
        EXPECT_EQ(a->string_at(old_row), b->string_at(r)) << name << " row " << r;
      } else if (a->kind == parquet::ValueKind::Double) {
        EXPECT_EQ(a->doubles[old_row], b->doubles[r]) << name << " row " << r;
      } else {
        EXPECT_EQ(a->ints[old_row], b->ints[r]) << name << " row " << r;
      }
    }
    ++old_row;
  }
  EXPECT_EQ(after.find("timestamp")->ints[4], 180'000);
  EXPECT_EQ(after.find("value")->doubles[4], 30);
  EXPECT_EQ(after.find("timestamp")->ints[6], 300'000);

  // Rows must come first; a file without the dataset's columns is refused.
  DatasetTableBuilder late(spec, {});
  late.add_series(spec.queries[0], {{"job", "a"}}, t, v);
  EXPECT_FALSE(late.keep_archived_rows(path, 1).ok());
  DatasetTableBuilder other(*find_dataset("node_info"), {});
  auto refused = other.keep_archived_rows(path, 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("name"), std::string::npos) << refused.error().message;
}

TEST(Datasets, BuilderReservedOnceNeverGrowsItsColumns) {
  const auto& spec = *find_dataset("head_slot");
  DatasetTableBuilder builder(spec, {});
  builder.reserve(10);
  // 3 + 3 + 4 rows: grown step by step the columns would end with room for 12.
  for (std::size_t n : {3u, 3u, 4u}) {
    std::vector<TimeMs> t(n, 1);
    std::vector<double> v(n, 1);
    builder.add_series(spec.queries[0], {{"job", "zeam_0"}}, t, v);
  }
  EXPECT_EQ(builder.capacity(), 10u);
  auto table = finish(builder, "q");
  ASSERT_EQ(table.num_rows, 10u);
}

TEST(Datasets, AttestationSourceFallsBackToUnknown) {
  const auto& spec = *find_dataset("attestation_metrics");
  DatasetTableBuilder builder(spec, {});
  std::vector<TimeMs> t{1};
  std::vector<double> v{5};
  builder.add_series(spec.queries[1], {{"job", "zeam_0"}}, t, v);
  auto table = finish(builder, "q");
  EXPECT_EQ(table.find("source")->string_at(0), "unknown");
  EXPECT_EQ(table.find("metric")->string_at(0), "lean_attestations_invalid_total");
}

TEST(Datasets, RenderedPromqlHasOneQueryPerLine) {
  EXPECT_EQ(rendered_promql(*find_dataset("head_slot"), R"(net="a")"),
            "last_over_time(lean_head_slot{net=\"a\"}[1m])\nlast_over_time(lean_current_slot{net=\"a\"}[1m])");
}

// A stopped series must end within one step on every backend: gauges and
// counters take the last raw sample inside each step, never an instant
// selector (Prometheus would repeat the last sample for 5 minutes); only the
// 5-minute rates keep their own window.
TEST(Datasets, GaugesAndCountersTakeTheLastSampleInsideEachStep) {
  for (const auto& d : datasets()) {
    // A derived quantile file has one row per 5 min window; queries step at 1 min.
    ASSERT_EQ(d.step_seconds, d.derived_from.empty() ? 60 : 300) << d.id;
    for (const auto& q : d.queries) {
      if (q.promql.starts_with("rate(")) {
        EXPECT_TRUE(q.promql.ends_with("@SEL@[5m])")) << q.promql;
        continue;
      }
      EXPECT_TRUE(q.promql.starts_with("last_over_time(")) << q.promql;
      EXPECT_TRUE(q.promql.ends_with("@SEL@[1m])") || q.promql.ends_with("@MATCHERS@}[1m])"))
          << d.id << ": the window is the step: " << q.promql;
    }
  }
}

TEST(Datasets, MetricNamesOfAQuery) {
  const auto& head = *find_dataset("head_slot");
  EXPECT_EQ(metric_names(head.queries[0]), std::vector<std::string>{"lean_head_slot"});
  const auto& cpu = *find_dataset("container_cpu");
  EXPECT_EQ(metric_names(cpu.queries[0]), std::vector<std::string>{"container_cpu_usage_seconds_total"});
  const auto& pq = *find_dataset("pq_signature_metrics");
  EXPECT_EQ(metric_names(pq.queries[0]), (std::vector<std::string>{"lean_pq_sig_attestation_signatures_total",
                                                                   "lean_pq_signature_attestation_signatures_total"}));
  // Every query of the registry names at least one metric.
  for (const auto& d : datasets()) {
    for (const auto& q : d.queries) EXPECT_FALSE(metric_names(q).empty()) << q.promql;
  }
}

TEST(Datasets, OldMetricNames) {
  EXPECT_TRUE(is_old_metric_name("lean_pq_signature_attestation_signatures_total"));
  EXPECT_TRUE(is_old_metric_name("lean_pq_sig_attestation_signatures_building_time_seconds_bucket"));
  EXPECT_TRUE(is_old_metric_name("lean_pq_sig_attestation_signatures_building_time_seconds_count"));
  EXPECT_FALSE(is_old_metric_name("lean_pq_sig_aggregated_signatures_building_time_seconds_bucket"));
  EXPECT_FALSE(is_old_metric_name("lean_pq_sig_attestation_signatures_total"));
  EXPECT_FALSE(is_old_metric_name("lean_pq_sig_attestation_signatures_building_time_seconds_total"));
  EXPECT_FALSE(is_old_metric_name("lean_head_slot"));
}

TEST(Datasets, QueryHashIsStableAndSensitiveToEveryInput) {
  constexpr TimeMs kStart = 1'700'000'000'000, kEnd = kStart + 3'600'000;
  const auto h = query_hash("lean_head_slot", 60, kStart, kEnd);
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h, query_hash("lean_head_slot", 60, kStart, kEnd));
  EXPECT_NE(h, query_hash("lean_head_slot{a=\"b\"}", 60, kStart, kEnd));
  EXPECT_NE(h, query_hash("lean_head_slot", 30, kStart, kEnd));
  EXPECT_NE(h, query_hash("lean_head_slot", 60, kStart + 1000, kEnd));
  EXPECT_NE(h, query_hash("lean_head_slot", 60, kStart, kEnd + 1000));
}

}  // namespace
}  // namespace leanscope::archive
