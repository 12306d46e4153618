// The networking page from a finished analysis: a day of 8 clients (the
// target: well under 100 ms and 1 MB) and a week of 16 clients (under 2 MB).
#include <benchmark/benchmark.h>

#include "../tests/report/fake_analysis.h"
#include "analysis/networking.h"
#include "report/page_writer.h"

namespace {

using leanscope::report::PageContext;
using leanscope::report::testing::FakeOptions;

void render_page(benchmark::State& state, int clients, leanscope::TimeMs duration) {
  FakeOptions o;
  o.clients = clients;
  o.duration = duration;
  const auto analysis = leanscope::report::testing::fake_analysis(o);
  PageContext ctx;
  ctx.devnet = analysis.devnet;
  ctx.reports = {{"networking", "Networking"}};
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string page = leanscope::report::report_page_html(leanscope::analysis::networking_model(analysis), ctx);
    bytes = page.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_bytes"] = static_cast<double>(bytes);
}

void BM_NetworkingPage_Day8Clients(benchmark::State& state) { render_page(state, 8, 24LL * 3600'000); }
void BM_NetworkingPage_Week16Clients(benchmark::State& state) { render_page(state, 16, 7LL * 24 * 3600'000); }

BENCHMARK(BM_NetworkingPage_Day8Clients)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NetworkingPage_Week16Clients)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
