#!/usr/bin/env bash
# scripts/bench_gate.sh BUILD [--ci] [gate options]: a short benchmark run (3 repetitions,
# 0.05 s each) into BUILD/bench.json, then the regression gate (`hft report bench`,
# docs/benchmarks.md) against bench/baseline.json. Used by `make bench-ci` and .ci/run.
set -euo pipefail
BUILD="${1:?usage: scripts/bench_gate.sh BUILD [--ci] [gate options]}"
shift
BIN="$BUILD/bench/hft_bench"
if [ ! -x "$BIN" ]; then
  echo "bench-gate: $BIN not built; run 'make build'" >&2
  exit 2
fi
"$BIN" --benchmark_repetitions="${BENCH_REPETITIONS:-3}" --benchmark_report_aggregates_only=true \
       --benchmark_min_time="${BENCH_MIN_TIME:-0.05}" \
       --benchmark_out="$BUILD/bench.json" --benchmark_out_format=json >/dev/null
"$BUILD/hft" report bench --baseline bench/baseline.json --current "$BUILD/bench.json" "$@"
