// Parquet codec throughput on a 10-million-row archive-shaped table (client and
// instance dictionary strings, millisecond timestamps, double values), written
// with ZSTD. bench/parquet_duckdb.mjs times DuckDB on the same data.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "archive/parquet/parquet.h"

namespace {

using namespace leanscope::parquet;

constexpr std::size_t kRows = 10'000'000;
constexpr std::size_t kPerSeries = 15'625;  // 640 series

// Row i belongs to series s = i / kPerSeries; the formulas match parquet_duckdb.mjs.
const Table& archive_table() {
  static const Table table = [] {
    Table t;
    t.num_rows = kRows;
    Column client, instance, ts, value;
    client.name = "client";
    client.kind = ValueKind::String;
    instance.name = "instance";
    instance.kind = ValueKind::String;
    ts.name = "timestamp";
    ts.kind = ValueKind::Timestamp;
    value.name = "value";
    value.kind = ValueKind::Double;
    for (int c = 0; c < 8; ++c) client.dict.push_back("client-" + std::to_string(c));
    for (int s = 0; s < 640; ++s) instance.dict.push_back("node-" + std::to_string(s) + ":9100");
    client.codes.resize(kRows);
    instance.codes.resize(kRows);
    ts.ints.resize(kRows);
    value.doubles.resize(kRows);
    for (std::size_t i = 0; i < kRows; ++i) {
      const std::size_t s = i / kPerSeries, k = i % kPerSeries;
      client.codes[i] = static_cast<std::uint32_t>(s % 8);
      instance.codes[i] = static_cast<std::uint32_t>(s);
      ts.ints[i] = 1763913060000 + static_cast<std::int64_t>(k) * 4000;
      value.doubles[i] = static_cast<double>((i * 2654435761ull) % 1000003) / 7.0;
    }
    t.columns = {client, instance, ts, value};
    t.metadata = {{"promql", "lean_head_slot"}};
    return t;
  }();
  return table;
}

constexpr double kPlainBytes = kRows * (8.0 + 8.0 + 4.0 + 4.0);  // in-memory size of the table

void BM_ParquetWrite(benchmark::State& state) {
  const Table& t = archive_table();
  std::size_t file_bytes = 0;
  for (auto _ : state) {
    auto bytes = encode_table(t);
    if (!bytes.ok()) state.SkipWithError(bytes.error().message.c_str());
    file_bytes = bytes->size();
    benchmark::DoNotOptimize(bytes->data());
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(kRows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB/s"] = benchmark::Counter(kPlainBytes / 1e6, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_MB"] = static_cast<double>(file_bytes) / 1e6;
}
BENCHMARK(BM_ParquetWrite)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_ParquetRead(benchmark::State& state) {
  auto bytes = encode_table(archive_table());
  if (!bytes.ok()) {
    state.SkipWithError(bytes.error().message.c_str());
    return;
  }
  std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size());
  for (auto _ : state) {
    auto t = read_table_from_buffer(span, "bench");
    if (!t.ok()) state.SkipWithError(t.error().message.c_str());
    benchmark::DoNotOptimize(t->columns.data());
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(kRows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB/s"] = benchmark::Counter(kPlainBytes / 1e6, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ParquetRead)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
