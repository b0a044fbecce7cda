#!/usr/bin/env bash
# make bench: run every benchmark in Release (threads are pinned inside the benchmarks),
# medians of repetitions, JSON to <build>/bench.json, a readable table on stdout.
set -euo pipefail
BUILD="${1:-build/release}"
BIN="$BUILD/bench/hft_bench"
REPS="${BENCH_REPETITIONS:-5}"
if [ ! -x "$BIN" ]; then
  echo "bench: $BIN not built; run 'make bench'" >&2
  exit 1
fi
"$BIN" --benchmark_repetitions="$REPS" --benchmark_report_aggregates_only=true \
       --benchmark_out="$BUILD/bench.json" --benchmark_out_format=json \
       ${BENCH_FILTER:+--benchmark_filter="$BENCH_FILTER"}
echo "bench: results in $BUILD/bench.json (medians are the *_median rows)"
