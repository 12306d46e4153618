// The sections, summary figures and findings on hand-made inputs whose
// answers are worked out in the comments; each reference defect listed in
// docs/GUIDE.md ("Networking") has a case that the reference's method would fail.
#include "analysis/detail/sections.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace leanscope::analysis::detail {
namespace {

constexpr TimeMs kT0 = 1'790'000'000'000;  // a minute boundary
TimeMs at(double minute) { return kT0 + static_cast<TimeMs>(minute * 60'000); }

KeyedSeries ks(std::string client, std::vector<std::string> labels, std::vector<double> minutes,
               std::vector<double> values) {
  KeyedSeries s{std::move(client), std::move(labels), {}};
  for (double m : minutes) s.series.t.push_back(at(m));
  s.series.v = std::move(values);
  return s;
}

// Head slot every minute from `from` to `to`, starting at `slot`, 15 slots a minute.
KeyedSeries head(const std::string& client, int from, int to, double slot) {
  std::vector<double> m, v;
  for (int i = from; i <= to; ++i) {
    m.push_back(i);
    v.push_back(slot + 15.0 * (i - from));
  }
  return ks(client, {"i", "lean_head_slot"}, m, v);
}

Inputs inputs(std::vector<std::string> clients) {
  Inputs in;
  in.devnet.id = "pqdevnet-test";
  in.devnet.start = at(0);
  in.devnet.end = at(60);
  in.clients = std::move(clients);
  return in;
}

std::size_t index_of(const NetworkingAnalysis& a, const std::string& client) {
  auto it = std::find(a.clients.begin(), a.clients.end(), client);
  EXPECT_NE(it, a.clients.end()) << client;
  return static_cast<std::size_t>(it - a.clients.begin());
}

std::vector<Finding> of_kind(const NetworkingAnalysis& a, const std::string& kind) {
  std::vector<Finding> out;
  for (const auto& f : a.findings) {
    if (f.kind == kind) out.push_back(f);
  }
  return out;
}

TEST(Peers, AreSummedOverInstancesAndCoverageIsPerOtherClient) {
  auto in = inputs({"a_0", "b_0", "c_0"});
  in.peers.push_back(ks("a_0", {"i1", "", ""}, {0, 1, 2}, {1, 2, 2}));
  in.peers.push_back(ks("a_0", {"i2", "", ""}, {0, 1, 2}, {1, 0, 2}));
  auto a = analyse(in);
  const auto& s = a.summary[index_of(a, "a_0")];
  // 2, 2, 4 peers; coverage over the 2 other clients: 100, 100, 200 %.
  EXPECT_DOUBLE_EQ(*s.peers.avg, 8.0 / 3);
  EXPECT_DOUBLE_EQ(*s.peers.min, 2);
  EXPECT_DOUBLE_EQ(*s.peers.max, 4);
  EXPECT_DOUBLE_EQ(*s.peer_coverage_pct.min, 100);
  EXPECT_DOUBLE_EQ(*s.peer_coverage_pct.avg, 400.0 / 3);
  ASSERT_EQ(a.peers.size(), 3u);
  EXPECT_EQ(a.peers[0].lines.at(0).series.v, (std::vector<double>{2, 2, 4}));
  // b_0 has no data: a panel without lines, figures null.
  EXPECT_TRUE(a.peers[1].lines.empty());
  EXPECT_TRUE(a.peer_coverage[1].lines.empty());
  EXPECT_FALSE(a.summary[1].peers.avg.has_value());
}

TEST(Peers, PerPeerSeriesAreSummedNotMaxedAndAbsentMeansZeroWhileUp) {
  auto in = inputs({"e_0", "f_0"});
  // e_0 exports one series per peer; both peers leave after minute 2 while
  // e_0 keeps reporting its head slot until minute 9.
  in.peers.push_back(ks("e_0", {"i", "ethlambda", "p1"}, {0, 1, 2}, {1, 1, 1}));
  in.peers.push_back(ks("e_0", {"i", "ethlambda", "p2"}, {0, 1, 2}, {1, 1, 1}));
  in.head_slot.push_back(head("e_0", 0, 9, 0));
  // f_0 (one series) has 0 peers from minute 3 to 7: 4 minutes, not isolated.
  in.peers.push_back(ks("f_0", {"i", "", ""}, {0, 1, 2, 3, 4, 5, 6, 7, 8}, {3, 3, 3, 0, 0, 0, 0, 0, 3}));
  auto a = analyse(in);
  EXPECT_EQ(a.peers[0].lines.at(0).series.v, (std::vector<double>{2, 2, 2, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(*a.summary[0].peers.max, 2);  // the max of per-peer series was 1
  auto isolated = of_kind(a, "isolated");
  ASSERT_EQ(isolated.size(), 1u);
  EXPECT_EQ(isolated[0].client, "e_0");
  EXPECT_EQ(isolated[0].start, at(3));
  EXPECT_EQ(isolated[0].end, at(9));
  EXPECT_NE(isolated[0].detail.find("6 min"), std::string::npos) << isolated[0].detail;
}

TEST(PeerEvents, AreEventsPerMinuteSummedOverDirections) {
  auto in = inputs({"a_0"});
  in.peer_events.push_back(ks("a_0", {"i", "connection", "inbound", "success"}, {0, 1, 2}, {0, 2, 4}));
  in.peer_events.push_back(ks("a_0", {"i", "connection", "outbound", "success"}, {0, 1, 3}, {0, 1, 3}));
  in.peer_events.push_back(ks("a_0", {"i", "disconnection", "inbound", "timeout"}, {0, 1}, {5, 1}));
  auto a = analyse(in);
  const auto& panel = a.peer_events[0];
  ASSERT_EQ(panel.lines.size(), 2u);
  EXPECT_EQ(panel.lines[0].label, "connection");
  // inbound 2/min; outbound 1/min, its (1, 3] interval covering minute 2; at
  // minute 3 only outbound has an interval. The max over directions gave 2.
  EXPECT_EQ(panel.lines[0].series.v, (std::vector<double>{3, 3, 1}));
  EXPECT_EQ(panel.lines[1].label, "disconnection");
  EXPECT_EQ(panel.lines[1].series.v, (std::vector<double>{1}));  // restart: the new value 1
  EXPECT_DOUBLE_EQ(*a.summary[0].connections, 7);
  EXPECT_DOUBLE_EQ(*a.summary[0].disconnections, 1);
}

// a_0 starts at genesis (head slot 0), so its counters count from 0.
Inputs attestation_inputs() {
  auto in = inputs({"a_0", "z_0"});
  in.head_slot.push_back(head("a_0", 0, 3, 0));
  in.attestations.push_back(ks("a_0", {"i", "lean_attestations_valid_total", "gossip"}, {0, 1, 2, 3}, {10, 25, 40, 5}));
  in.attestations.push_back(ks("a_0", {"i", "lean_attestations_valid_total", "block"}, {0, 1, 3}, {2, 4, 8}));
  in.attestations.push_back(ks("a_0", {"i", "lean_attestations_invalid_total", "gossip"}, {0, 1, 2, 3}, {0, 0, 3, 3}));
  in.validators.push_back(ks("a_0", {"i"}, {0, 3}, {4, 4}));
  return in;
}

TEST(Attestations, TotalsAreResetAwareAndInvalidIsNeverValid) {
  auto a = analyse(attestation_inputs());
  const auto& s = a.summary[0];
  // gossip: 10 + 15 + 15 + 5 (restart) = 45; block: 2 + 2 + 4 = 8. The
  // reference showed max(valid) = 40 and labelled the invalid series valid.
  EXPECT_DOUBLE_EQ(s.valid_by_source.at("gossip"), 45);
  EXPECT_DOUBLE_EQ(s.valid_by_source.at("block"), 8);
  EXPECT_DOUBLE_EQ(*s.valid_total, 53);
  EXPECT_EQ(s.invalid_by_source.size(), 1u);
  EXPECT_DOUBLE_EQ(s.invalid_by_source.at("gossip"), 3);
  EXPECT_DOUBLE_EQ(*s.invalid_total, 3);
  std::vector<std::string> labels;
  for (const auto& l : a.attestations_cumulative[0].lines) labels.push_back(l.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"valid (block)", "valid (gossip)", "invalid (gossip)"}));
  // The cumulative gossip line never drops and breaks at the restart.
  const auto& gossip = a.attestations_cumulative[0].lines[1].series;
  std::vector<double> drawn;
  for (double v : gossip.v) {
    if (!std::isnan(v)) drawn.push_back(v);
  }
  EXPECT_EQ(drawn, (std::vector<double>{10, 25, 40, 45}));
  EXPECT_EQ(gossip.size(), 5u);
  // z_0 has no attestation data: nulls.
  EXPECT_FALSE(a.summary[1].valid_total.has_value());
  EXPECT_TRUE(a.attestations_cumulative[1].lines.empty());
}

TEST(Attestations, PerSlotIsPerSourceFirstThenSummedAndAPercentOfValidators) {
  auto a = analyse(attestation_inputs());
  EXPECT_EQ(a.validators, 4);
  const auto& per_slot = a.attestations_per_slot[0].lines.at(0).series;
  // gossip per slot: 1, 1, 1/3; block: 2/15 over (0, 1] and 4/30 over (1, 3].
  ASSERT_EQ(per_slot.size(), 3u);
  EXPECT_DOUBLE_EQ(per_slot.v[0], 1 + 2.0 / 15);
  EXPECT_DOUBLE_EQ(per_slot.v[1], 1 + 2.0 / 15);
  EXPECT_DOUBLE_EQ(per_slot.v[2], 1.0 / 3 + 2.0 / 15);
  EXPECT_DOUBLE_EQ(*a.summary[0].attestations_per_slot.avg, (2 + 4.0 / 15 + 1.0 / 3 + 2.0 / 15) / 3);
  const auto& pct = a.attestations_pct[0].lines.at(0);
  EXPECT_EQ(pct.label, "% of expected");
  EXPECT_DOUBLE_EQ(pct.series.v[0], (1 + 2.0 / 15) / 4 * 100);
}

TEST(Attestations, InvalidFindingSpansTheIncreases) {
  auto a = analyse(attestation_inputs());
  auto invalid = of_kind(a, "invalid_attestations");
  ASSERT_EQ(invalid.size(), 1u);
  EXPECT_EQ(invalid[0].client, "a_0");
  EXPECT_EQ(invalid[0].start, at(1));
  EXPECT_EQ(invalid[0].end, at(2));
  EXPECT_NE(invalid[0].detail.find("3 invalid attestations (gossip 3)"), std::string::npos) << invalid[0].detail;
}

TEST(CountsFromZero, OnlyForFreshClientsOrSeriesCreatedInsideTheWindow) {
  auto in = inputs({"fresh_0", "old_0", "nohead_0"});
  in.devnet.start_slot = 0;
  in.head_slot.push_back(head("fresh_0", 0, 20, 3));
  in.head_slot.push_back(head("old_0", 0, 20, 5000));
  auto early = ks("old_0", {"i", "lean_attestations_valid_total", "gossip"}, {0, 1}, {900, 915});
  auto late = ks("old_0", {"i", "lean_attestations_invalid_total", "gossip"}, {10, 11}, {2, 2});
  auto fresh = ks("fresh_0", {"i", "lean_attestations_valid_total", "gossip"}, {0, 1}, {7, 22});
  auto nohead = ks("nohead_0", {"i", "lean_attestations_valid_total", "gossip"}, {0, 1}, {7, 22});
  in.attestations = {early, late, fresh, nohead};
  trim_to_devnet(in);
  EXPECT_TRUE(in.counts_from_zero(fresh));
  EXPECT_FALSE(in.counts_from_zero(early));  // 900 were counted before the window
  EXPECT_TRUE(in.counts_from_zero(late));    // appeared 10 min after its client: created inside
  EXPECT_TRUE(in.counts_from_zero(nohead));  // no head slot, but the devnet starts at slot 0
  in.devnet.start_slot = 4000;
  trim_to_devnet(in);
  EXPECT_FALSE(in.counts_from_zero(nohead));
}

TEST(Restarts, ResetsWithinTwoMinutesAreOneRestart) {
  auto in = inputs({"r_0", "s_0"});
  in.head_slot.push_back(
      ks("r_0", {"i", "lean_head_slot"}, {10, 11, 12, 13, 14, 40, 41}, {1000, 1015, 1030, 2, 17, 407, 422}));
  in.peer_events.push_back(ks("r_0", {"i", "connection", "inbound", "success"}, {12, 13, 40, 41}, {50, 3, 9, 1}));
  in.attestations.push_back(ks("r_0", {"i", "lean_attestations_valid_total", "block"}, {12, 14}, {300, 30}));
  // current_slot follows the wall clock: never a restart.
  in.head_slot.push_back(ks("s_0", {"i", "lean_current_slot"}, {10, 11}, {900, 1}));
  auto a = analyse(in);
  auto restarts = of_kind(a, "restart");
  ASSERT_EQ(restarts.size(), 2u);
  EXPECT_EQ(restarts[0].client, "r_0");
  EXPECT_EQ(restarts[0].start, at(12));
  EXPECT_EQ(restarts[0].end, at(14));
  EXPECT_NE(restarts[0].detail.find("head slot fell from 1030 to 2 and 2 counters reset"), std::string::npos)
      << restarts[0].detail;
  EXPECT_EQ(restarts[1].start, at(40));
  EXPECT_EQ(restarts[1].end, at(41));
  EXPECT_NE(restarts[1].detail.find("1 counter reset"), std::string::npos) << restarts[1].detail;
}

TEST(TrimToDevnet, DropsSamplesOfTheNeighbouringDevnets) {
  auto in = inputs({"late_0", "x_0", "y_0"});
  // late_0 still runs the previous devnet until minute 3.
  in.head_slot.push_back(ks("late_0", {"i", "lean_head_slot"}, {0, 1, 2, 3, 4}, {5000, 5015, 5030, 0, 15}));
  in.peers.push_back(ks("late_0", {"i", "", ""}, {0, 1, 2, 3, 4}, {9, 9, 9, 2, 2}));
  // x_0 starts the next devnet at the window's last instant.
  in.head_slot.push_back(ks("x_0", {"i", "lean_head_slot"}, {58, 59, 60}, {870, 885, 0}));
  in.peers.push_back(ks("x_0", {"i", "", ""}, {58, 59, 60}, {4, 4, 0}));
  in.head_slot.push_back(head("y_0", 0, 60, 0));
  auto a = analyse(in);
  EXPECT_DOUBLE_EQ(*a.summary[0].peers.max, 2);
  EXPECT_DOUBLE_EQ(*a.summary[1].peers.min, 4);
  EXPECT_TRUE(of_kind(a, "restart").empty());
  EXPECT_TRUE(in.origins.empty());  // analyse took a copy
}

TEST(Bandwidth, SumsInterfacesAndFindsEpisodesAboveTheTiers) {
  auto in = inputs({"a_0", "b_0"});
  // rx: eth0 + eth1 = 2e6, 7e6, 7e6, 7e6, 2e6 B/s; 7e6 B/s = 56 Mbps > 50.
  in.network.push_back(ks("a_0", {"i", "eth0", "rx"}, {0, 1, 2, 3, 4}, {1e6, 4e6, 4e6, 4e6, 1e6}));
  in.network.push_back(ks("a_0", {"i", "eth1", "rx"}, {0, 1, 2, 3, 4}, {1e6, 3e6, 3e6, 3e6, 1e6}));
  // tx: 2e6 B/s = 16 Mbps > 15 at minute 2 only.
  in.network.push_back(ks("a_0", {"i", "eth0", "tx"}, {0, 1, 2, 3, 4}, {1e6, 1e6, 2e6, 1e6, 1e6}));
  auto a = analyse(in);
  const auto& s = a.summary[0];
  EXPECT_DOUBLE_EQ(*s.rx_bytes_per_sec.avg, 5e6);
  EXPECT_DOUBLE_EQ(*s.rx_bytes_per_sec.max, 7e6);
  EXPECT_DOUBLE_EQ(*s.tx_bytes_per_sec.max, 2e6);
  EXPECT_TRUE(a.bandwidth[1].lines.empty());
  auto above = of_kind(a, "above_tier");
  ASSERT_EQ(above.size(), 2u);
  EXPECT_EQ(above[0].start, at(1));
  EXPECT_EQ(above[0].end, at(3));
  EXPECT_NE(above[0].detail.find("download tier for a full node, attester (50 Mbps)"), std::string::npos)
      << above[0].detail;
  EXPECT_NE(above[0].detail.find("56.0 Mbps"), std::string::npos) << above[0].detail;
  EXPECT_EQ(above[1].start, at(2));
  EXPECT_EQ(above[1].end, at(2));
  EXPECT_NE(above[1].detail.find("upload tier for a full node (15 Mbps)"), std::string::npos) << above[1].detail;
  EXPECT_NE(above[1].detail.find("16.0 Mbps"), std::string::npos) << above[1].detail;
  EXPECT_FALSE(a.host_wide_network);
}

TEST(Bandwidth, IdenticalReceiveSeriesAreHostWide) {
  auto in = inputs({"a_0", "b_0", "c_0"});
  for (const char* c : {"a_0", "b_0"}) in.containers.push_back(ks(c, {"i", "eth0", "rx"}, {0, 1, 2}, {5, 7, 9}));
  in.containers.push_back(ks("c_0", {"i", "eth0", "rx"}, {0, 1, 2}, {5, 7, 8}));
  // Idle containers agree on 0 without sharing a network.
  for (const char* c : {"d_0", "e_0"}) in.containers.push_back(ks(c, {"i", "eth0", "rx"}, {0, 1, 2}, {0, 0, 0}));
  auto a = analyse(in);
  EXPECT_TRUE(a.host_wide_network);
  auto host = of_kind(a, "host_wide_network");
  ASSERT_EQ(host.size(), 1u);
  EXPECT_EQ(host[0].client, "");
  EXPECT_EQ(host[0].start, at(0));
  EXPECT_EQ(host[0].end, at(2));
  EXPECT_NE(host[0].detail.find("a_0 and b_0"), std::string::npos) << host[0].detail;
  EXPECT_EQ(host[0].detail.find("c_0"), std::string::npos) << host[0].detail;
}

TEST(Findings, AreSortedByStart) {
  auto in = attestation_inputs();
  in.network.push_back(ks("a_0", {"i", "eth0", "rx"}, {0, 1}, {7e6, 7e6}));
  auto a = analyse(in);
  ASSERT_GE(a.findings.size(), 3u);
  for (std::size_t i = 1; i < a.findings.size(); ++i) EXPECT_LE(a.findings[i - 1].start, a.findings[i].start);
}

}  // namespace
}  // namespace leanscope::analysis::detail
