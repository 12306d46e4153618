// Decoding a large query_range response into columns: 64 series x 11,000
// points, the most one request returns. Reported as bytes of JSON per second.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "prom/response.h"

namespace {

// kind 0: gauges and counters (integers: head slot, peers, counters);
// kind 1: rates with full double precision ("1234.5666666666667").
std::string make_response(int series, int points, int kind) {
  std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
  std::uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int s = 0; s < series; ++s) {
    if (s) body += ',';
    body += fmt::format(
        R"({{"metric":{{"__name__":"lean_connected_peers","job":"client_{}","instance":"10.0.0.{}:9090","peer":"16Uiu2HAm{}"}},"values":[)",
        s, s, s * 7919);
    double value = static_cast<double>(next() % 1000);
    for (int p = 0; p < points; ++p) {
      if (p) body += ',';
      // Prometheus writes whole seconds without a fraction and values in
      // shortest form: counters as integers, rates with decimals.
      if (kind == 0) {
        value += static_cast<double>(next() % 16);
      } else {
        value = static_cast<double>(next() % 10'000'000) / 3.0;
      }
      body += fmt::format(R"([{},"{}"])", 1'763'900'000 + p * 60, value);
    }
    body += "]}";
  }
  body += "]}}";
  return body;
}

void BM_DecodeMatrix(benchmark::State& state) {
  std::string body = make_response(64, 11'000, static_cast<int>(state.range(0)));
  body.reserve(body.size() + 64);
  std::size_t samples = 0;
  for (auto _ : state) {
    auto matrix = leanscope::prom::decode_matrix(body, body.capacity());
    if (!matrix.ok()) {
      state.SkipWithError(matrix.error().message.c_str());
      return;
    }
    samples = 0;
    for (const auto& s : matrix->series) samples += s.times.size();
    benchmark::DoNotOptimize(samples);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body.size()));
  state.counters["samples"] = static_cast<double>(samples);
  state.counters["json_MB"] = static_cast<double>(body.size()) / 1e6;
}
BENCHMARK(BM_DecodeMatrix)->Arg(0)->Arg(1)->ArgName("rates")->Unit(benchmark::kMillisecond);

void BM_ParseSampleValue(benchmark::State& state) {
  const char* values[] = {"12345", "0.125", "1e+21", "NaN", "+Inf", "98765.4321", "3", "-0.5"};
  for (auto _ : state) {
    for (const char* v : values) benchmark::DoNotOptimize(leanscope::prom::parse_sample_value(v));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 8);
}
BENCHMARK(BM_ParseSampleValue);

}  // namespace

BENCHMARK_MAIN();
