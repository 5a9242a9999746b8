#!/usr/bin/env bash
# Installs what is missing, builds Strata (Release) and starts strata-server
# on port 6379 with its data in ./data (kept across restarts). Extra
# arguments go to the server, e.g. scripts/run.sh --appendfsync always
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh strata-server >/dev/null
mkdir -p data
exec build/strata-server --port 6379 --dir "$PWD/data" "$@"
