// fetch against a real Prometheus loaded with a simulated devnet: every
// dataset of every devnet is written, and each Parquet file holds exactly what
// Prometheus returns for the same queries.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "archive/clients.h"
#include "archive/datasets.h"
#include "archive/derived.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/parquet/parquet.h"
#include "fetch/fetch.h"
#include "prom/simulated_prometheus.h"

namespace leanscope {
namespace {

namespace fs = std::filesystem;
using testing::run_leanscope;
using testing::TempDir;

// "client|instance|timestamp|value|extra..." for every row.
std::vector<std::string> rows_of(const parquet::Table& table) {
  std::vector<std::string> rows;
  for (std::size_t r = 0; r < table.num_rows; ++r) {
    std::string row;
    for (const auto& c : table.columns) {
      if (c.kind == parquet::ValueKind::String)
        row += c.string_at(r);
      else if (c.kind == parquet::ValueKind::Timestamp)
        row += std::to_string(c.millis_at(r));
      else if (c.kind == parquet::ValueKind::Double)
        row += fmt::format("{}", c.doubles[r]);
      row += '|';
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A row of rows_of() without its value, and the value.
std::pair<std::string, double> without_value(const std::string& row) {
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) at = row.find('|', at) + 1;
  const auto end = row.find('|', at);
  return {row.substr(0, at) + row.substr(end), std::stod(row.substr(at, end - at))};
}

// The same rows straight from Prometheus, in the archive's column layout.
std::vector<std::string> expected_rows(prom::Client& client, const archive::Devnet& devnet,
                                       const archive::DatasetSpec& spec) {
  std::vector<prom::RangeQuery> queries;
  for (const auto& q : spec.queries) {
    queries.push_back({archive::render_promql(q.promql, ""), devnet.start, devnet.end, spec.step_seconds * 1000LL});
  }
  auto matrices = client.query_range_all(queries);
  EXPECT_TRUE(matrices.ok()) << matrices.error().message;
  if (!matrices.ok()) return {};
  archive::ClientNameMap names(devnet.clients);
  for (const auto& m : *matrices) {
    for (const auto& s : m.series) {
      if (const auto* job = s.label("job")) names.add(*job);
    }
  }
  // A bare job's row gives way to its successor's at the same client, series and time.
  std::set<std::string> successor_keys;
  std::vector<std::pair<std::string, std::string>> rows_and_keys;
  std::vector<bool> bare_rows;
  for (std::size_t q = 0; q < spec.queries.size(); ++q) {
    for (const auto& s : (*matrices)[q].series) {
      const auto* job = s.label("job");
      const bool bare = job && names.normalise(*job) != *job;
      const auto* instance = s.label("instance");
      std::string extras;
      for (const auto& col : spec.extra_columns) {
        std::string v = col.fallback;
        if (col.labels.empty()) {
          if (auto it = spec.queries[q].fixed.find(col.name); it != spec.queries[q].fixed.end()) v = it->second;
        } else {
          for (const auto& l : col.labels) {
            if (const auto* found = s.label(l)) {
              v = *found;
              break;
            }
          }
        }
        extras += v + '|';
      }
      for (std::size_t i = 0; i < s.times.size(); ++i) {
        const std::string client = job ? names.normalise(*job) : "unknown";
        auto key = fmt::format("{}|{}|{}", client, s.times[i], extras);
        if (!bare) successor_keys.insert(key);
        bare_rows.push_back(bare);
        rows_and_keys.emplace_back(
            fmt::format("{}|{}|{}|{}|{}", client, instance ? *instance : "", s.times[i], s.values[i], extras),
            std::move(key));
      }
    }
  }
  std::vector<std::string> rows;
  for (std::size_t i = 0; i < rows_and_keys.size(); ++i) {
    if (bare_rows[i] && successor_keys.contains(rows_and_keys[i].second)) continue;
    rows.push_back(std::move(rows_and_keys[i].first));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(FetchOnPrometheus, EveryDatasetMatchesWhatPrometheusReturns) {
  TempDir dir;
  testing::SimulatedPrometheus sim(dir, "11", "2026-11-21T06:00:00Z");
  ASSERT_TRUE(sim.ok());
  const auto& truth = sim.truth();
  const auto data = dir / "data";
  auto r = run_leanscope({"detect", "--prometheus-url", sim.url(), "--start",
                          format_iso_z(truth.iterations.front().start - 600'000), "--end",
                          format_iso_z(truth.iterations.back().end + 600'000), "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_leanscope({"fetch", "--prometheus-url", sim.url(), "--devnet", "all", "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("0 failed"), std::string::npos) << r.err;
  // The traffic: Prometheus compresses query_range answers, so fewer bytes
  // come over the wire than are decoded.
  std::smatch traffic;
  ASSERT_TRUE(std::regex_search(
      r.err, traffic,
      std::regex(R"(received ([0-9.]+) (B|kB|MB) in ([0-9]+) responses \(([0-9.]+) (B|kB|MB) decoded\))")))
      << r.err;
  EXPECT_GE(std::stoi(traffic[3]), 11) << r.err;  // at least one request per dataset query

  auto devnets = archive::load_devnets(data);
  ASSERT_TRUE(devnets.ok());
  ASSERT_EQ(devnets->devnets.size(), truth.iterations.size());
  auto manifest = archive::load_manifest(data);
  ASSERT_TRUE(manifest.ok());
  prom::ClientConfig config;
  config.base_url = sim.url();
  auto client = prom::Client::create(config);
  ASSERT_TRUE(client.ok());
  for (const auto& devnet : devnets->devnets) {
    for (const auto& spec : archive::datasets()) {
      SCOPED_TRACE(devnet.id + "/" + spec.id);
      const auto path = archive::dataset_path(data, devnet.id, spec.id);
      auto table = parquet::read_table(path);
      ASSERT_TRUE(table.ok()) << table.error().message;
      EXPECT_GT(table->num_rows, 0u);
      if (spec.derived_from.empty()) {
        EXPECT_EQ(rows_of(*table), expected_rows(*client, devnet, spec));
      } else {
        // Computed from the source as archived, over the devnet's window.
        archive::DeriveRequest again;
        again.spec = &spec;
        again.source_file = archive::dataset_path(data, devnet.id, spec.derived_from);
        again.path = dir / "again" / (spec.id + ".parquet");
        again.devnet = devnet.id;
        again.window = {devnet.start, devnet.end};
        auto derived = archive::derive_dataset(again);
        ASSERT_TRUE(derived.ok()) << derived.error().message;
        auto want = parquet::read_table(again.path);
        ASSERT_TRUE(want.ok());
        EXPECT_EQ(rows_of(*table), rows_of(*want));
      }
      ASSERT_NE(table->meta("promql"), nullptr);
      EXPECT_EQ(*table->meta("promql"), archive::stored_promql(spec, ""));
      const auto& rec = manifest->devnets[devnet.id][spec.id];
      EXPECT_EQ(rec.row_count, static_cast<std::int64_t>(table->num_rows));
      EXPECT_EQ(rec.file_size_bytes, static_cast<std::int64_t>(fs::file_size(path)));
    }
    // The clients of the archive are the devnet's clients (cAdvisor's
    // infrastructure containers stay in the raw network data only).
    auto peers = parquet::read_table(archive::dataset_path(data, devnet.id, "network_peers"));
    ASSERT_TRUE(peers.ok());
    const auto* client_column = peers->find("client");
    ASSERT_NE(client_column, nullptr);
    for (const auto& name : client_column->dict) {
      EXPECT_NE(std::find(devnet.clients.begin(), devnet.clients.end(), name), devnet.clients.end()) << name;
    }
  }

  // The devnets are long finished: a second fetch skips every dataset.
  r = run_leanscope({"fetch", "--prometheus-url", sim.url(), "--devnet", "all", "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(fmt::format("datasets: 0 written, {} skipped, 0 failed; 0 rows, 0 B written",
                                   truth.iterations.size() * archive::datasets().size())),
            std::string::npos)
      << r.err;
}

// What `simulate --data-dir` writes without a server is what detect + fetch
// write from Prometheus loaded with the same simulation, row for row. Each
// step holds the last sample inside it, so the renamed job (`ream` scraped,
// then `ream_0`) gives no two rows for one client and timestamp, although
// Prometheus repeats a stopped series' last sample for 5 minutes.
TEST(FetchOnPrometheus, TheArchiveEqualsTheSimulatorsAndNoClientIsCountedTwice) {
  TempDir dir;
  const std::string seed = "5", end = "2026-11-21T06:00:00Z";
  testing::SimulatedPrometheus sim(dir, seed, end);
  ASSERT_TRUE(sim.ok());
  const auto simulated = dir / "simulated";
  auto r = run_leanscope({"simulate", "--seed", seed, "--end", end, "--data-dir", simulated.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto& truth = sim.truth();
  const auto data = dir / "data";
  r = run_leanscope({"detect", "--prometheus-url", sim.url(), "--start",
                     format_iso_z(truth.iterations.front().start - 600'000), "--end",
                     format_iso_z(truth.iterations.back().end + 600'000), "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_leanscope({"fetch", "--prometheus-url", sim.url(), "--devnet", "all", "--data-dir", data.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto fetched = archive::load_devnets(data);
  auto expected = archive::load_devnets(simulated);
  ASSERT_TRUE(fetched.ok() && expected.ok());
  ASSERT_EQ(fetched->devnets.size(), expected->devnets.size());
  for (std::size_t i = 0; i < expected->devnets.size(); ++i) {
    const auto& d = fetched->devnets[i];
    const auto& want = expected->devnets[i];
    EXPECT_EQ(d.id, want.id);
    EXPECT_EQ(d.start, want.start);
    EXPECT_EQ(d.end, want.end);
    EXPECT_EQ(d.clients, want.clients);
    for (const auto& spec : archive::datasets()) {
      SCOPED_TRACE(d.id + "/" + spec.id);
      auto got = parquet::read_table(archive::dataset_path(data, d.id, spec.id));
      auto sim_table = parquet::read_table(archive::dataset_path(simulated, want.id, spec.id));
      ASSERT_TRUE(got.ok() && sim_table.ok());
      const auto rows = rows_of(*got);
      const auto want_rows = rows_of(*sim_table);
      // Raw samples are equal to the bit; rate() is computed in another order
      // of floating-point operations, equal to 1e-9.
      const bool rates = std::any_of(spec.queries.begin(), spec.queries.end(),
                                     [](const archive::DatasetQuery& q) { return q.promql.starts_with("rate("); });
      if (!rates) {
        EXPECT_EQ(rows, want_rows);
      } else {
        ASSERT_EQ(rows.size(), want_rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) {
          auto [key, value] = without_value(rows[k]);
          auto [want_key, want_value] = without_value(want_rows[k]);
          ASSERT_EQ(key, want_key);
          EXPECT_NEAR(value, want_value, 1e-9 * std::max(1.0, std::fabs(want_value))) << key;
        }
      }
      // One row per client, series and timestamp: the instance aside.
      std::set<std::string> keys;
      for (const auto& row : rows) {
        auto fields = row;
        const auto first = fields.find('|'), second = fields.find('|', first + 1);
        const auto third = fields.find('|', second + 1), fourth = fields.find('|', third + 1);
        // client | timestamp | extras (instance and value left out)
        const auto key = fields.substr(0, first) + fields.substr(second, third - second) + fields.substr(fourth);
        EXPECT_TRUE(keys.insert(key).second) << "twice: " << key;
      }
    }
  }
}

}  // namespace
}  // namespace leanscope
