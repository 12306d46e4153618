// Parquet codec throughput on a 10-million-row archive-shaped table (client and
// instance dictionary strings, millisecond timestamps, double values), written
// with ZSTD. bench/parquet_duckdb.mjs runs this with the environment below and
// times DuckDB on the same data and the same files:
//   PARQUET_BENCH_WRITE=FILE   BM_ParquetWriteFile serialises the table to FILE
//   PARQUET_BENCH_READ=A,B     BM_ParquetReadFile/<path> decodes every column of each file
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
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

// Like DuckDB's COPY ... TO: the table serialised from memory and written to a
// file, not synced (write_table also syncs, for atomicity).
void BM_ParquetWriteFile(benchmark::State& state, const std::string& path) {
  const Table& t = archive_table();
  std::size_t file_bytes = 0;
  for (auto _ : state) {
    auto bytes = encode_table(t);
    if (!bytes.ok()) {
      state.SkipWithError(bytes.error().message.c_str());
      break;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    out.close();
    if (!out) state.SkipWithError(("cannot write " + path).c_str());
    file_bytes = bytes->size();
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(kRows), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["file_bytes"] = static_cast<double>(file_bytes);
}

// Every column of the file decoded into memory, as every leanscope command reads.
// One untimed read first: the heap then holds the pages the table needs, as
// DuckDB's buffers are warm when its best query time is taken.
void BM_ParquetReadFile(benchmark::State& state, const std::string& path) {
  std::size_t rows = 0;
  if (auto warm = read_table(path); !warm.ok()) {
    state.SkipWithError(warm.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto t = read_table(path);
    if (!t.ok()) {
      state.SkipWithError(t.error().message.c_str());
      break;
    }
    rows = t->num_rows;
    benchmark::DoNotOptimize(t->columns.data());
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void register_file_benchmarks() {
  if (const char* out = std::getenv("PARQUET_BENCH_WRITE")) {
    benchmark::RegisterBenchmark("BM_ParquetWriteFile", BM_ParquetWriteFile, std::string(out))
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
  }
  if (const char* in = std::getenv("PARQUET_BENCH_READ")) {
    std::stringstream list(in);
    for (std::string path; std::getline(list, path, ',');) {
      benchmark::RegisterBenchmark(("BM_ParquetReadFile/" + path).c_str(), BM_ParquetReadFile, path)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_file_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
