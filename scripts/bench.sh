#!/usr/bin/env bash
# `make bench`: the Google Benchmark micro-benchmarks and the end-to-end
# timings, written to build/bench/. End-to-end sizes: BENCH_SIZES (HOURSxCLIENTS,
# comma separated), by default the full matrix of docs/PERFORMANCE.md
# (about 8 minutes on 2 cores, most of it preparing 7 days x 64 clients).
# BENCH_KEEP=1 keeps the prepared Prometheus data for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
for b in build/release/bench/*_bench; do
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.2 --benchmark_out="$out/$(basename "$b").json" --benchmark_out_format=json
done
if [[ -d web/node_modules/@duckdb/node-api ]]; then
  echo "== Parquet: leanscope against DuckDB, like for like (bench/parquet_duckdb.mjs)"
  node bench/parquet_duckdb.mjs build/release/bench/parquet_bench | tee "$out/parquet_duckdb.txt"
fi
echo "== end to end"
python3 bench/e2e.py build/release/leanscope "$out" ${BENCH_KEEP:+--keep} \
  --sizes "${BENCH_SIZES:-1x6,1x16,1x64,24x6,24x16,24x64,168x6,168x16,168x64}"
echo "== render --devnet all of 100 devnets with one changed, against that devnet alone"
python3 bench/render_incremental.py build/release/leanscope "$out/render-incremental" | tee "$out/render_incremental.md"
echo "== render of all six reports and summary against devnet size (BENCH_SCALE_FULL=1: up to 30 d x 64 clients)"
python3 bench/scale_curve.py build/release/leanscope "$out/scale-curve" ${BENCH_SCALE_FULL:+--full} | tee "$out/scale_curve.md"
if command -v victoria-metrics >/dev/null; then
  echo "== a watch cycle of a running 24 h x 16-client devnet with one new minute, against fetch + render --force"
  python3 bench/watch_cycle.py build/release/leanscope "$out/watch-cycle" | tee "$out/watch_cycle.md"
fi
echo "bench: results in $out (e2e.md, e2e.svg, *_bench.json, render_incremental.md, scale_curve.md)"
