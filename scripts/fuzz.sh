#!/usr/bin/env bash
# Runs every libFuzzer target of the fuzz preset for SECONDS each, seeded from
# fuzz/seeds/<target>/ (valid inputs of every variant). A crash fails the run
# and leaves the input in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shopt -s nullglob
targets=(build/fuzz/fuzz/*_fuzz)
if ((${#targets[@]} == 0)); then
  echo "fuzz: no targets built"
  exit 0
fi
mkdir -p build/fuzz/artifacts
for target in "${targets[@]}"; do
  name=$(basename "$target")
  corpus=build/fuzz/corpus/$name
  mkdir -p "$corpus"
  seeds=fuzz/seeds/${name%_fuzz}
  echo "fuzz: $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/ "$corpus" $( [[ -d $seeds ]] && echo "$seeds" ) 2>build/fuzz/$name.log ||
    { tail -40 build/fuzz/$name.log; exit 1; }
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' build/fuzz/$name.log | sed "s/^/fuzz: $name /"
done
