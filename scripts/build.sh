#!/usr/bin/env bash
# Configures and builds Strata with Ninja and ccache.
#   scripts/build.sh [--sanitize] [--io-uring] [--debug] [target...]
# Build directories: build/ (Release), build-asan/ (ASan+UBSan), build-uring/.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
type=Release
flags=()
targets=()
for arg in "$@"; do
  case "$arg" in
    --sanitize) dir=build-asan; type=RelWithDebInfo; flags+=(-DSTRATA_SANITIZE=ON) ;;
    --io-uring) dir=build-uring; flags+=(-DSTRATA_IO_URING=ON) ;;
    --debug) dir=build-debug; type=Debug ;;
    *) targets+=("$arg") ;;
  esac
done

export CCACHE_DIR="${CCACHE_DIR:-$PWD/.cache/ccache}"
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${flags[@]}" >/dev/null
fi
cmake --build "$dir" -- "${targets[@]}"
echo "$dir"
