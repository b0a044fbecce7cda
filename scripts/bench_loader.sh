#!/usr/bin/env bash
# Loader speed: WAL -> ClickHouse rows per second (docs/clickhouse.md "Speed").
# Starts a private clickhouse-server (the Debian package's config copied into a temp dir with
# every path inside it, free ports, 127.0.0.1 only: the same set-up the integration tests use),
# writes a WAL of at least RECORDS records with `hft run sim`, runs `hft recorder load` once and
# prints rows/s. Usage: scripts/bench_loader.sh [BUILD_DIR] [RECORDS]
set -euo pipefail
build=${1:-build/release}
records=${2:-2000000}
hft="$build/hft"
[ -x "$hft" ] || { echo "bench_loader: no $hft (build the hft target first)" >&2; exit 2; }
server=$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)
[ -x "$server" ] || { echo "bench_loader: clickhouse-server missing (bash scripts/setup.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/hft_bench_loader_XXXXXX)
ch_pid=""
cleanup() {
  if [ -n "$ch_pid" ]; then kill "$ch_pid" 2>/dev/null || true; wait "$ch_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port); tcp=$(free_port); inter=$(free_port)
mkdir -p "$work/ch/data" "$work/ch/log"
python3 - "$work/ch" "$http" "$tcp" "$inter" <<'PY'
import re, sys, shutil
d, http, tcp, inter = sys.argv[1:]
xml = open('/etc/clickhouse-server/config.xml').read()
def put(tag, value):
    global xml
    xml = re.sub('<%s>[^<]*</%s>' % (tag, tag), '<%s>%s</%s>' % (tag, value, tag), xml, count=1)
put('log', d + '/log/clickhouse-server.log'); put('errorlog', d + '/log/clickhouse-server.err.log')
put('level', 'warning'); put('path', d + '/data/'); put('tmp_path', d + '/data/tmp/')
put('user_files_path', d + '/data/user_files/'); put('format_schema_path', d + '/data/format_schemas/')
put('http_port', http); put('tcp_port', tcp); put('interserver_http_port', inter)
xml = re.sub('<listen_host>[^<]*</listen_host>', '', xml)
xml = xml.replace('</yandex>', '    <listen_host>127.0.0.1</listen_host>\n</yandex>')
open(d + '/config.xml', 'w').write(xml)
shutil.copy('/etc/clickhouse-server/users.xml', d + '/users.xml')
PY
(cd "$work/ch" && exec "$server" --config-file="$work/ch/config.xml" >"$work/ch/out.log" 2>&1) &
ch_pid=$!
url="http://127.0.0.1:$http"
for _ in $(seq 300); do
  [ "$(curl -s "$url/?query=SELECT%201" 2>/dev/null || true)" = "1" ] && break
  kill -0 "$ch_pid" 2>/dev/null || { echo "bench_loader: clickhouse-server exited" >&2; tail "$work/ch/log/"* >&2; exit 1; }
  sleep 0.1
done

# At --rate 200000 the sim writes ~450 k WAL records/s (market data, orders, fills, risk
# rejects...); a little more than asked for.
export HFT_CONFIG_DIR=${HFT_CONFIG_DIR:-$(cd "$(dirname "$0")/.." && pwd)/config}
export HFT_KILL_SWITCH_NAME=hft_bench_loader_$$
seconds=$(( records / 400000 + 1 ))
"$hft" run sim --duration "${seconds}s" --rate 200000 --wal-dir "$work/wal" --no-progress \
  --metrics-port "$(free_port)" >/dev/null
rm -f "/dev/shm/$HFT_KILL_SWITCH_NAME"
have=$("$hft" wal stats "$work/wal" | sed -n 's/.*: .* segments, \([0-9]*\) records.*/\1/p')
echo "bench_loader: WAL of $have records ($(du -sh "$work/wal" | cut -f1))"
[ "$have" -ge "$records" ] || { echo "bench_loader: WAL smaller than $records records" >&2; exit 1; }

"$hft" recorder init-db --url "$url" --database bench >/dev/null
start=$(date +%s.%N)
"$hft" recorder load --wal "$work/wal" --url "$url" --database bench --state-dir "$work/state" \
  | tee "$work/load.out"
end=$(date +%s.%N)
rows=$(curl -s "$url/" --data-binary "SELECT sum(rows) FROM system.parts WHERE database = 'bench' AND active")
python3 -c "import sys; r=int(sys.argv[1]); t=float(sys.argv[3])-float(sys.argv[2]); print(f'bench_loader: {r} rows in {t:.2f} s wall = {r/t:,.0f} rows/s (target >= 500,000)')" "$rows" "$start" "$end"
