// fetch against a real Prometheus loaded with a simulated devnet: every
// dataset of every devnet is written, and each Parquet file holds exactly what
// Prometheus returns for the same queries.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "archive/clients.h"
#include "archive/datasets.h"
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
  std::vector<std::string> rows;
  for (std::size_t q = 0; q < spec.queries.size(); ++q) {
    for (const auto& s : (*matrices)[q].series) {
      const auto* job = s.label("job");
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
        rows.push_back(fmt::format("{}|{}|{}|{}|{}", job ? names.normalise(*job) : "unknown", instance ? *instance : "",
                                   s.times[i], s.values[i], extras));
      }
    }
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
      std::regex(R"(received ([0-9.]+) (B|KB|MB) in ([0-9]+) responses \(([0-9.]+) (B|KB|MB) decoded\))")))
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
      EXPECT_EQ(rows_of(*table), expected_rows(*client, devnet, spec));
      ASSERT_NE(table->meta("promql"), nullptr);
      EXPECT_EQ(*table->meta("promql"), archive::rendered_promql(spec, ""));
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
  EXPECT_NE(r.err.find(fmt::format("0 written (0 rows, 0 B), {} up to date",
                                   truth.iterations.size() * archive::datasets().size())),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace leanscope
