#!/usr/bin/env bash
# Configures and builds Kyodo Kiosk into ./build (or $KYODO_BUILD_DIR).
# Usage: scripts/build.sh [extra cmake -D options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KYODO_BUILD_DIR:-$root/build}
jobs=${KYODO_JOBS:-$(nproc)}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build "$build" -j "$jobs"
