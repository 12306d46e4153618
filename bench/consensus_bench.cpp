// The consensus and state-transitions pages of a week of 16 clients: an
// archive with every dataset they read (1-minute samples; 8 buckets for each
// of the six state-transition histograms) is written once, then measured:
// loading it (Parquet to series), and each page's analysis plus HTML (the
// target: under 150 ms for both together, each page under 2 MB).
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/consensus.h"
#include "analysis/devnet_data.h"
#include "analysis/registry.h"
#include "analysis/state_transitions.h"
#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "report/page_writer.h"

namespace {

namespace fs = std::filesystem;
using leanscope::TimeMs;
namespace archive = leanscope::archive;
namespace analysis = leanscope::analysis;

constexpr int kClients = 16;
constexpr int kMinutes = 7 * 24 * 60;
constexpr TimeMs kStart = 1'790'000'000'000;

struct Week {
  fs::path dir;
  archive::Devnet devnet;
  std::vector<std::string> datasets;
};

// Writes the archive once per process (in the system's temporary folder).
const Week& week() {
  static const Week w = [] {
    Week out;
    out.dir = fs::temp_directory_path() / "leanscope-consensus-bench";
    fs::remove_all(out.dir);
    out.devnet.id = archive::devnet_id_for(kStart);
    out.devnet.start = kStart;
    out.devnet.end = kStart + kMinutes * 60'000LL;
    out.devnet.duration_hours = kMinutes / 60.0;
    out.devnet.start_slot = 0;
    std::vector<TimeMs> times;
    for (int m = 0; m <= kMinutes; ++m) times.push_back(kStart + m * 60'000LL);
    std::map<std::string, std::unique_ptr<archive::DatasetTableBuilder>> builders;
    auto add = [&](const std::string& dataset, std::size_t query, const archive::Labels& labels, auto value) {
      const auto* spec = archive::find_dataset(dataset);
      auto& b = builders[dataset];
      if (!b) b = std::make_unique<archive::DatasetTableBuilder>(*spec, archive::ClientNameMap{});
      std::vector<double> v(times.size());
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = value(static_cast<int>(i));
      b->add_series(spec->queries.at(query), labels, times, v);
    };
    const char* les[] = {"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "+Inf"};
    for (int c = 0; c < kClients; ++c) {
      const std::string client = "client" + std::to_string(c) + "_0";
      out.devnet.clients.push_back(client);
      archive::Labels job{{"job", client}, {"instance", client + ":1"}};
      auto with = [&](const char* k, const std::string& v) {
        auto l = job;
        l.emplace_back(k, v);
        return l;
      };
      add("head_slot", 0, job, [&](int m) { return 15.0 * m - (m % 97 == c ? 12 : 0); });
      add("head_slot", 1, job, [](int m) { return 15.0 * m + 1; });
      add("finality_metrics", 0, job, [](int m) { return std::max(0.0, 15.0 * m - 4); });
      add("finality_metrics", 1, job,
          [](int m) { return std::max(0.0, 15.0 * m - 8 - (m / 600 % 5 == 0 ? m % 600 : 0)); });
      add("fork_choice_reorgs", 0, job, [&](int m) { return std::floor(m / (30.0 + c)); });
      for (const char* le : {"1", "2", "4", "8", "+Inf"}) {
        add("fork_choice_reorgs", 1, with("le", le), [&](int m) { return std::floor(m / (30.0 + c)); });
      }
      add("node_sync_status", 0, with("status", "synced"), [](int m) { return m > 2 ? 1.0 : 0.0; });
      add("node_sync_status", 0, with("status", "syncing"), [](int m) { return m > 2 ? 0.0 : 1.0; });
      add("node_sync_status", 0, with("status", "idle"), [](int) { return 0.0; });
      for (std::size_t metric = 0; metric < 6; ++metric) {
        for (std::size_t b = 0; b < std::size(les); ++b) {
          const double share = std::min(1.0, (static_cast<double>(b) + 1) / (6.0 + c % 3));
          add("state_transition_histograms", metric, with("le", les[b]),
              [&](int m) { return std::floor(15.0 * m * share); });
        }
      }
      add("state_transition_counters", 0, job, [](int m) { return 15.0 * m; });
      add("state_transition_counters", 1, job, [](int m) { return 40.0 * m; });
      add("state_transition_counters", 2, with("result", "success"), [](int m) { return std::floor(m / 2.0); });
    }
    for (auto& [dataset, b] : builders) {
      if (!b->write(archive::dataset_path(out.dir, out.devnet.id, dataset), "bench").ok()) std::abort();
    }
    archive::DevnetsFile file;
    file.devnets.push_back(out.devnet);
    if (!archive::save_devnets(out.dir, file).ok()) std::abort();
    for (const auto* r : {analysis::find_report("consensus"), analysis::find_report("state-transitions")}) {
      for (const auto& d : r->datasets) out.datasets.push_back(d);
    }
    return out;
  }();
  return w;
}

void BM_ConsensusPages_Load_Week16Clients(benchmark::State& state) {
  const auto& w = week();
  for (auto _ : state) {
    auto data = analysis::DevnetData::load(w.dir, w.devnet, w.datasets);
    if (!data.ok()) std::abort();
    benchmark::DoNotOptimize(data);
  }
}

// One page's analysis and HTML from the loaded datasets (`which`: 0
// consensus, 1 state transitions, 2 both).
void analyse_and_render(benchmark::State& state, int which) {
  const auto& w = week();
  auto data = analysis::DevnetData::load(w.dir, w.devnet, w.datasets);
  if (!data.ok()) std::abort();
  leanscope::report::PageContext ctx;
  ctx.devnet = w.devnet;
  ctx.reports = {{"consensus", "Consensus"}, {"state-transitions", "State transitions"}};
  std::size_t consensus_bytes = 0, state_bytes = 0;
  for (auto _ : state) {
    if (which != 1) {
      const auto page =
          leanscope::report::report_page_html(analysis::consensus_model(analysis::analyse_consensus(*data)), ctx);
      consensus_bytes = page.size();
      benchmark::DoNotOptimize(page);
    }
    if (which != 0) {
      const auto page = leanscope::report::report_page_html(analysis::state_transitions_model(*data), ctx);
      state_bytes = page.size();
      benchmark::DoNotOptimize(page);
    }
  }
  if (which != 1) state.counters["consensus_bytes"] = static_cast<double>(consensus_bytes);
  if (which != 0) state.counters["state_transitions_bytes"] = static_cast<double>(state_bytes);
}

// The analyses alone (models built, no HTML).
void BM_ConsensusAnalysis_Week16Clients(benchmark::State& state) {
  const auto& w = week();
  auto data = analysis::DevnetData::load(w.dir, w.devnet, w.datasets);
  if (!data.ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(analysis::consensus_model(analysis::analyse_consensus(*data)));
}
void BM_StateTransitionsAnalysis_Week16Clients(benchmark::State& state) {
  const auto& w = week();
  auto data = analysis::DevnetData::load(w.dir, w.devnet, w.datasets);
  if (!data.ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(analysis::state_transitions_model(*data));
}

void BM_ConsensusPage_Week16Clients(benchmark::State& state) { analyse_and_render(state, 0); }
void BM_StateTransitionsPage_Week16Clients(benchmark::State& state) { analyse_and_render(state, 1); }
void BM_BothPages_Week16Clients(benchmark::State& state) { analyse_and_render(state, 2); }

BENCHMARK(BM_ConsensusPages_Load_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ConsensusAnalysis_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_StateTransitionsAnalysis_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_ConsensusPage_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_StateTransitionsPage_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_BothPages_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
