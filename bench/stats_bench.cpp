// Micro-benchmarks of the histogram engine on in-memory bucket counters: a
// week of 1-minute samples of 16 clients × 12 buckets, p50/p95/p99 per 5 min
// window (every client merged, and each client alone), against a baseline
// that answers window by window with bucket_increase over binary-searched
// slices and histogram_quantile.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "stats/histogram.h"

namespace {
using namespace leanscope;
using namespace leanscope::stats;

constexpr TimeMs kT0 = 1'790'000'000'000;
constexpr int kWeekMinutes = 7 * 24 * 60;
constexpr int kClients = 16;
const std::vector<double> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,   0.25,   0.5,   1,    2.5,   std::numeric_limits<double>::infinity()};
const std::vector<double> kQs = {0.5, 0.95, 0.99};

struct Week {
  std::vector<TimeMs> t;
  std::vector<std::vector<double>> v;  // [client × bucket][minute]
  std::vector<BucketSeries> all;       // every client's buckets
  Week() {
    for (int m = 0; m <= kWeekMinutes; ++m) t.push_back(kT0 + m * 60'000LL);
    std::mt19937 rng(7);
    v.assign(kClients * kBounds.size(), {});
    for (int c = 0; c < kClients; ++c) {
      std::vector<double> counts(kBounds.size(), 0);
      for (int m = 0; m <= kWeekMinutes; ++m) {
        if (m == kWeekMinutes / 2 + c * 60) std::fill(counts.begin(), counts.end(), 0.0);  // a restart
        const int n = std::poisson_distribution<int>(20)(rng);
        for (int o = 0; o < n; ++o) {
          const double x = 0.02 * (1 + c % 4) * std::exp(std::normal_distribution<double>()(rng));
          for (std::size_t b = 0; b < kBounds.size(); ++b) counts[b] += x <= kBounds[b] ? 1 : 0;
        }
        for (std::size_t b = 0; b < kBounds.size(); ++b) v[c * kBounds.size() + b].push_back(counts[b]);
      }
    }
    for (std::size_t s = 0; s < v.size(); ++s) all.push_back({kBounds[s % kBounds.size()], t, v[s]});
  }
  [[nodiscard]] std::span<const BucketSeries> client(int c) const {
    return std::span<const BucketSeries>(all).subspan(c * kBounds.size(), kBounds.size());
  }
};

const Week& week() {
  static const Week w;
  return w;
}

WindowGrid grid() { return WindowGrid{kT0, kT0 + kWeekMinutes * 60'000LL, 5 * 60'000, 5 * 60'000}; }

// Network-wide: all 192 series merged, p50/p95/p99 of every 5 min window.
void BM_WindowedQuantilesNetwork(benchmark::State& state) {
  const Week& w = week();
  for (auto _ : state) benchmark::DoNotOptimize(windowed_quantiles(w.all, kQs, grid()));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.all.size() * w.t.size()));
}
BENCHMARK(BM_WindowedQuantilesNetwork)->Unit(benchmark::kMillisecond);

// Each client alone: 16 calls of 12 series.
void BM_WindowedQuantilesPerClient(benchmark::State& state) {
  const Week& w = week();
  for (auto _ : state) {
    for (int c = 0; c < kClients; ++c) benchmark::DoNotOptimize(windowed_quantiles(w.client(c), kQs, grid()));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.all.size() * w.t.size()));
}
BENCHMARK(BM_WindowedQuantilesPerClient)->Unit(benchmark::kMillisecond);

// Baseline, network-wide: every window on its own, each series sliced by
// binary search to the samples the window needs, then bucket_increase and
// histogram_quantile per q.
void BM_WindowByWindowBaseline(benchmark::State& state) {
  const Week& w = week();
  const WindowGrid g = grid();
  std::vector<BucketSeries> slices(w.all.size());
  for (auto _ : state) {
    std::size_t rows = 0;
    for (TimeMs to = g.start + g.window_ms; to <= g.end; to += g.step_ms) {
      const TimeMs from = to - g.window_ms;
      for (std::size_t s = 0; s < w.all.size(); ++s) {
        const auto& t = w.all[s].t;
        auto first = std::upper_bound(t.begin(), t.end(), from);
        if (first != t.begin()) --first;  // the baseline at or before `from`
        const auto last = std::upper_bound(first, t.end(), to);
        const auto offset = static_cast<std::size_t>(first - t.begin());
        const auto count = static_cast<std::size_t>(last - first);
        slices[s] = {w.all[s].le, t.subspan(offset, count), w.all[s].v.subspan(offset, count)};
      }
      const auto buckets = bucket_increase(slices, from, to);
      for (double q : kQs) rows += histogram_quantile(q, buckets).has_value();
    }
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.all.size() * w.t.size()));
}
BENCHMARK(BM_WindowByWindowBaseline)->Unit(benchmark::kMillisecond);

// A devnet's summary: the whole week's bucket increases per client and
// network-wide, their p50/p95/p99 and shares per bucket.
void BM_WholeWeekQuantilesAndShares(benchmark::State& state) {
  const Week& w = week();
  const WindowGrid g = grid();
  for (auto _ : state) {
    for (int c = 0; c <= kClients; ++c) {
      const auto buckets =
          bucket_increase(c < kClients ? w.client(c) : std::span<const BucketSeries>(w.all), g.start, g.end);
      for (double q : kQs) benchmark::DoNotOptimize(histogram_quantile(q, buckets));
      benchmark::DoNotOptimize(bucket_shares(buckets));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(2 * w.all.size() * w.t.size()));
}
BENCHMARK(BM_WholeWeekQuantilesAndShares)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
