#!/usr/bin/env bash
# Installs every Debian package hft needs to build, test and run. Idempotent:
# `apt-get update` runs only when something is missing. This is the only install step.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-format clang libclang-rt-14-dev
  # libraries
  libyaml-cpp-dev libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev
  libcpp-httplib-dev libxxhash-dev libzstd-dev libcurl4-openssl-dev libhiredis-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev curl procps prometheus clickhouse-server clickhouse-client
  # the session lease of `hft run live` (lease.*); its tests start their own server
  redis-server
  # backtest HTML report: Chart.js inlined into the report (MIT)
  libjs-chart.js
  # latency report rendered in headless Chromium; coverage report
  chromium gcovr
  # the Shioaji bridge of `hft run live` (bridge/shioaji_bridge.py; the SDK itself is a PyPI
  # package the operator installs: pip install shioaji)
  python3
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
