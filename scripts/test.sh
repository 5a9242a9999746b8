#!/usr/bin/env bash
# Installs what is missing, builds Strata and runs every test:
#   1. unit tests (GoogleTest, through ctest);
#   2. integration tests (pytest + redis-py) against strata-server;
#   3. the same integration tests against Debian's redis-server
#      (differential: the expectations are Redis's real behaviour).
# scripts/test.sh --sanitize runs the same on the ASan/UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build_flags=()
[ "${1:-}" = "--sanitize" ] && build_flags+=(--sanitize)
dir=$(scripts/build.sh "${build_flags[@]}" | tee /dev/stderr | tail -n 1)

if [ "${#build_flags[@]}" -gt 0 ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
fi

echo "== unit tests"
(cd "$dir" && ctest --output-on-failure --no-tests=error -j2)

echo "== integration tests against strata-server"
/usr/bin/python3 -m pytest tests/integration -q --server strata --strata-bin "$PWD/$dir/strata-server"

echo "== integration tests against redis-server (differential)"
/usr/bin/python3 -m pytest tests/integration -q --server redis
