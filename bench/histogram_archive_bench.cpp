// A week of 16 clients' histogram datasets read from the archive, and every
// histogram's devnet quantiles: per client and network-wide, p50/p95/p99 of
// the whole devnet's bucket increases, for each tag of pq_signature_histograms
// (4) and state_transition_histograms (6). The archive is written once with
// DatasetTableBuilder, as fetch writes it: 1-minute steps, 10 bounds per
// histogram (+Inf included), a restart per client. Baselines in the same run:
// reading the two files alone (together, and each on one thread), the
// quantiles alone, and deriving the timing files (p50/p95/p99 per 5 min
// window) from them. Figures: docs/PERFORMANCE.md, issue 13.
#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <unistd.h>

#include "archive/datasets.h"
#include "archive/derived.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "archive/read.h"
#include "stats/histogram.h"

namespace {
using namespace leanscope;
namespace fs = std::filesystem;

constexpr TimeMs kT0 = 1'790'000'000'000;
constexpr int kMinutes = 7 * 24 * 60;
constexpr int kClients = 16;
const std::vector<std::string> kLes = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
const std::vector<double> kQs = {0.5, 0.95, 0.99};
constexpr const char* kDatasets[] = {"pq_signature_histograms", "state_transition_histograms"};

const std::string& devnet() {
  static const std::string id = archive::devnet_id_for(kT0);
  return id;
}

struct Archive {
  fs::path dir;
  std::int64_t rows = 0;
  Archive() {
    dir = fs::temp_directory_path() / ("leanscope-histogram-bench-" + std::to_string(::getpid()));
    std::vector<TimeMs> t;
    for (int m = 0; m <= kMinutes; ++m) t.push_back(kT0 + m * 60'000LL);
    std::vector<double> bounds;
    for (const auto& le : kLes) bounds.push_back(*stats::parse_le(le));
    std::mt19937 rng(11);
    for (const char* id : kDatasets) {
      const auto& spec = *archive::find_dataset(id);
      archive::DatasetTableBuilder builder(spec, archive::ClientNameMap{});
      builder.reserve(spec.queries.size() * kClients * kLes.size() * t.size());
      for (std::size_t q = 0; q < spec.queries.size(); ++q) {
        for (int c = 0; c < kClients; ++c) {
          std::vector<std::vector<double>> v(kLes.size());
          std::vector<double> counts(kLes.size(), 0);
          for (int m = 0; m <= kMinutes; ++m) {
            if (m == kMinutes / 2 + c * 60) std::fill(counts.begin(), counts.end(), 0.0);  // a restart
            const int n = std::poisson_distribution<int>(8)(rng);
            for (int o = 0; o < n; ++o) {
              const double x = 0.01 * (1 + (c + static_cast<int>(q)) % 4) * std::exp(std::normal_distribution<>()(rng));
              for (std::size_t b = 0; b < kLes.size(); ++b) counts[b] += x <= bounds[b] ? 1 : 0;
            }
            for (std::size_t b = 0; b < kLes.size(); ++b) v[b].push_back(counts[b]);
          }
          const std::string job = "client" + std::to_string(c) + "_0";
          for (std::size_t b = 0; b < kLes.size(); ++b) {
            builder.add_series(spec.queries[q], {{"job", job}, {"instance", job + ":9100"}, {"le", kLes[b]}}, t, v[b]);
          }
        }
      }
      rows += static_cast<std::int64_t>(builder.rows());
      if (!builder.write(archive::dataset_path(dir, devnet(), id), "bench").ok()) std::abort();
    }
  }
  ~Archive() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const Archive& week() {
  static const Archive a;
  return a;
}

const archive::TimeWindow kWindow{kT0, kT0 + kMinutes * 60'000LL};

// Both datasets read at once (two threads, as DevnetData reads datasets in parallel).
std::vector<archive::DatasetRead> read_both() {
  std::vector<archive::DatasetRead> reads(2);
  std::thread other([&] { reads[1] = archive::read_dataset(week().dir, devnet(), kDatasets[1], kWindow).value(); });
  reads[0] = archive::read_dataset(week().dir, devnet(), kDatasets[0], kWindow).value();
  other.join();
  return reads;
}

// Every histogram's devnet p50/p95/p99: per (client, tag), and per tag over
// every client, whose buckets are the clients' buckets summed by `le` (as
// the reports do: analysis/detail/timing.cpp).
std::size_t devnet_quantiles(const std::vector<archive::DatasetRead>& reads) {
  std::size_t figures = 0;
  for (std::size_t d = 0; d < reads.size(); ++d) {
    const auto& spec = *archive::find_dataset(kDatasets[d]);
    const std::size_t metric_at = spec.label_index("metric"), le_at = spec.label_index("le");
    std::map<std::string_view, std::map<std::string_view, std::vector<stats::BucketSeries>>> by_tag;
    for (const auto& s : reads[d].series) {
      const auto le = stats::parse_le(s.labels[le_at]);
      if (!le) continue;
      by_tag[s.labels[metric_at]][s.client].push_back({*le, s.series.t, s.series.v});
    }
    for (const auto& [tag, clients] : by_tag) {
      std::vector<stats::Bucket> all;
      for (const auto& [client, series] : clients) {
        const auto buckets = stats::bucket_increase(series, kWindow.start, kWindow.end);
        for (double q : kQs) figures += stats::histogram_quantile(q, buckets).has_value();
        all.insert(all.end(), buckets.begin(), buckets.end());
      }
      for (double q : kQs) figures += stats::histogram_quantile(q, all).has_value();  // sorts and sums by le
    }
  }
  return figures;
}

void BM_ReadHistogramDatasets(benchmark::State& state) {
  const auto& a = week();
  for (auto _ : state) benchmark::DoNotOptimize(read_both());
  state.SetItemsProcessed(state.iterations() * a.rows);
  state.counters["rows"] = static_cast<double>(a.rows);
}
BENCHMARK(BM_ReadHistogramDatasets)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

// Each file alone on one thread: with two idle cores, the longer of the two
// is the floor of BM_ReadHistogramDatasets' wall time.
void BM_ReadOneDataset(benchmark::State& state) {
  const auto& a = week();
  const char* id = kDatasets[state.range(0)];
  std::size_t samples = 0;
  for (auto _ : state) {
    const auto read = archive::read_dataset(a.dir, devnet(), id, kWindow).value();
    samples = 0;
    for (const auto& s : read.series) samples += s.series.size();
    benchmark::DoNotOptimize(samples);
  }
  state.SetLabel(id);
  state.counters["samples"] = static_cast<double>(samples);
}
BENCHMARK(BM_ReadOneDataset)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

// The target: read and every histogram's devnet quantiles, under 150 ms.
void BM_ReadAndDevnetQuantiles(benchmark::State& state) {
  const auto& a = week();
  std::size_t figures = 0;
  for (auto _ : state) {
    const auto reads = read_both();
    figures = devnet_quantiles(reads);
    benchmark::DoNotOptimize(figures);
  }
  if (figures != 3 * (kClients + 1) * 10) state.SkipWithError("a devnet quantile is missing");
  state.SetItemsProcessed(state.iterations() * a.rows);
  state.counters["figures"] = static_cast<double>(figures);
}
BENCHMARK(BM_ReadAndDevnetQuantiles)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

// The devnet quantiles alone, from series read once.
void BM_DevnetQuantilesOfReadSeries(benchmark::State& state) {
  const auto reads = read_both();
  for (auto _ : state) benchmark::DoNotOptimize(devnet_quantiles(reads));
  state.SetItemsProcessed(state.iterations() * week().rows);
}
BENCHMARK(BM_DevnetQuantilesOfReadSeries)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

// The timing files' work on the same series: p50/p95/p99 of every 5 min
// window per (client, instance, tag), as fetch derives them (no write).
void BM_ReadAndDeriveTimingRows(benchmark::State& state) {
  const auto& a = week();
  for (auto _ : state) {
    const auto reads = read_both();
    std::size_t rows = 0;
    for (std::size_t d = 0; d < reads.size(); ++d) {
      const auto& timing = *archive::find_dataset(d == 0 ? "pq_signature_timing" : "state_transition_timing");
      archive::DatasetTableBuilder builder(timing, archive::ClientNameMap{});
      benchmark::DoNotOptimize(archive::add_timing_rows(timing, reads[d].series, kWindow, builder));
      rows += builder.rows();
    }
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * a.rows);
}
BENCHMARK(BM_ReadAndDeriveTimingRows)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
