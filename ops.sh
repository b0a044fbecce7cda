#!/usr/bin/env bash
# ops.sh — host operations for running hft (docs/operations.md).
#
#   ops.sh setup                 install the packages hft needs (scripts/setup.sh)
#   ops.sh tune                  report CPU governor, turbo, irqbalance, THP; print the kernel
#                                command line that isolates the trading cores
#   ops.sh hugepages N           reserve N huge pages (vm.nr_hugepages)
#   ops.sh isolate               show IRQ affinity; move IRQs to the housekeeping cores
#   ops.sh monitor-ch [ARGS]     hft monitor ARGS (live dashboard of a running engine)
#   ops.sh replay-wal DIR [ARGS] hft run replay --data DIR ARGS
#   ops.sh preflight [--skip-broker]  before a live session: configuration, credentials, kill
#                                switch, session lease, WAL disk, metrics port, clock, contracts
#
# Every command is idempotent. Nothing on the host changes without --yes; --dry-run (the default
# for host-changing commands) prints what would change and exits 0.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HFT_BIN="${HFT_BIN:-$ROOT/build/release/hft}"
YES=0
DRY_RUN=0
CORES=""        # trading cores to isolate; default: every core but 0
HOUSEKEEPING="" # cores for IRQs and the OS; default: 0

