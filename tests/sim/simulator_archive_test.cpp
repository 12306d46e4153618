// simulator.h, write_archive: the archive that detect + fetch would write.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "sim/simulator.h"
#include "support/test_support.h"

namespace leanscope::sim {
namespace {

namespace fs = std::filesystem;

const Simulation& simulation() {
  static const Simulation sim = [] {
    SimulationConfig c;
    c.clients = 5;
    c.iterations = 2;
    c.hours = 1.0;
    c.seed = 3;
    c.end = 1'795'000'000'000;
    return simulate(c).value();
  }();
  return sim;
}

parquet::Table read(const fs::path& data, const std::string& devnet, const std::string& dataset) {
  auto table = parquet::read_table(archive::dataset_path(data, devnet, dataset));
  EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message);
  return table.ok() ? std::move(table).value() : parquet::Table{};
}

std::vector<const TruthEvent*> events_of(std::string_view kind) {
  std::vector<const TruthEvent*> out;
  for (const auto& e : simulation().events) {
    if (e.kind == kind) out.push_back(&e);
  }
  return out;
}

TEST(SimulatorArchive, DevnetsAreTheIterationsOfTheTruth) {
  testing::TempDir dir;
  auto written = write_archive(simulation(), dir.path());
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto devnets = archive::load_devnets(dir.path());
  ASSERT_TRUE(devnets.ok()) << devnets.error().message;
  const auto& iterations = simulation().iterations;
  ASSERT_EQ(devnets->devnets.size(), iterations.size());
  EXPECT_EQ(written->devnets.size(), iterations.size());
  for (std::size_t i = 0; i < iterations.size(); ++i) {
    const auto& d = devnets->devnets[i];
    EXPECT_EQ(d.id, iterations[i].id);
    EXPECT_EQ(d.start, iterations[i].start);
    EXPECT_EQ(d.end, iterations[i].last_sample / 60'000 * 60'000);
    EXPECT_EQ(d.clients, iterations[i].clients);
    EXPECT_EQ(d.notes, "simulated");
    ASSERT_TRUE(d.start_slot && d.end_slot);
    EXPECT_LT(*d.start_slot, 30);
    EXPECT_LE(*d.end_slot, iterations[i].max_head_slot);
    EXPECT_GE(*d.end_slot, iterations[i].max_head_slot - 16);
  }
}

TEST(SimulatorArchive, EveryDatasetIsReadBackWithTheRegistryColumns) {
  testing::TempDir dir;
  ASSERT_TRUE(write_archive(simulation(), dir.path()).ok());
  auto manifest = archive::load_manifest(dir.path());
  ASSERT_TRUE(manifest.ok());
  for (const auto& it : simulation().iterations) {
    const auto& records = manifest->devnets.at(it.id);
    for (const auto& spec : archive::datasets()) {
      const auto table = read(dir.path(), it.id, spec.id);
      std::vector<std::string> names;
      for (const auto& c : table.columns) names.push_back(c.name);
      EXPECT_EQ(names, spec.column_names()) << spec.id;
      ASSERT_NE(table.meta("promql"), nullptr);
      // The derived *_timing files have no query: they are computed from their histograms' file.
      if (spec.derived_from.empty()) {
        EXPECT_GT(table.num_rows, 0u) << spec.id;
        EXPECT_NE(table.meta("promql")->find(spec.id.starts_with("container_") ? "container_" : "lean_"),
                  std::string::npos);
      }
      const auto& record = records.at(spec.id);
      EXPECT_EQ(record.row_count, static_cast<std::int64_t>(table.num_rows));
      EXPECT_EQ(record.file_size_bytes,
                static_cast<std::int64_t>(fs::file_size(archive::dataset_path(dir.path(), it.id, spec.id))));
      EXPECT_EQ(record.query_hash.size(), 16u);
      ASSERT_NE(table.meta("devnet"), nullptr);
      EXPECT_EQ(*table.meta("devnet"), it.id);
      EXPECT_EQ(*table.meta("dataset"), spec.id);
      // Client names are normalised: the bare `ream` is `ream_0`.
      const auto* client = table.find("client");
      for (const auto& name : client->dict) {
        const bool known = std::binary_search(it.clients.begin(), it.clients.end(), name) || name == "cadvisor";
        EXPECT_TRUE(known) << spec.id << ": " << name;
      }
      const auto* ts = table.find("timestamp");
      for (std::size_t r = 0; r < table.num_rows; ++r) {
        EXPECT_EQ((ts->millis_at(r) - it.start) % 60'000, 0) << "1-minute steps from the start";
      }
    }
  }
}

// Sum of `value` per client and timestamp, where `column` (if given) equals `want`.
std::map<std::pair<std::string, std::int64_t>, double> summed(const parquet::Table& t, const char* column = nullptr,
                                                              const std::string& want = "") {
  std::map<std::pair<std::string, std::int64_t>, double> out;
  const auto* client = t.find("client");
  const auto* ts = t.find("timestamp");
  const auto* value = t.find("value");
  const auto* filter = column ? t.find(column) : nullptr;
  for (std::size_t r = 0; r < t.num_rows; ++r) {
    if (filter && filter->string_at(r) != want) continue;
    out[{client->string_at(r), ts->millis_at(r)}] += value->doubles[r];
  }
  return out;
}

TEST(SimulatorArchive, DatasetsShowTheIncidentsOfTheTruth) {
  testing::TempDir dir;
  ASSERT_TRUE(write_archive(simulation(), dir.path()).ok());
  auto devnet_of = [&](TimeMs t) {
    for (const auto& it : simulation().iterations) {
      if (t >= it.start && t <= it.end) return it.id;
    }
    return std::string();
  };
  for (const auto* e : events_of(kIsolated)) {
    auto peers = summed(read(dir.path(), devnet_of(e->start), "network_peers"));
    int inside = 0;
    for (const auto& [key, v] : peers) {
      if (key.first == e->client && key.second >= e->start + 60'000 && key.second < e->end) {
        EXPECT_EQ(v, 0);
        ++inside;
      }
    }
    EXPECT_GE(inside, 3);
  }
  for (const auto* e : events_of(kAboveTier)) {
    auto net = read(dir.path(), devnet_of(e->start), "container_network");
    const auto* container = net.find("container");
    const auto* metric = net.find("metric");
    const auto* ts = net.find("timestamp");
    double peak = 0, elsewhere = 0;
    for (std::size_t r = 0; r < net.num_rows; ++r) {
      if (container->string_at(r) != e->client || metric->string_at(r) != "rx") continue;
      const double v = net.find("value")->doubles[r];
      const auto t = ts->millis_at(r);
      if (t > e->start && t < e->end + 5 * 60'000)
        peak = std::max(peak, v);
      else
        elsewhere = std::max(elsewhere, v);
    }
    EXPECT_GT(peak, 6.25e6);
    EXPECT_LT(elsewhere, 1e6);
  }
  // Both label styles of attestation counters: source-less ones read as "unknown".
  auto att = read(dir.path(), simulation().iterations[0].id, "attestation_metrics");
  std::set<std::string> sources(att.find("source")->dict.begin(), att.find("source")->dict.end());
  EXPECT_EQ(sources, (std::set<std::string>{"gossip", "block", "unknown"}));
}

// "client|extra columns...|timestamp" of every row, and how often each occurs.
std::map<std::string, int> row_keys(const parquet::Table& t) {
  std::map<std::string, int> out;
  for (std::size_t r = 0; r < t.num_rows; ++r) {
    std::string key = t.find("client")->string_at(r);
    for (const auto& c : t.columns) {
      if (c.kind == parquet::ValueKind::String && c.name != "client" && c.name != "instance")
        key += "|" + c.string_at(r);
    }
    ++out[key + "|" + std::to_string(t.find("timestamp")->millis_at(r))];
  }
  return out;
}

// Each step holds the last sample inside it: a renamed job (`ream`, then
// `ream_0`) is never counted twice for one client and timestamp, and a
// series that stops (a per-peer gauge across a restart, a node torn down)
// ends within one step of its last sample.
TEST(SimulatorArchive, AStoppedSeriesEndsWithinOneStepAndNoClientIsCountedTwice) {
  testing::TempDir dir;
  ASSERT_TRUE(write_archive(simulation(), dir.path()).ok());
  for (const auto& it : simulation().iterations) {
    for (const auto& spec : archive::datasets()) {
      for (const auto& [key, count] : row_keys(read(dir.path(), it.id, spec.id))) {
        EXPECT_EQ(count, 1) << it.id << "/" << spec.id << ": " << key;
      }
    }
  }

  const auto renames = events_of(kRename);
  ASSERT_EQ(renames.size(), 1u);
  const auto& first = simulation().iterations.front();
  const std::string renamed = renames.front()->client;  // "ream_0"
  const std::string bare = renamed.substr(0, renamed.rfind('_'));
  for (const auto& [dataset, metric] :
       {std::pair{"head_slot", "lean_head_slot"}, std::pair{"network_peers", "lean_connected_peers"}}) {
    SCOPED_TRACE(dataset);
    const auto table = read(dir.path(), first.id, dataset);
    TimeMs last_bare_sample = 0, last_bare_row = 0, first_suffixed_row = 0;
    for (const auto& s : simulation().family(metric)->series) {
      for (const auto& [k, v] : s.labels) {
        if (k == "job" && v == bare) last_bare_sample = std::max(last_bare_sample, s.times.back());
      }
    }
    for (std::size_t r = 0; r < table.num_rows; ++r) {
      if (table.find("client")->string_at(r) != renamed) continue;
      const auto t = table.find("timestamp")->millis_at(r);
      if (table.find("instance")->string_at(r) == bare + ":8080")
        last_bare_row = std::max(last_bare_row, t);
      else if (first_suffixed_row == 0 || t < first_suffixed_row)
        first_suffixed_row = t;
    }
    ASSERT_GT(last_bare_sample, 0);
    ASSERT_GT(last_bare_row, 0) << "the bare job's rows are kept under the normalised name";
    EXPECT_LE(last_bare_row, last_bare_sample + 60'000) << "the stopped series ends within one step";
    EXPECT_GT(last_bare_row + 60'000, last_bare_sample) << "and lasts until the step after its last sample";
    EXPECT_LE(first_suffixed_row, last_bare_row + 60'000);
  }

  // Per-peer gauges: every row has a sample of its series inside its step.
  std::size_t checked = 0;
  for (const auto& it : simulation().iterations) {
    const auto peers = read(dir.path(), it.id, "network_peers");
    archive::ClientNameMap names(it.clients);
    std::map<std::pair<std::string, std::string>, std::vector<TimeMs>> rows;
    for (std::size_t r = 0; r < peers.num_rows; ++r) {
      if (peers.find("peer")->string_at(r).empty()) continue;
      rows[{peers.find("client")->string_at(r), peers.find("peer")->string_at(r)}].push_back(
          peers.find("timestamp")->millis_at(r));
    }
    for (const auto& s : simulation().family("lean_connected_peers")->series) {
      std::string job, peer;
      for (const auto& [k, v] : s.labels) {
        if (k == "job") job = v;
        if (k == "peer") peer = v;
      }
      if (peer.empty()) continue;
      const auto found = rows.find({names.normalise(job), peer});
      if (found == rows.end()) continue;
      for (const auto t : found->second) {
        auto after = std::lower_bound(s.times.begin(), s.times.end(), t - 60'000);
        EXPECT_TRUE(after != s.times.end() && *after <= t) << job << " " << peer << " at " << format_iso_z(t);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100u);
}

TEST(SimulatorArchive, SameSimulationGivesSameFilesAndOtherDevnetsAreKept) {
  testing::TempDir a, b;
  archive::DevnetsFile existing;
  archive::Devnet other;
  other.id = "pqdevnet-20200101T0000Z";
  other.start = 1'577'836'800'000;
  other.end = other.start + 3'600'000;
  existing.devnets.push_back(other);
  ASSERT_TRUE(archive::save_devnets(b.path(), existing).ok());
  ASSERT_TRUE(write_archive(simulation(), a.path()).ok());
  ASSERT_TRUE(write_archive(simulation(), b.path()).ok());
  for (const auto& it : simulation().iterations) {
    for (const auto& spec : archive::datasets()) {
      const auto rel = archive::dataset_path("", it.id, spec.id);
      EXPECT_EQ(testing::read_text(a.path() / rel), testing::read_text(b.path() / rel)) << rel;
    }
  }
  EXPECT_EQ(testing::read_text(a.path() / "manifest.json"), testing::read_text(b.path() / "manifest.json"));
  auto merged = archive::load_devnets(b.path());
  ASSERT_TRUE(merged.ok());
  ASSERT_EQ(merged->devnets.size(), simulation().iterations.size() + 1);
  EXPECT_EQ(merged->devnets.front().id, other.id);
  // Writing again replaces the simulated devnets instead of adding copies.
  ASSERT_TRUE(write_archive(simulation(), b.path()).ok());
  EXPECT_EQ(archive::load_devnets(b.path())->devnets.size(), simulation().iterations.size() + 1);
}

TEST(SimulatorArchive, AMalformedDevnetsFileIsAnErrorNamingIt) {
  testing::TempDir dir;
  testing::write_text(dir / "devnets.json", "{\"devnets\": 3}");
  auto written = write_archive(simulation(), dir.path());
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("devnets.json"), std::string::npos);
}

}  // namespace
}  // namespace leanscope::sim
