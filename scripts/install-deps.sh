#!/usr/bin/env bash
# Installs the Debian 12 packages Strata needs to build, test and benchmark,
# and the pinned npm packages of tests/integration/node (the bull check).
# Idempotent: only missing packages are installed, so it is cheap to call
# before every build. Needs root (or sudo) when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config
  librocksdb-dev libasio-dev liburing-dev liblua5.4-dev libmsgpack-dev rapidjson-dev libfmt-dev liblzf-dev
  libjemalloc-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools python3 python3-redis python3-pytest python3-rq
  rocksdb-tools
)
# Node.js with npm: Debian's packages, unless a Node.js with its npm is
# already installed (nodesource's nodejs ships npm and conflicts with Debian's).
command -v npm >/dev/null || packages+=(nodejs npm)

# tests/integration/node: `npm ci` from the committed package-lock.json, again
# only when the lock file changed since the last install.
install_node_packages() {
  local dir=tests/integration/node
  if [ ! -e "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_node_packages
  exit 0
fi

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
install_node_packages