usage() {
  cat <<'USAGE'
usage: ops.sh COMMAND [--dry-run | --yes] [OPTIONS]

commands:
  setup                  install missing Debian packages (scripts/setup.sh)
  tune                   report governor, turbo, irqbalance, transparent huge pages and print
                         the kernel command line for isolating cores; with --yes: governor
                         'performance', THP 'madvise', irqbalance stopped
  hugepages N            reserve N huge pages (vm.nr_hugepages); N=0 releases them
  isolate                show each IRQ's CPU affinity; with --yes move them to the
                         housekeeping cores
  monitor-ch [ARGS]      run `hft monitor ARGS` (e.g. --url http://127.0.0.1:9090/metrics)
  replay-wal DIR [ARGS]  run `hft run replay --data DIR ARGS`
  preflight              check a live session's set-up (the live configuration): PASS / WARN /
                         FAIL per check, exit 1 on any FAIL; --skip-broker leaves out the
                         broker login of `hft config sync` (contracts)

options:
  --dry-run              print what would change, change nothing (default)
  --yes                  apply host changes
  --cores LIST           trading cores to isolate (default: all but core 0), e.g. 1 or 2-7
  --housekeeping LIST    cores for IRQs and the OS (default: 0)
  -h, --help             this text

environment: HFT_BIN (default build/release/hft)
USAGE
}

say() { printf '%s\n' "$*"; }
would() { printf '  would: %s\n' "$*"; }
changed() { printf '  changed: %s\n' "$*"; }

# Applies a change: prints it under --dry-run (or without --yes), runs it with --yes.
apply() {
  local what="$1"; shift
  if [ "$YES" -eq 1 ] && [ "$DRY_RUN" -eq 0 ]; then
    if "$@" 2>/tmp/ops.sh.err.$$; then
      changed "$what"
    else
      say "  FAILED: $what ($(tr '\n' ' ' </tmp/ops.sh.err.$$))"
      rm -f /tmp/ops.sh.err.$$
      return 1
    fi
    rm -f /tmp/ops.sh.err.$$
  else
    would "$what"
  fi
}

write_file() { printf '%s\n' "$2" >"$1"; }

ncpu() { getconf _NPROCESSORS_ONLN; }

default_cores() {
  local n; n="$(ncpu)"
  if [ "$n" -le 1 ]; then echo ""; elif [ "$n" -eq 2 ]; then echo "1"; else echo "1-$((n - 1))"; fi
}

cmd_setup() {
  local pkgs missing=()
  mapfile -t pkgs < <(bash -c "$(sed -n '/^PACKAGES=(/,/^)/p' "$ROOT/scripts/setup.sh"); "'printf "%s\n" "${PACKAGES[@]}"' | grep -v '^#')
  for p in "${pkgs[@]}"; do
    [ -z "$p" ] && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "setup: all ${#pkgs[@]} packages present (nothing to do)"
    return 0
  fi
  say "setup: missing ${missing[*]}"
  apply "install ${#missing[@]} package(s) with scripts/setup.sh" bash "$ROOT/scripts/setup.sh"
}

read_or() { if [ -r "$1" ]; then tr -d '\n' <"$1"; else printf '%s' "$2"; fi; }

cmd_tune() {
  local cores="${CORES:-$(default_cores)}" hk="${HOUSEKEEPING:-0}"
  say "CPU ($(ncpu) online)"
  local govs gov_files=(/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor)
  if [ -e "${gov_files[0]}" ]; then
    govs="$(cat "${gov_files[@]}" | sort | uniq -c | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}')"
    say "  governor:    $govs"
    local f
    for f in "${gov_files[@]}"; do
      if [ "$(cat "$f")" != "performance" ]; then
        apply "set $(basename "$(dirname "$(dirname "$f")")") governor to performance" write_file "$f" performance || true
      fi
    done
  else
    say "  governor:    not exposed (no cpufreq: a VM or a fixed-frequency host)"
  fi
  if [ -r /sys/devices/system/cpu/intel_pstate/no_turbo ]; then
    say "  turbo:       $( [ "$(cat /sys/devices/system/cpu/intel_pstate/no_turbo)" = 0 ] && echo on || echo off) (intel_pstate)"
  elif [ -r /sys/devices/system/cpu/cpufreq/boost ]; then
    say "  turbo:       $( [ "$(cat /sys/devices/system/cpu/cpufreq/boost)" = 1 ] && echo on || echo off) (cpufreq boost)"
  else
    say "  turbo:       not exposed"
  fi
  say "  note:        keep turbo on for single-thread latency; turn it off (BIOS or the files above) if you need run-to-run stable numbers"

  local irqb="not installed"
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet irqbalance 2>/dev/null; then
    irqb="running"
  elif pgrep -x irqbalance >/dev/null 2>&1; then
    irqb="running"
  elif command -v irqbalance >/dev/null 2>&1; then
    irqb="installed, not running"
  fi
  say "IRQ"
  say "  irqbalance:  $irqb"
  if [ "$irqb" = running ]; then
    apply "stop irqbalance (it would move IRQs back onto the trading cores)" systemctl stop irqbalance || true
  fi

  local thp
  thp="$(read_or /sys/kernel/mm/transparent_hugepage/enabled 'not exposed')"
  say "MEMORY"
  say "  THP:         $thp"
  if [[ "$thp" == *"[always]"* ]]; then
    apply "set transparent huge pages to madvise (khugepaged compaction stalls)" write_file /sys/kernel/mm/transparent_hugepage/enabled madvise || true
  fi
  say "  huge pages:  $(read_or /proc/sys/vm/nr_hugepages '?') reserved (ops.sh hugepages N)"

  say "KERNEL"
  say "  current:     $(read_or /proc/cmdline '?')"
  if [ -z "$cores" ]; then
    say "  isolation:   one CPU only: nothing to isolate"
  else
    say "  to isolate cores $cores (hot thread, feed) from the scheduler, timer ticks and RCU callbacks,"
    say "  add to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub and reboot:"
    say "    isolcpus=managed_irq,domain,$cores nohz_full=$cores rcu_nocbs=$cores irqaffinity=$hk"
  fi
  say "  (ops.sh never edits the boot configuration)"
}

cmd_hugepages() {
  local n="${1:-}"
  if ! [[ "$n" =~ ^[0-9]+$ ]]; then
    say "ops.sh hugepages: expected a number of huge pages, e.g. 'ops.sh hugepages 512 --yes'" >&2
    return 2
  fi
  local cur size
  cur="$(read_or /proc/sys/vm/nr_hugepages 0)"
  size="$(awk '/Hugepagesize/ {print $2 " " $3}' /proc/meminfo 2>/dev/null || echo '?')"
  say "huge pages: $cur reserved, page size $size"
  if [ "$cur" = "$n" ]; then
    say "  ok: already $n (nothing to do)"
    return 0
  fi
  apply "set vm.nr_hugepages from $cur to $n" write_file /proc/sys/vm/nr_hugepages "$n" || return 1
  if [ "$YES" -eq 1 ] && [ "$DRY_RUN" -eq 0 ]; then
    local got; got="$(read_or /proc/sys/vm/nr_hugepages 0)"
    [ "$got" = "$n" ] || say "  note: the kernel reserved $got of $n (memory fragmented? reserve at boot: hugepages=$n)"
  fi
}

cmd_isolate() {
  local hk="${HOUSEKEEPING:-0}" moved=0 irq f cur name
  say "IRQ affinity (housekeeping cores: $hk)"
  printf '  %-6s %-14s %s\n' IRQ affinity name
  for f in /proc/irq/[0-9]*/smp_affinity_list; do
    [ -r "$f" ] || continue
    irq="$(basename "$(dirname "$f")")"
    cur="$(cat "$f")"
    name="$(awk -v i="$irq:" '$1==i {print $NF}' /proc/interrupts 2>/dev/null)"
    printf '  %-6s %-14s %s\n' "$irq" "$cur" "${name:--}"
    if [ "$cur" != "$hk" ]; then
      apply "move IRQ $irq ($cur -> $hk)" write_file "$f" "$hk" || true
      moved=$((moved + 1))
    fi
  done
  if [ "$moved" -eq 0 ]; then say "  ok: every IRQ is on $hk (nothing to do)"; fi
  if [ "$YES" -eq 0 ]; then say "(dry run: add --yes to move them; stop irqbalance first: ops.sh tune --yes)"; fi
}

need_hft() {
  if [ ! -x "$HFT_BIN" ]; then
    say "ops.sh: $HFT_BIN not found: build it with 'make build' or set HFT_BIN" >&2
    exit 1
  fi
}

# --- preflight ---------------------------------------------------------------------------------
PF_FAILS=0
PF_WARNS=0
pf() {  # pf PASS|WARN|FAIL|INFO CHECK TEXT
  printf '  %-5s %-14s %s\n' "$1" "$2" "$3"
  case "$1" in FAIL) PF_FAILS=$((PF_FAILS + 1)) ;; WARN) PF_WARNS=$((PF_WARNS + 1)) ;; esac
}

