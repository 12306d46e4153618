// The simulator at the size the brief targets: 3 iterations x 8 h x 8
// clients, modelled, then written as OpenMetrics (target: under 5 s in all).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "sim/simulator.h"

namespace {
using namespace leanscope;

sim::SimulationConfig big() {
  sim::SimulationConfig c;
  c.clients = 8;
  c.iterations = 3;
  c.hours = 8;
  c.seed = 1;
  c.end = 1'795'000'000'000;
  return c;
}

void BM_Simulate(benchmark::State& state) {
  for (auto _ : state) {
    auto sim = sim::simulate(big());
    benchmark::DoNotOptimize(sim.ok());
    state.counters["samples"] = static_cast<double>(sim->sample_count());
  }
}
BENCHMARK(BM_Simulate)->Unit(benchmark::kMillisecond);

void BM_SimulateToOpenMetricsFile(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "leanscope_sim_bench.om";
  for (auto _ : state) {
    auto sim = sim::simulate(big());
    auto written = sim::write_openmetrics(*sim, path);
    benchmark::DoNotOptimize(written.ok());
  }
  state.counters["bytes"] = static_cast<double>(std::filesystem::file_size(path));
  std::filesystem::remove(path);
}
BENCHMARK(BM_SimulateToOpenMetricsFile)->Unit(benchmark::kMillisecond);

void BM_SimulateToArchive(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "leanscope_sim_bench_data";
  for (auto _ : state) {
    auto sim = sim::simulate(big());
    auto written = sim::write_archive(*sim, dir);
    benchmark::DoNotOptimize(written.ok());
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SimulateToArchive)->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
