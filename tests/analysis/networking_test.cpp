// analyse_networking on a small archive written to a temporary folder the
// way fetch writes it (DatasetTableBuilder), plus a file in the Python
// observatory's style (nanosecond timestamps).
#include "analysis/networking.h"

#include <gtest/gtest.h>

#include <cmath>

#include "archive/datasets.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "support/test_archive.h"
#include "support/test_support.h"

namespace leanscope::analysis {
namespace {

using Archive = testing::TestArchive;
TimeMs at(int minute) { return testing::at_minute(minute); }

std::vector<double> ramp(double from, double step, int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(from + step * i);
  return v;
}

TEST(AnalyseNetworking, ReadsTheArchiveInsideTheWindow) {
  testing::TempDir dir;
  Archive a(dir.path());
  // ream is scraped as its bare job for two minutes, then as ream_0.
  a.add("head_slot", 0, {{"job", "ream"}, {"instance", "r:1"}}, 0, {0, 15});
  a.add("head_slot", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 2, ramp(30, 15, 9));
  a.add("head_slot", 0, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, ramp(0, 15, 11));
  a.add("head_slot", 0, {{"job", "qlean_0"}, {"instance", "q:1"}}, 0, ramp(0, 15, 11));
  // A sample after the window's end belongs to no one here.
  a.add("network_peers", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 50});
  a.add("network_peers", 0, {{"job", "zeam_0"}, {"instance", "z:1"}, {"peer", "p1"}}, 0, ramp(1, 0, 11));
  a.add("network_peers", 0, {{"job", "zeam_0"}, {"instance", "z:1"}, {"peer", "p2"}}, 0, ramp(1, 0, 11));
  a.add("attestation_metrics", 0, {{"job", "ream"}, {"instance", "r:1"}, {"source", "gossip"}}, 0, {12, 27});
  a.add("attestation_metrics", 0, {{"job", "ream_0"}, {"instance", "r:1"}, {"source", "gossip"}}, 2, ramp(42, 15, 9));
  a.add("attestation_metrics", 1, {{"job", "ream_0"}, {"instance", "r:1"}, {"source", "gossip"}}, 0, ramp(0, 0, 11));
  a.add("validators_count", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, ramp(3, 0, 11));
  a.add("validators_count", 0, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, ramp(2, 0, 11));
  a.add("node_info", 0, {{"job", "zeam_0"}, {"version", "0.3.1"}}, 0, ramp(1, 0, 11));
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "zeam_0"}, {"interface", "eth0"}}, 0, ramp(1000, 0, 11));
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "prometheus"}, {"interface", "eth0"}}, 0,
        ramp(1000, 0, 11));
  a.add("container_network", 1, {{"job", "cadvisor"}, {"name", "zeam_0"}, {"interface", "eth0"}}, 0, ramp(500, 0, 11));
  // cAdvisor names ream's container by its bare name: still ream_0's (the
  // reference only read containers ending in _0, by that rule alone).
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "ream"}, {"interface", "eth0"}}, 0, ramp(2000, 0, 11));
  a.add("container_network", 0, {{"job", "cadvisor"}, {"name", "ream"}, {"interface", "eth1"}}, 0, ramp(500, 0, 11));
  a.write();

  auto result = analyse_networking(dir.path(), a.devnet());
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& r = *result;
  // devnets.json's clients (normalised, infrastructure dropped) and the clients seen.
  EXPECT_EQ(r.clients, (std::vector<std::string>{"qlean_0", "ream_0", "zeam_0"}));
  EXPECT_EQ(r.validators, 5);
  ASSERT_EQ(r.summary.size(), 3u);
  const auto& ream = r.summary[1];
  EXPECT_DOUBLE_EQ(*ream.peers.max, 2);  // the 50 after the window is not ours
  // 12 at genesis, then +15 a minute for 10 minutes, across the rename.
  EXPECT_DOUBLE_EQ(*ream.valid_total, 162);
  EXPECT_DOUBLE_EQ(ream.valid_by_source.at("gossip"), 162);
  EXPECT_DOUBLE_EQ(*ream.invalid_total, 0);
  EXPECT_DOUBLE_EQ(*ream.attestations_per_slot.avg, 1);
  EXPECT_DOUBLE_EQ(*ream.rx_bytes_per_sec.avg, 2500);  // both interfaces
  EXPECT_FALSE(ream.tx_bytes_per_sec.avg.has_value());
  const auto& zeam = r.summary[2];
  EXPECT_EQ(zeam.version, "0.3.1");
  EXPECT_DOUBLE_EQ(*zeam.peers.avg, 2);
  EXPECT_DOUBLE_EQ(*zeam.peer_coverage_pct.avg, 100);
  EXPECT_DOUBLE_EQ(*zeam.rx_bytes_per_sec.avg, 1000);
  EXPECT_DOUBLE_EQ(*zeam.tx_bytes_per_sec.max, 500);
  EXPECT_FALSE(zeam.connections.has_value());  // no peer_events file
  EXPECT_TRUE(r.findings.empty());

  auto data = DevnetData::load(dir.path(), a.devnet(), {"peer_events", "network_peers"});
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_FALSE(data->present("peer_events"));
  EXPECT_TRUE(data->present("network_peers"));
  EXPECT_EQ(data->samples("network_peers"), 33u);
  EXPECT_EQ(data->samples("node_info"), 11u);  // always read, for versions
}

