// summary_json / summary_table / summary_csv on a hand-made analysis.
#include "analysis/summary.h"

#include <gtest/gtest.h>

#include "analysis/networking.h"
#include "common/time.h"

namespace leanscope::analysis {
namespace {

NetworkingAnalysis sample() {
  NetworkingAnalysis a;
  a.devnet.id = "pqdevnet-20261123T1611Z";
  a.devnet.start = *parse_iso8601("2026-11-23T16:11:00Z");
  a.devnet.end = *parse_iso8601("2026-11-23T18:11:00Z");
  a.devnet.duration_hours = 2.0;
  a.devnet.start_slot = 0;
  a.devnet.clients = {"ream_0", "zeam_0"};
  a.devnet.notes = "";
  a.clients = {"ream_0", "zeam_0"};
  a.validators = 8;
  ClientSummary ream;
  ream.client = "ream_0";
  ream.version = "0.1";
  ream.peers = {4.5, 3, 5};
  ream.peer_coverage_pct = {450, 300, 500};
  ream.connections = 12;
  ream.disconnections = 2;
  ream.valid_by_source = {{"block", 10}, {"gossip", 90}};
  ream.valid_total = 100;
  ream.invalid_by_source = {{"gossip", 0}};
  ream.invalid_total = 0;
  ream.attestations_per_slot = {7.5, 6, 8};
  ream.rx_bytes_per_sec = {1536, 1000, 2 * 1024 * 1024};
  ream.tx_bytes_per_sec = {512, 100, 900};
  ClientSummary zeam;
  zeam.client = "zeam_0";
  a.summary = {ream, zeam};
  // Sorted by start, as the analysis hands them.
  a.findings.push_back({"", "host_wide_network", a.devnet.start, a.devnet.end, "Containers \"a\", b are host-wide."});
  a.findings.push_back({"zeam_0", "isolated", a.devnet.start + 60'000, a.devnet.start + 600'000,
                        "zeam_0 had no connected peers for 9 min."});
  return a;
}

// The networking report's model, as the registry hands it to summary.
DevnetAnalysis of(const NetworkingAnalysis& a) { return DevnetAnalysis{{networking_model(a)}}; }

TEST(SummaryJson, IsTheObjectOfTheContractWithNullsForMissingFigures) {
  const std::string expected =
      R"({"devnet":{"id":"pqdevnet-20261123T1611Z","start_time":"2026-11-23T16:11:00+00:00",)"
      R"("end_time":"2026-11-23T18:11:00+00:00","duration_hours":2,"start_slot":0,"end_slot":null,)"
      R"("clients":["ream_0","zeam_0"],"notes":""},)"
      R"("clients":{"ream_0":{"peers":{"avg":4.5,"min":3,"max":5},"peer_coverage_pct":{"avg":450,"min":300},)"
      R"("peer_events":{"connections":12,"disconnections":2},)"
      R"("attestations":{"valid":{"block":10,"gossip":90,"total":100},"invalid":{"gossip":0,"total":0}},)"
      R"("attestations_per_slot":{"avg":7.5,"pct_of_expected":93.75},)"
      R"("network":{"rx_bytes_per_sec":{"avg":1536,"max":2097152},"tx_bytes_per_sec":{"avg":512,"max":900}}},)"
      R"("zeam_0":{"peers":{"avg":null,"min":null,"max":null},"peer_coverage_pct":{"avg":null,"min":null},)"
      R"("peer_events":{"connections":null,"disconnections":null},)"
      R"("attestations":{"valid":{"total":null},"invalid":{"total":null}},"attestations_per_slot":{"avg":null,"pct_of_expected":null},)"
      R"("network":{"rx_bytes_per_sec":{"avg":null,"max":null},"tx_bytes_per_sec":{"avg":null,"max":null}}}},)"
      R"("findings":[{"client":"","kind":"host_wide_network","start":"2026-11-23T16:11:00Z",)"
      R"("end":"2026-11-23T18:11:00Z","detail":"Containers \"a\", b are host-wide."},)"
      R"({"client":"zeam_0","kind":"isolated","start":"2026-11-23T16:12:00Z",)"
      R"("end":"2026-11-23T16:21:00Z","detail":"zeam_0 had no connected peers for 9 min."}]})";
  EXPECT_EQ(summary_json(of(sample())), expected);
}

