// compare: summary records read back, headline figures, changes marked
// better or worse, and the JSON of `compare --format json`.
#include "analysis/compare.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace leanscope::analysis {
namespace {

// A summary record as render caches it, with the figures given (JSON members).
std::string record(const std::string& id, const std::string& start, const std::string& clients,
                   const std::string& network = "", const std::string& findings = "",
                   const std::string& versions = "") {
  return R"({"versions":{)" + versions + R"(},"summary":{"devnet":{"id":")" + id + R"(","start_time":")" + start +
         R"(","end_time":"2026-11-23T18:00:00+00:00","duration_hours":2,"start_slot":0,"end_slot":null,)"
         R"("clients":[],"notes":""},"clients":{)" +
         clients + R"(},"findings":[)" + findings + "]" + (network.empty() ? "" : R"(,"network":{)" + network + "}") +
         "}}";
}

SummaryData parsed(const std::string& json) {
  auto s = parse_summary_record(json, "test");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : SummaryData{};
}

std::optional<double> figure(const DevnetComparison& d, const std::string& name) { return d.figures.at(name); }

TEST(SummaryRecord, IsReadBackWithEveryFigureFindingAndVersion) {
  const auto s = parsed(record(
      "dev-a", "2026-11-23T16:00:00+00:00",
      R"("ream_0":{"peers":{"avg":4.5,"min":3},"consensus":{"head_to_finalized":{"avg":null}}},"zeam_0":{"peers":{"avg":2}})",
      R"("head_to_finalized":{"avg":3.5,"max":9})",
      R"({"client":"*","kind":"finality_stall","start":"2026-11-23T16:10:00Z","end":"2026-11-23T16:16:00Z","detail":"x"})",
      R"("ream_0":"v1")"));
  EXPECT_EQ(s.devnet, "dev-a");
  EXPECT_EQ(s.start, *parse_iso8601("2026-11-23T16:00:00Z"));
  EXPECT_DOUBLE_EQ(s.duration_hours, 2);
  EXPECT_EQ(s.clients, (std::vector<std::string>{"ream_0", "zeam_0"}));
  ASSERT_NE(s.client.at("ream_0").find("peers.min"), nullptr);
  EXPECT_EQ(s.client.at("ream_0").find("peers.min")->value, 3);
  ASSERT_NE(s.client.at("ream_0").find("consensus.head_to_finalized.avg"), nullptr);
  EXPECT_FALSE(s.client.at("ream_0").find("consensus.head_to_finalized.avg")->value.has_value());
  EXPECT_EQ(s.network.find("head_to_finalized.max")->value, 9);
  ASSERT_EQ(s.findings.size(), 1u);
  EXPECT_EQ(s.findings[0].kind, "finality_stall");
  EXPECT_EQ(s.findings[0].end - s.findings[0].start, 6 * 60'000);
  EXPECT_EQ(s.versions.at("ream_0"), "v1");
}

TEST(SummaryRecord, MalformedIsAnErrorNamingTheSource) {
  auto bad = parse_summary_record("{\"versions\":{}}", "site/x/summary.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("site/x/summary.json"), std::string::npos);
  EXPECT_FALSE(parse_summary_record("not json", "x").ok());
}

TEST(Headline, DevnetFiguresAreMeansOverClientsWithDataOrNetworkFigures) {
  const auto s =
      parsed(record("dev-a", "2026-11-23T16:00:00Z",
                    R"("a":{"peers":{"avg":4},"resources":{"cpu_cores":{"avg":1},"memory_bytes":{"max":5e9}},)"
                    R"("attestations_per_slot":{"pct_of_expected":90}},)"
                    R"("b":{"peers":{"avg":2},"resources":{"cpu_cores":{"avg":null},"memory_bytes":{"max":7e9}},)"
                    R"("attestations_per_slot":{"pct_of_expected":100}},)"
                    R"("c":{"peers":{"avg":null}})",
                    R"("head_to_finalized":{"avg":3.5},"pq_signatures":{"verification_s":{"p95":0.012}})"));
  const auto d = devnet_headline(s);
  EXPECT_EQ(figure(d, "clients"), 3);
  EXPECT_EQ(figure(d, "duration_hours"), 2);
  EXPECT_EQ(figure(d, "peers_avg"), 3);  // c has no data: every client with data weighted alike
  EXPECT_EQ(figure(d, "attestations_per_slot_pct"), 95);
  EXPECT_EQ(figure(d, "cpu_cores_avg"), 1);
  EXPECT_EQ(figure(d, "memory_peak_bytes"), 7e9);  // the max over clients
  EXPECT_EQ(figure(d, "head_to_finalized_avg"), 3.5);
  EXPECT_EQ(figure(d, "verification_p95_s"), 0.012);
  EXPECT_FALSE(figure(d, "aggregation_building_p95_s"));  // that report is not there: null, never invented
  EXPECT_EQ(figure(d, "finality_stalls"), 0);             // finality analysed, no stall
  EXPECT_EQ(figure(d, "finality_stall_minutes"), 0);
  const auto a = client_headline(s, "a");
  EXPECT_EQ(a.at("peers_avg"), 4);
  EXPECT_EQ(a.at("memory_peak_bytes"), 5e9);
  EXPECT_FALSE(a.at("head_to_finalized_avg"));
}

TEST(Headline, FinalityStallsAreCountedAndTimedOrNullWithoutFinalityFigures) {
  const std::string stall =
      R"({"client":"*","kind":"finality_stall","start":"2026-11-23T16:10:00Z","end":"2026-11-23T16:16:00Z","detail":""},)"
      R"({"client":"*","kind":"finality_stall","start":"2026-11-23T17:00:00Z","end":"2026-11-23T17:09:00Z","detail":""},)"
      R"({"client":"a","kind":"oom","start":"2026-11-23T17:00:00Z","end":"2026-11-23T17:00:00Z","detail":""})";
  const auto d = devnet_headline(parsed(record("x", "2026-11-23T16:00:00Z", R"("a":{})", "", stall)));
  EXPECT_EQ(figure(d, "finality_stalls"), 2);
  EXPECT_EQ(figure(d, "finality_stall_minutes"), 15);
  EXPECT_EQ(d.findings.at("finality_stall"), 2);
  EXPECT_EQ(d.findings.at("oom"), 1);
  const auto none = devnet_headline(parsed(record("y", "2026-11-23T16:00:00Z", R"("a":{})")));
  EXPECT_FALSE(figure(none, "finality_stalls"));
  EXPECT_FALSE(figure(none, "finality_stall_minutes"));
}

TEST(Changes, AreMarkedByTheFiguresDirection) {
  EXPECT_EQ(is_better(Better::Higher, 1), true);
  EXPECT_EQ(is_better(Better::Higher, -1), false);
  EXPECT_EQ(is_better(Better::Lower, -0.5), true);
  EXPECT_EQ(is_better(Better::Lower, 2), false);
  EXPECT_EQ(is_better(Better::Lower, 0), std::nullopt);
  EXPECT_EQ(is_better(Better::None, 3), std::nullopt);
  EXPECT_EQ(find_headline("peers_avg")->better, Better::Higher);
  EXPECT_EQ(find_headline("head_to_finalized_avg")->better, Better::Lower);
  EXPECT_EQ(find_headline("memory_peak_bytes")->better, Better::Lower);
  EXPECT_EQ(find_headline("clients")->better, Better::None);
}

TEST(Changes, CompareEachDevnetWithThePreviousOneOldestFirst) {
  // Given newest first: compare sorts by start.
  std::vector<SummaryData> in{
      parsed(record(
          "new", "2026-11-24T16:00:00Z", R"("a":{"peers":{"avg":5}},"b":{"peers":{"avg":5}})",
          R"("head_to_finalized":{"avg":6})",
          R"({"client":"a","kind":"isolated","start":"2026-11-24T16:10:00Z","end":"2026-11-24T16:20:00Z","detail":""})",
          R"("a":"v2","b":"v1")")),
      parsed(record("old", "2026-11-23T16:00:00Z", R"("a":{"peers":{"avg":3}},"b":{"peers":{"avg":3}})",
                    R"("head_to_finalized":{"avg":4})", "", R"("a":"v1","b":"v1")")),
  };
  const auto c = compare_devnets(in);
  ASSERT_EQ(c.devnets.size(), 2u);
  EXPECT_EQ(c.devnets[0].id, "old");
  EXPECT_TRUE(c.devnets[0].changes.empty());
  const auto& d = c.devnets[1];
  EXPECT_EQ(d.changes.at("peers_avg").previous, 3);
  EXPECT_EQ(d.changes.at("peers_avg").delta, 2);
  EXPECT_EQ(d.changes.at("peers_avg").better, true);               // more peers
  EXPECT_EQ(d.changes.at("head_to_finalized_avg").better, false);  // finality further behind
  EXPECT_EQ(d.changes.at("clients").better, std::nullopt);
  EXPECT_EQ(d.changes.at("findings.isolated").better, false);
  EXPECT_EQ(c.devnets[0].findings.at("isolated"), 0);      // every kind seen is counted in every devnet
  EXPECT_FALSE(d.changes.contains("verification_p95_s"));  // null on both sides: no change
  EXPECT_EQ(d.changed_versions, (std::map<std::string, std::string>{{"a", "v2"}}));
  ASSERT_EQ(c.clients.at("a").size(), 2u);
  EXPECT_EQ(c.clients.at("a")[1].figures.at("peers_avg"), 5);
  EXPECT_EQ(c.clients.at("a")[1].version, "v2");
}

TEST(ComparisonJson, HasTheShapeOfTheContract) {
  std::vector<SummaryData> in{
      parsed(record("old", "2026-11-23T16:00:00Z", R"("a":{"peers":{"avg":3}})", "", "", R"("a":"v1")")),
      parsed(record("new", "2026-11-24T16:00:00Z", R"("a":{"peers":{"avg":2}})", "", "", R"("a":"v1")")),
  };
  const std::string json = comparison_json(compare_devnets(in), false);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  auto devnets = root["devnets"].get_array().value();
  ASSERT_EQ(devnets.size(), 2u);
  auto d = devnets.at(1).value();
  EXPECT_EQ(d["id"].get_string().value(), "new");
  EXPECT_EQ(d["start_time"].get_string().value(), "2026-11-24T16:00:00+00:00");
  EXPECT_EQ(d["clients"].get_array().value().size(), 1u);
  EXPECT_EQ(d["versions"]["a"].get_string().value(), "v1");
  EXPECT_EQ(d["figures"]["peers_avg"].get_double().value(), 2);
  EXPECT_TRUE(d["figures"]["cpu_cores_avg"].is_null());
  EXPECT_EQ(d["changes"]["peers_avg"]["previous"].get_double().value(), 3);
  EXPECT_EQ(d["changes"]["peers_avg"]["delta"].get_double().value(), -1);
  EXPECT_FALSE(d["changes"]["peers_avg"]["better"].get_bool().value());
  EXPECT_TRUE(d["changes"]["clients"]["better"].is_null());
  EXPECT_EQ(d["findings"].get_object().value().size(), 0u);
  auto points = root["clients"]["a"].get_array().value();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points.at(0)["devnet"].get_string().value(), "old");
  EXPECT_EQ(points.at(0)["figures"]["peers_avg"].get_double().value(), 3);
}

TEST(FormatHeadline, ShowsEachUnit) {
  EXPECT_EQ(format_headline(*find_headline("duration_hours"), 2.5), "2.50 h");
  EXPECT_EQ(format_headline(*find_headline("attestations_per_slot_pct"), 93.75), "93.8 %");
  EXPECT_EQ(format_headline(*find_headline("clients"), 4), "4");
  EXPECT_EQ(format_change(*find_headline("peers_avg"), -0.5), "−0.50");
  EXPECT_EQ(format_change(*find_headline("peers_avg"), 0), "±0");
}

}  // namespace
}  // namespace leanscope::analysis
