// The pq-signatures and aggregation pages of a week of 16 clients (the
// target: both pages under 150 ms together, each under 2 MB): every PQ
// histogram (8 bounds) and counter at the archive's 1-minute step, written
// once as fetch writes it. Measured: both analyses from the loaded data plus
// both pages (BM_PqPages_Week16Clients), the analyses alone
// (BM_PqAnalyses_Week16Clients), and loading the datasets
// (BM_PqPagesLoad_Week16Clients).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "analysis/aggregation.h"
#include "analysis/pq_signatures.h"
#include "archive/datasets.h"
#include "archive/devnets.h"
#include "archive/manifest.h"
#include "report/page_writer.h"

namespace {

namespace fs = std::filesystem;
using namespace leanscope;

constexpr int kClients = 16;
constexpr TimeMs kStart = 1'790'000'000'000;
constexpr int kMinutes = 7 * 24 * 60;

const std::vector<std::string> kDatasets{"pq_signature_metrics", "pq_signature_histograms", "pq_signature_timing",
                                         "validators_count"};

struct Fixture {
  fs::path dir;
  archive::Devnet devnet;
  Fixture() {
    dir = fs::temp_directory_path() / "leanscope-pq-pages-bench";
    fs::remove_all(dir);
    devnet.id = archive::devnet_id_for(kStart);
    devnet.start = kStart;
    devnet.end = kStart + kMinutes * 60'000LL;
    std::vector<TimeMs> times;
    for (int i = 0; i <= kMinutes; ++i) times.push_back(kStart + i * 60'000LL);
    const auto write = [&](const std::string& id, auto&& fill) {
      archive::DatasetTableBuilder b(*archive::find_dataset(id), archive::ClientNameMap{});
      fill(b);
      if (!b.write(archive::dataset_path(dir, devnet.id, id), "bench").ok()) std::abort();
    };
    const char* bounds[] = {"0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "+Inf"};
    const double shares[] = {0.05, 0.3, 0.3, 0.2, 0.1, 0.04, 0.01, 0};
    write("pq_signature_histograms", [&](archive::DatasetTableBuilder& b) {
      const auto& spec = *archive::find_dataset("pq_signature_histograms");
      for (int c = 0; c < kClients; ++c) {
        const std::string job = "client" + std::to_string(c) + "_0";
        devnet.clients.push_back(job);
        for (std::size_t q = 0; q < 4; ++q) {
          double cumulative = 0;
          for (std::size_t k = 0; k < std::size(bounds); ++k) {
            cumulative += shares[k];
            std::vector<double> v;
            for (int i = 0; i <= kMinutes; ++i) v.push_back(std::floor(15 * (cumulative + 0.001 * c) * i));
            b.add_series(spec.queries[q], {{"job", job}, {"instance", job + ":9100"}, {"le", bounds[k]}}, times, v);
          }
        }
      }
    });
    write("pq_signature_metrics", [&](archive::DatasetTableBuilder& b) {
      const auto& spec = *archive::find_dataset("pq_signature_metrics");
      for (int c = 0; c < kClients; ++c) {
        const std::string job = "client" + std::to_string(c) + "_0";
        for (std::size_t q = 0; q < spec.queries.size(); ++q) {
          std::vector<double> v;
          for (int i = 0; i <= kMinutes; ++i) v.push_back(static_cast<double>((q + 1) * 15 * (i % 2000)));
          b.add_series(spec.queries[q], {{"job", job}, {"instance", job + ":9100"}}, times, v);
        }
      }
    });
    write("validators_count", [&](archive::DatasetTableBuilder& b) {
      const auto& spec = *archive::find_dataset("validators_count");
      for (int c = 0; c < kClients; ++c) {
        const std::string job = "client" + std::to_string(c) + "_0";
        b.add_series(spec.queries[0], {{"job", job}, {"instance", job + ":9100"}}, times,
                     std::vector<double>(times.size(), 4));
      }
    });
    archive::DevnetsFile file;
    file.devnets.push_back(devnet);
    if (!archive::save_devnets(dir, file).ok()) std::abort();
  }
  ~Fixture() { fs::remove_all(dir); }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_PqPagesLoad_Week16Clients(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto data = analysis::DevnetData::load(f.dir, f.devnet, kDatasets);
    if (!data) std::abort();
    benchmark::DoNotOptimize(data);
  }
}

void BM_PqPages_Week16Clients(benchmark::State& state) {
  auto& f = fixture();
  auto data = analysis::DevnetData::load(f.dir, f.devnet, kDatasets);
  if (!data) std::abort();
  report::PageContext ctx;
  ctx.devnet = f.devnet;
  ctx.reports = {{"pq-signatures", "PQ signature performance"}, {"aggregation", "Aggregation performance"}};
  std::size_t pq_bytes = 0, agg_bytes = 0;
  for (auto _ : state) {
    auto pq = analysis::analyse_pq_signatures(*data);
    auto agg = analysis::analyse_aggregation(*data);
    if (!pq || !agg) std::abort();
    const std::string pq_page = report::report_page_html(*pq, ctx);
    const std::string agg_page = report::report_page_html(*agg, ctx);
    pq_bytes = pq_page.size();
    agg_bytes = agg_page.size();
    benchmark::DoNotOptimize(pq_page);
    benchmark::DoNotOptimize(agg_page);
  }
  state.counters["pq_page_bytes"] = static_cast<double>(pq_bytes);
  state.counters["aggregation_page_bytes"] = static_cast<double>(agg_bytes);
}

// The two analyses alone (the rest of BM_PqPages is writing the pages).
void BM_PqAnalyses_Week16Clients(benchmark::State& state) {
  auto& f = fixture();
  auto data = analysis::DevnetData::load(f.dir, f.devnet, kDatasets);
  if (!data) std::abort();
  for (auto _ : state) {
    auto pq = analysis::analyse_pq_signatures(*data);
    auto agg = analysis::analyse_aggregation(*data);
    benchmark::DoNotOptimize(pq);
    benchmark::DoNotOptimize(agg);
  }
}

BENCHMARK(BM_PqPagesLoad_Week16Clients)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PqAnalyses_Week16Clients)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PqPages_Week16Clients)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
