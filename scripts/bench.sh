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
# Random interleaving spreads each benchmark's repetitions over the whole run, so a host phase
# change mid-run moves every median alike instead of whichever benchmarks ran during it (a run
# in one piece had the in-process /64 ring in a slow phase and its shared-memory twin in a fast
# one). The console lists the aggregates in run order; bench.json has them all.
"$BIN" --benchmark_repetitions="$REPS" --benchmark_report_aggregates_only=true \
       --benchmark_enable_random_interleaving=true \
       --benchmark_out="$BUILD/bench.json" --benchmark_out_format=json \
       ${BENCH_FILTER:+--benchmark_filter="$BENCH_FILTER"}
echo "bench: results in $BUILD/bench.json (medians are the *_median rows)"
