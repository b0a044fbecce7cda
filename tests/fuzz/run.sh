#!/usr/bin/env bash
# Runs every libFuzzer binary of a `make fuzz` build for a bounded time each.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS. New inputs go to BUILD_DIR/fuzz-corpus/<name>/
# (the seed corpus in the tree is only read); a crash leaves BUILD_DIR/fuzz-artifacts-* and
# makes this script fail.
set -euo pipefail
build=${1:?build dir}
seconds=${2:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
status=0
shopt -s nullglob
bins=("$build"/fuzz/*_fuzz)
if [ ${#bins[@]} -eq 0 ]; then
  echo "fuzz: no targets in $build/fuzz" >&2
  exit 1
fi
for bin in "${bins[@]}"; do
  name=$(basename "$bin" _fuzz)
  work="$build/fuzz-corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts-$name-" \
      "$work" "$root/tests/fuzz/corpus/$name" 2>"$build/fuzz-$name.log"; then
    echo "fuzz: $name FAILED (log: $build/fuzz-$name.log)" >&2
    tail -40 "$build/fuzz-$name.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added|^Done" "$build/fuzz-$name.log" || true
  fi
done
exit $status
