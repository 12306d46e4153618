// Micro-benchmarks of the networking analysis on in-memory series: a week
// of 1-minute samples per series, as a long devnet's archive holds.
#include <benchmark/benchmark.h>

#include <cmath>

#include "analysis/detail/sections.h"

namespace {
using namespace leanscope;
using namespace leanscope::analysis::detail;

constexpr TimeMs kT0 = 1'790'000'000'000;
constexpr int kWeekMinutes = 7 * 24 * 60;

RawSeries counter(int samples, double per_minute, int restart_at) {
  RawSeries s;
  double v = 0;
  for (int i = 0; i < samples; ++i) {
    v = i == restart_at ? 1 : v + per_minute;
    s.t.push_back(kT0 + i * 60'000LL);
    s.v.push_back(v);
  }
  return s;
}

void BM_SumRates(benchmark::State& state) {
  std::vector<RawSeries> series;
  for (int i = 0; i < state.range(0); ++i) series.push_back(counter(kWeekMinutes, 15 + i, kWeekMinutes / 2));
  std::vector<const RawSeries*> ptrs;
  for (const auto& s : series) ptrs.push_back(&s);
  for (auto _ : state) benchmark::DoNotOptimize(sum_rates(ptrs, 4000.0));
  state.SetItemsProcessed(state.iterations() * state.range(0) * kWeekMinutes);
}
BENCHMARK(BM_SumRates)->Arg(2)->Arg(16);

void BM_AnalyseWeek(benchmark::State& state) {
  Inputs in;
  in.devnet.start = kT0;
  in.devnet.end = kT0 + kWeekMinutes * 60'000LL;
  const int clients = static_cast<int>(state.range(0));
  for (int c = 0; c < clients; ++c) {
    const std::string name = "client" + std::to_string(c) + "_0";
    in.clients.push_back(name);
    auto head = counter(kWeekMinutes, 15, -1);
    in.head_slot.push_back({name, {"i", "lean_head_slot"}, head});
    for (int p = 0; p < 4; ++p) {
      RawSeries peer = counter(kWeekMinutes, 0, 0);
      in.peers.push_back({name, {"i", "ethlambda", "p" + std::to_string(p)}, peer});
    }
    for (const char* source : {"gossip", "block"}) {
      in.attestations.push_back(
          {name, {"i", "lean_attestations_valid_total", source}, counter(kWeekMinutes, 200, kWeekMinutes / 3)});
      in.attestations.push_back({name, {"i", "lean_attestations_invalid_total", source}, counter(kWeekMinutes, 0, -1)});
    }
    for (const char* metric : {"connection", "disconnection"}) {
      for (const char* direction : {"inbound", "outbound"})
        in.peer_events.push_back({name, {"i", metric, direction, "success"}, counter(kWeekMinutes, 0.1, -1)});
    }
    for (const char* metric : {"rx", "tx"}) {
      RawSeries rate;
      for (int i = 0; i < kWeekMinutes; ++i) {
        rate.t.push_back(kT0 + i * 60'000LL);
        rate.v.push_back(3e5 + 1e5 * std::sin(i / 60.0 + c));
      }
      in.network.push_back({name, {"i", "eth0", metric}, rate});
      in.containers.push_back({name, {"i", "eth0", metric}, rate});
    }
  }
  for (auto _ : state) benchmark::DoNotOptimize(analyse(in));
}
BENCHMARK(BM_AnalyseWeek)->Arg(12)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