TEST(AnalyseNetworking, ReadsNanosecondArchivesLikeThePythonObservatory) {
  testing::TempDir dir;
  Archive a(dir.path());
  parquet::Table t;
  auto strings = [](std::string name, std::string value, std::size_t n) {
    parquet::Column c;
    c.name = std::move(name);
    c.kind = parquet::ValueKind::String;
    c.dict = {std::move(value)};
    c.codes.assign(n, 0);
    return c;
  };
  parquet::Column ts;
  ts.name = "timestamp";
  ts.kind = parquet::ValueKind::Timestamp;
  ts.unit = parquet::TimeUnit::Nanos;
  parquet::Column value;
  value.name = "value";
  for (int m = 0; m <= 10; ++m) {
    ts.ints.push_back(at(m) * 1'000'000);
    value.doubles.push_back(3);
  }
  t.columns = {strings("client", "zeam_0", 11), strings("instance", "z:1", 11), ts, value,
               strings("client_type", "", 11),  strings("peer", "", 11)};
  t.num_rows = 11;
  auto path = archive::dataset_path(dir.path(), a.devnet().id, "network_peers");
  std::filesystem::create_directories(path.parent_path());
  ASSERT_TRUE(parquet::write_table(path, t).ok());
  auto result = analyse_networking(dir.path(), a.devnet());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->peers.at(1).client, "zeam_0");
  EXPECT_EQ(result->peers.at(1).lines.at(0).series.size(), 11u);
  EXPECT_EQ(result->peers.at(1).lines.at(0).series.t.front(), at(0));
}

TEST(AnalyseNetworking, AMalformedFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  Archive a(dir.path());
  auto path = archive::dataset_path(dir.path(), a.devnet().id, "attestation_metrics");
  std::filesystem::create_directories(path.parent_path());
  testing::write_text(path, "not parquet at all");
  auto result = analyse_networking(dir.path(), a.devnet());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("attestation_metrics.parquet"), std::string::npos) << result.error().message;
}

TEST(AnalyseNetworking, AnEmptyArchiveGivesPanelsWithoutData) {
  testing::TempDir dir;
  Archive a(dir.path());
  auto result = analyse_networking(dir.path(), a.devnet());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->clients, (std::vector<std::string>{"ream", "zeam_0"}));
  ASSERT_EQ(result->peers.size(), 2u);
  EXPECT_TRUE(result->peers[0].lines.empty());
  EXPECT_TRUE(result->bandwidth[1].lines.empty());
  EXPECT_FALSE(result->validators.has_value());
  auto data = DevnetData::load(dir.path(), a.devnet(), {"head_slot", "network_peers"});
  ASSERT_TRUE(data.ok());
  EXPECT_FALSE(data->present("head_slot"));
  EXPECT_FALSE(data->present("network_peers"));
}

}  // namespace
}  // namespace leanscope::analysis