TEST(SummaryJson, PrettyIsTheSameObjectIndented) {
  auto pretty = summary_json(of(sample()), true);
  EXPECT_NE(pretty.find("\n  \"devnet\": {"), std::string::npos) << pretty;
  std::string squeezed;
  bool in_string = false;
  for (std::size_t i = 0; i < pretty.size(); ++i) {
    char c = pretty[i];
    if (c == '"' && (i == 0 || pretty[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && (c == ' ' || c == '\n')) continue;
    squeezed += c;
  }
  EXPECT_EQ(squeezed, summary_json(of(sample())));
}

TEST(SummaryTable, AlignsColumnsWithHumanUnitsAndListsFindings) {
  auto table = summary_table(of(sample()));
  EXPECT_NE(table.find("Devnet pqdevnet-20261123T1611Z"), std::string::npos) << table;
  EXPECT_NE(table.find("Validators 8"), std::string::npos) << table;
  // SI units, as on the pages.
  EXPECT_NE(table.find("1.54 kB/s / 2.10 MB/s"), std::string::npos) << table;
  EXPECT_NE(table.find("512 B/s / 900 B/s"), std::string::npos) << table;
  EXPECT_NE(table.find("Findings:"), std::string::npos) << table;
  EXPECT_NE(table.find("isolated"), std::string::npos) << table;
  // Header and client rows line up: "peers avg" ends where the values do.
  std::vector<std::string> lines;
  std::size_t from = 0;
  for (std::size_t nl; (nl = table.find('\n', from)) != std::string::npos; from = nl + 1)
    lines.push_back(table.substr(from, nl - from));
  std::size_t header = 0;
  while (header < lines.size() && lines[header].rfind("Client", 0) != 0) ++header;
  ASSERT_LT(header + 2, lines.size());
  const auto end_of = [](const std::string& line, const std::string& word) { return line.find(word) + word.size(); };
  EXPECT_EQ(end_of(lines[header], "Peers avg / min / max"), end_of(lines[header + 1], "4.5 / 3 / 5"));
  EXPECT_NE(lines[header + 2].find("– / – / –"), std::string::npos);  // zeam_0 has no figures
}

TEST(SummaryCsv, HasAHeaderAndOneRfc4180RowPerClient) {
  auto a = sample();
  a.summary[1].version = "v\"2\", beta";
  auto csv = summary_csv(of(a));
  // Every figure of the JSON is a column, named by its path.
  const std::string header =
      "client,version,peers_avg,peers_min,peers_max,peer_coverage_pct_avg,peer_coverage_pct_min,"
      "peer_events_connections,peer_events_disconnections,attestations_valid_block,attestations_valid_gossip,"
      "attestations_valid_total,attestations_invalid_gossip,attestations_invalid_total,attestations_per_slot_avg,"
      "attestations_per_slot_pct_of_expected,"
      "network_rx_bytes_per_sec_avg,network_rx_bytes_per_sec_max,network_tx_bytes_per_sec_avg,"
      "network_tx_bytes_per_sec_max\r\n";
  const std::string ream = "ream_0,0.1,4.5,3,5,450,300,12,2,10,90,100,0,0,7.5,93.75,1536,2097152,512,900\r\n";
  const std::string zeam = "zeam_0,\"v\"\"2\"\", beta\",,,,,,,,,,,,,,,,,,\r\n";
  EXPECT_EQ(csv, header + ream + zeam);
}

}  // namespace
}  // namespace leanscope::analysis