# One value of the live configuration, by dotted key, from `hft config show --json`.
live_value() {
  python3 -c 'import json,sys
v = json.load(sys.stdin)["config"]
for k in sys.argv[1].split("."): v = v[k]
print(str(v).lower() if isinstance(v, bool) else v)' "$1" <<<"$LIVE_JSON"
}

cmd_preflight() {
  local skip_broker="$1" out rc
  say "preflight of a live session ($HFT_BIN, configuration: --mode live)"
  if ! out="$("$HFT_BIN" config validate --mode live 2>&1)"; then
    pf FAIL config "$(printf '%s' "$out" | head -3 | tr '\n' ' ')"
    say "FAIL: fix the configuration first (hft config validate --mode live)"
    return 1
  fi
  pf PASS config "the live configuration is valid"
  LIVE_JSON="$("$HFT_BIN" config show --mode live --json 2>/dev/null)"

  if [ -n "$(live_value shioaji.api_key)" ] && [ -n "$(live_value shioaji.secret_key)" ]; then
    pf PASS credentials "Shioaji API key and secret key set ($( [ "$(live_value shioaji.simulation)" = true ] && echo simulation || echo PRODUCTION))"
  else
    pf FAIL credentials "SHIOAJI_API_KEY / SHIOAJI_SECRET_KEY not set (environment or a chmod 600 --config file)"
  fi

  if out="$("$HFT_BIN" kill status 2>&1)"; then
    if grep -q ENGAGED <<<"$out"; then
      pf WARN kill-switch "ENGAGED ($(awk -F': *' '/^reason/ {print $2}' <<<"$out")): the engine starts HALTED; hft kill off, then hft risk resume"
    else
      pf PASS kill-switch "released"
    fi
  else
    pf FAIL kill-switch "$(head -1 <<<"$out")"
  fi

  if [ "$(live_value lease.enabled)" = true ]; then
    rc=0; out="$("$HFT_BIN" lease status 2>&1)" || rc=$?
    if [ "$rc" -ne 0 ]; then
      pf FAIL lease "$(head -1 <<<"$out")"
    elif grep -q '^holder:  none' <<<"$out"; then
      pf PASS lease "free ($(live_value lease.key) in Redis $(live_value lease.redis_host):$(live_value lease.redis_port))"
    else
      pf FAIL lease "held by $(awk '/^holder:/ {print $2}' <<<"$out"): another engine is using this session (hft lease status)"
    fi
  else
    pf INFO lease "off (lease.enabled=false): nothing stops a second engine on this account"
  fi

  local wal free_pct warn_pct stop_pct
  wal="$(live_value recorder.wal_dir)"
  warn_pct="$(live_value recorder.disk_warn_free_pct)"
  stop_pct="$(live_value recorder.disk_reduce_only_free_pct)"
  local probe="$wal"
  while [ ! -e "$probe" ] && [ "$probe" != "/" ] && [ "$probe" != "." ]; do probe="$(dirname "$probe")"; done
  free_pct="$(df -P "$probe" 2>/dev/null | awk 'NR==2 {gsub("%","",$5); print 100 - $5}')"
  if [ -z "$free_pct" ]; then
    pf WARN wal-disk "cannot read the free space of $wal"
  elif awk -v f="$free_pct" -v s="$stop_pct" 'BEGIN {exit !(f < s)}'; then
    pf FAIL wal-disk "$free_pct % free at $wal: below recorder.disk_reduce_only_free_pct ($stop_pct %): the engine would go REDUCE_ONLY"
  elif awk -v f="$free_pct" -v w="$warn_pct" 'BEGIN {exit !(f < w)}'; then
    pf WARN wal-disk "$free_pct % free at $wal: below recorder.disk_warn_free_pct ($warn_pct %)"
  else
    pf PASS wal-disk "$free_pct % free at $wal"
  fi

  local port; port="$(live_value metrics.port)"
  if [ "$(live_value metrics.enabled)" != true ]; then
    pf INFO metrics "off (metrics.enabled=false): hft monitor will have nothing to read"
  elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    pf FAIL metrics "port $port is in use: another engine running? (metrics.port / --metrics-port)"
  else
    pf PASS metrics "port $port free"
  fi

  if command -v timedatectl >/dev/null 2>&1 && out="$(timedatectl show -p NTPSynchronized --value 2>/dev/null)"; then
    if [ "$out" = yes ]; then pf PASS clock "NTP synchronised"; else pf WARN clock "not NTP synchronised: exchange and local times drift apart"; fi
  else
    pf INFO clock "cannot tell whether the clock is synchronised (no timedatectl)"
  fi

  if [ "$skip_broker" -eq 1 ]; then
    pf INFO contracts "skipped (--skip-broker)"
  else
    local sync_out="/tmp/ops.sh.sync.$$"
    rc=0; "$HFT_BIN" config sync >"$sync_out" 2>&1 || rc=$?
    case "$rc" in
      0) pf PASS contracts "$(tail -1 "$sync_out")" ;;
      1) pf FAIL contracts "$(grep -E 'differing|cannot write' "$sync_out" | tail -1) (hft config sync)" ;;
      *) pf FAIL contracts "$(grep -v '^hft config sync: asking' "$sync_out" | tail -1)" ;;
    esac
    rm -f "$sync_out"
  fi

  if [ "$PF_FAILS" -gt 0 ]; then
    say "FAIL: $PF_FAILS check(s) failed, $PF_WARNS warning(s): do not start the live session yet"
    return 1
  fi
  say "ok: every check passed ($PF_WARNS warning(s))"
}

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    ""|-h|--help|help) usage; [ -n "$cmd" ] && return 0; return 2 ;;
    monitor-ch) need_hft; exec "$HFT_BIN" monitor "$@" ;;
    replay-wal)
      if [ $# -lt 1 ] || [ "${1:0:1}" = "-" ]; then
        say "ops.sh replay-wal: expected a WAL directory, e.g. 'ops.sh replay-wal var/wal'" >&2
        return 2
      fi
      local dir="$1"; shift
      need_hft; exec "$HFT_BIN" run replay --data "$dir" "$@" ;;
    preflight)
      local skip=0
      while [ $# -gt 0 ]; do
        case "$1" in
          --skip-broker) skip=1 ;;
          -h|--help) usage; return 0 ;;
          *) say "ops.sh preflight: unknown option '$1' (see ops.sh --help)" >&2; return 2 ;;
        esac
        shift
      done
      need_hft; cmd_preflight "$skip"; return ;;
  esac
  case "$cmd" in
    setup|tune|hugepages|isolate) ;;
    *) say "ops.sh: unknown command '$cmd' (see ops.sh --help)" >&2; return 2 ;;
  esac
  local args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --yes) YES=1 ;;
      --dry-run|-n) DRY_RUN=1 ;;
      --cores) CORES="${2:?--cores needs a list}"; shift ;;
      --housekeeping) HOUSEKEEPING="${2:?--housekeeping needs a list}"; shift ;;
      -h|--help) usage; return 0 ;;
      -*) say "ops.sh: unknown option '$1' (see ops.sh --help)" >&2; return 2 ;;
      *) args+=("$1") ;;
    esac
    shift
  done
  if [ "$YES" -eq 1 ] && [ "$DRY_RUN" -eq 1 ]; then
    say "ops.sh: --yes and --dry-run together: nothing will change" >&2
  fi
  if [ "$YES" -eq 0 ]; then say "(dry run: nothing on this host changes without --yes)"; fi
  case "$cmd" in
    setup) cmd_setup ;;
    tune) cmd_tune ;;
    hugepages) cmd_hugepages "${args[@]:-}" ;;
    isolate) cmd_isolate ;;
  esac
}

main "$@"
