#!/usr/bin/env bash
# Installs what the project needs, builds it with warnings as errors, and runs every test:
# unit, integration (real server + real sync over loopback) and UI (real kiosk under Xvfb).
# Usage: sudo bash scripts/test.sh [ctest options, e.g. -L unit]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
build=${KYODO_BUILD_DIR:-$root/build}
KYODO_BUILD_DIR=$build bash "$root/scripts/build.sh" -DKYODO_WERROR=ON
cd "$build"
# Tests pick their own free loopback ports and temp dirs, so they can run two at a time.
ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" --timeout 900 "$@"
echo "screenshots saved under $build/screenshots"
