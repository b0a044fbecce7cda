#!/usr/bin/env bash
# Loader throughput: a large WAL from `hft run sim --rate 0` loaded into ClickHouse by
# `hft recorder load`; prints rows/s (target >= 500k rows/s, docs/clickhouse.md "Speed").
#
#   scripts/bench_loader.sh [--hft build/release/hft] [--duration 5s] [--batch-rows N]
#                           [--url http://127.0.0.1:8123] [--runs 3]
#
# Without --url it starts a private clickhouse-server (packaged config copied into a temp dir,
# free ports, 127.0.0.1 only) and stops it at the end; it never touches a server started by hand
# unless --url names one (then it loads into a fresh database hft_bench_<pid> and drops it).
set -euo pipefail

HFT=build/release/hft
DURATION=5s
BATCH=""
URL=""
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --hft) HFT=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --batch-rows) BATCH=$2; shift 2 ;;
    --url) URL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "bench_loader: unknown option $1" >&2; exit 2 ;;
  esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$HFT" ] || { echo "bench_loader: $HFT not built (make build, or --hft PATH)" >&2; exit 2; }
export HFT_CONFIG_DIR=${HFT_CONFIG_DIR:-$ROOT/config}
export HFT_KILL_SWITCH_NAME=hft_kill_bench_$$

T=$(mktemp -d /tmp/hft_bench_loader_XXXXXX)
CH_PID=""
cleanup() {
  if [ -n "$CH_PID" ]; then
    kill -TERM "$CH_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$CH_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$CH_PID" 2>/dev/null || true
  fi
  rm -rf "$T" "/dev/shm/$HFT_KILL_SWITCH_NAME"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ -z "$URL" ]; then
  CH_BIN=/usr/sbin/clickhouse-server
  [ -x "$CH_BIN" ] || CH_BIN=$(command -v clickhouse-server || true)
  [ -n "$CH_BIN" ] && [ -x "$CH_BIN" ] ||
    { echo "bench_loader: clickhouse-server missing: run scripts/setup.sh" >&2; exit 2; }
  HTTP=$(free_port); TCP=$(free_port); INTER=$(free_port)
  mkdir -p "$T/ch/data" "$T/ch/log"
  cp /etc/clickhouse-server/users.xml "$T/ch/"
  sed -e "0,/<path>[^<]*<\/path>/s##<path>$T/ch/data/</path>#" \
      -e "s#<tmp_path>[^<]*#<tmp_path>$T/ch/data/tmp/#" \
      -e "s#<user_files_path>[^<]*#<user_files_path>$T/ch/data/user_files/#" \
      -e "s#<format_schema_path>[^<]*#<format_schema_path>$T/ch/data/format_schemas/#" \
      -e "s#<log>[^<]*#<log>$T/ch/log/clickhouse-server.log#" \
      -e "s#<errorlog>[^<]*#<errorlog>$T/ch/log/clickhouse-server.err.log#" \
      -e "s#<http_port>[^<]*#<http_port>$HTTP#" -e "s#<tcp_port>[^<]*#<tcp_port>$TCP#" \
      -e "s#<interserver_http_port>[^<]*#<interserver_http_port>$INTER#" \
      -e "s#<listen_host>[^<]*</listen_host>##g" \
      -e "s#</yandex>#    <listen_host>127.0.0.1</listen_host>\n</yandex>#" \
      /etc/clickhouse-server/config.xml > "$T/ch/config.xml"
  (cd "$T/ch" && exec "$CH_BIN" --config-file="$T/ch/config.xml" >"$T/ch/out" 2>&1) &
  CH_PID=$!
  URL="http://127.0.0.1:$HTTP"
  for _ in $(seq 300); do
    [ "$(curl -s "$URL/?query=SELECT%201" || true)" = "1" ] && break
    sleep 0.1
  done
  [ "$(curl -s "$URL/?query=SELECT%201" || true)" = "1" ] ||
    { echo "bench_loader: clickhouse-server did not start:"; tail "$T/ch/log/"*; exit 1; }
fi

echo "bench_loader: generating a WAL: hft run sim --rate 0 --duration $DURATION"
"$HFT" run sim --rate 0 --duration "$DURATION" --no-progress --metrics-port "$(free_port)" \
  --wal-dir "$T/wal" >"$T/sim.out" 2>&1 || { echo "bench_loader: hft run sim failed:"; tail "$T/sim.out"; exit 1; }
"$HFT" wal stats "$T/wal" | sed -n '1p;/^total/p'

# CPU seconds (user + system) of a process, from /proc (the private server only).
cpu_s() { [ -n "$1" ] && awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat" || echo 0; }

rates=()
cpu_rates=()
for run in $(seq "$RUNS"); do
  DB=hft_bench_$$_$run
  args=(recorder load --wal "$T/wal" --url "$URL" --database "$DB" --state-dir "$T/state_$run")
  [ -n "$BATCH" ] && args+=(--batch-rows "$BATCH")
  ch0=$(cpu_s "$CH_PID")
  /usr/bin/time -f "%U %S" -o "$T/time_$run" "$HFT" "${args[@]}" >"$T/load_$run" 2>&1
  ch1=$(cpu_s "$CH_PID")
  line=$(grep '^recorder load:' "$T/load_$run" | tail -1)
  rows=$(sed -E 's/^recorder load: ([0-9]+) rows.*/\1/' <<<"$line")
  rate=$(sed -E 's/.* ([0-9]+) rows\/s.*/\1/' <<<"$line")
  loader_cpu=$(awk '{print $1 + $2}' "$T/time_$run")
  ch_cpu=$(echo "$ch1 - $ch0" | bc)
  echo "run $run: $line"
  echo "run $run: CPU: loader ${loader_cpu} s, clickhouse-server ${ch_cpu} s" \
       "(load average $(cut -d' ' -f1 /proc/loadavg))"
  rates+=("$rate")
  if [ -n "$CH_PID" ]; then
    cpu_rates+=("$(echo "$rows / ($loader_cpu + $ch_cpu)" | bc)")
  fi
  curl -s "$URL/" --data-binary "DROP DATABASE IF EXISTS $DB" >/dev/null
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "bench_loader: median $(median "${rates[@]}") rows/s wall over $RUNS runs (target >= 500000)"
if [ ${#cpu_rates[@]} -gt 0 ]; then
  echo "bench_loader: median $(median "${cpu_rates[@]}") rows per CPU second (loader +" \
       "server; what an unloaded 2-core host approaches, as the two overlap)"
fi
