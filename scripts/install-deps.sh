#!/usr/bin/env bash
# Installs the Debian 12 packages Strata needs to build, test and benchmark.
# Idempotent: only missing packages are installed, so it is cheap to call
# before every build. Needs root (or sudo) when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  librocksdb-dev libasio-dev liburing-dev liblua5.4-dev libmsgpack-dev rapidjson-dev libfmt-dev liblzf-dev
  libjemalloc-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools python3 python3-redis python3-pytest
  rocksdb-tools
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# policy-rc.d keeps the redis-server package from starting a system instance
# on 6379 where the init system would do so; tests use their own ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