namespace leanscope::analysis {
namespace {

// A head slot that drops by 400 slots mid-devnet (5 minutes in): with a
// 1-minute tolerance it is not the devnet's start, so it is a restart under
// a 100-slot reset threshold and nothing under a 1000-slot one; with the
// default 10-minute tolerance it is the devnet's start, not a restart.
TEST(AnalyseNetworking, UsesTheThresholdsTheDevnetWasDetectedWith) {
  testing::TempDir dir;
  Archive a(dir.path());
  std::vector<double> head = ramp(400, 15, 11);
  for (std::size_t i = 5; i < head.size(); ++i) head[i] -= 400;
  a.add("head_slot", 0, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, head);
  a.add("head_slot", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, ramp(400, 15, 11));
  a.write();
  const auto restarts = [&](const archive::DetectionThresholds& t) {
    // Every dataset the networking analysis reads (reading another asserts).
    auto data = DevnetData::load(
        dir.path(), a.devnet(),
        {"head_slot", "validators_count", "network_peers", "peer_events", "attestation_metrics", "container_network"},
        t);
    EXPECT_TRUE(data.ok());
    const auto r = analyse_networking(*data);
    return std::count_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.kind == "restart"; });
  };
  EXPECT_EQ(restarts({}), 0);
  archive::DetectionThresholds tight;
  tight.tolerance_ms = 60'000;
  EXPECT_EQ(restarts(tight), 1);
  tight.reset_threshold = 1000;
  EXPECT_EQ(restarts(tight), 0);
}

// isolated.minutes (leanscope.toml's [findings]) sets how long a client
// must have no peers to be isolated: 3-4 minutes without peers is an isolation
// under a 3-minute threshold and nothing under the default 5.
TEST(AnalyseNetworking, IsolationLastsAsLongAsTheSettingSays) {
  testing::TempDir dir;
  Archive a(dir.path());
  a.add("network_peers", 0, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, {3, 3, 0, 0, 0, 0, 3, 3, 3, 3, 3});
  a.add("network_peers", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, ramp(3, 0, 11));
  a.write();
  const auto isolations = [&](const Settings& settings) {
    auto data = DevnetData::load(
        dir.path(), a.devnet(),
        {"head_slot", "validators_count", "network_peers", "peer_events", "attestation_metrics", "container_network"},
        {}, settings);
    EXPECT_TRUE(data.ok());
    const auto r = analyse_networking(*data);
    return std::count_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.kind == "isolated"; });
  };
  EXPECT_EQ(isolations({}), 0);
  EXPECT_EQ(isolations({{"isolated.minutes", 3}}), 1);
  EXPECT_EQ(isolations({{"isolated.minutes", 6}}), 0);
}

// Start-up is not an incident: the minutes before a client first had a peer
// are shaded but left out of its min, avg and coverage and are no isolation;
// a client that never had a peer keeps every sample (and is isolated).
TEST(AnalyseNetworking, StartUpBeforeTheFirstPeerIsNotAnIncident) {
  testing::TempDir dir;
  Archive a(dir.path());
  a.add("network_peers", 0, {{"job", "zeam_0"}, {"instance", "z:1"}}, 0, {0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2});
  a.add("network_peers", 0, {{"job", "ream_0"}, {"instance", "r:1"}}, 0, ramp(0, 0, 11));
  a.write();
  auto result = analyse_networking(dir.path(), a.devnet());
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& zeam = result->summary[1];
  ASSERT_EQ(zeam.client, "zeam_0");
  EXPECT_DOUBLE_EQ(*zeam.peers.min, 2);
  EXPECT_DOUBLE_EQ(*zeam.peers.avg, 2);
  EXPECT_DOUBLE_EQ(*zeam.peer_coverage_pct.min, 200);
  ASSERT_EQ(result->peers[1].shades.size(), 1u);
  EXPECT_EQ(result->peers[1].shades[0].start, at(0));
  EXPECT_EQ(result->peers[1].shades[0].end, at(6));
  const auto& ream = result->summary[0];
  EXPECT_DOUBLE_EQ(*ream.peers.max, 0);
  std::vector<std::string> isolated;
  for (const auto& f : result->findings) {
    if (f.kind == "isolated") isolated.push_back(f.client);
  }
  EXPECT_EQ(isolated, (std::vector<std::string>{"ream_0"}));
}

TEST(DetectionThresholds, AreReadFromDevnetsJsonDetectionParams) {
  auto file = archive::parse_devnets(
      R"({"schema_version":"1.0","detection_params":{"reset_threshold":250,"tolerance_minutes":3},"devnets":[]})",
      "devnets.json");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->thresholds.reset_threshold, 250);
  EXPECT_EQ(file->thresholds.tolerance_ms, 3 * 60'000);
  auto plain = archive::parse_devnets(R"({"devnets":[]})", "devnets.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->thresholds.reset_threshold, archive::kDefaultResetThreshold);
}

}  // namespace
}  // namespace leanscope::analysis
