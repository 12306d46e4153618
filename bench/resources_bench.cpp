// The resources page of a week of 16 clients (the target: under 100 ms,
// under 2 MB): the simulator's devnet (one iteration of 168 h, 16 clients,
// with its memory-growth, OOM and disk-fill incidents and cAdvisor noise)
// written into an archive once, as `simulate --data-dir` writes it. Measured:
// the analysis and page from the loaded datasets
// (BM_ResourcesPage_Week16Clients), the analysis and model alone
// (BM_ResourcesAnalysis_Week16Clients), and loading the datasets
// (BM_ResourcesLoad_Week16Clients).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "analysis/devnet_data.h"
#include "analysis/registry.h"
#include "analysis/resources.h"
#include "archive/devnets.h"
#include "report/page_writer.h"
#include "sim/simulator.h"

namespace {

namespace fs = std::filesystem;
using namespace leanscope;

struct Fixture {
  fs::path dir;
  archive::Devnet devnet;
  std::vector<std::string> datasets;
  Fixture() {
    dir = fs::temp_directory_path() / "leanscope-resources-bench";
    fs::remove_all(dir);
    sim::SimulationConfig config;
    config.clients = 16;
    config.iterations = 1;
    config.hours = 168;
    config.seed = 5;
    config.end = 1'795'000'000'000;
    auto simulation = sim::simulate(config);
    if (!simulation) std::abort();
    if (!sim::write_archive(*simulation, dir)) std::abort();
    auto devnets = archive::load_devnets(dir);
    if (!devnets || devnets->devnets.size() != 1) std::abort();
    devnet = devnets->devnets.front();
    datasets = analysis::find_report("resources")->datasets;
  }
  ~Fixture() { fs::remove_all(dir); }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_ResourcesLoad_Week16Clients(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto data = analysis::DevnetData::load(f.dir, f.devnet, f.datasets);
    if (!data) std::abort();
    benchmark::DoNotOptimize(data);
  }
}

void BM_ResourcesAnalysis_Week16Clients(benchmark::State& state) {
  auto& f = fixture();
  auto data = analysis::DevnetData::load(f.dir, f.devnet, f.datasets);
  if (!data) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(analysis::resources_model(analysis::analyse_resources(*data)));
}

void BM_ResourcesPage_Week16Clients(benchmark::State& state) {
  auto& f = fixture();
  auto data = analysis::DevnetData::load(f.dir, f.devnet, f.datasets);
  if (!data) std::abort();
  report::PageContext ctx;
  ctx.devnet = f.devnet;
  ctx.reports = {{"resources", "Resource utilisation"}};
  std::size_t bytes = 0, samples = 0;
  for (const auto& d : f.datasets) {
    for (const auto& s : data->series(d)) samples += s.series.size();
  }
  for (auto _ : state) {
    const std::string page =
        report::report_page_html(analysis::resources_model(analysis::analyse_resources(*data)), ctx);
    bytes = page.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
  state.counters["samples"] = static_cast<double>(samples);
}

BENCHMARK(BM_ResourcesLoad_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ResourcesAnalysis_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_ResourcesPage_Week16Clients)->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace

BENCHMARK_MAIN();
