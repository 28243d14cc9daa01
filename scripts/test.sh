#!/usr/bin/env bash
# Installs what the project needs, builds it with warnings as errors, and runs every test:
# unit, integration (real server + real sync over loopback) and UI (real kiosk under Xvfb);
# then every libFuzzer target (tests/fuzz), built with clang under ASan + UBSan, for a short run
# over its seed corpus (scripts/sanitize.sh --fuzz; a finding fails the command).
# Usage: sudo bash scripts/test.sh [ctest options, e.g. -L unit]
# With ctest options only that subset of the main suite runs (no fuzz step).
# KYODO_FUZZ_SECONDS: seconds of new inputs per fuzz target (15 here).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
build=${KYODO_BUILD_DIR:-$root/build}
KYODO_BUILD_DIR=$build bash "$root/scripts/build.sh" -DKYODO_WERROR=ON
# A real PostgreSQL on loopback for the server's PostgreSQL storage tests; stopped and removed
# on exit. Its cluster lives in a folder of its own under /var/tmp, not in the build tree: as
# root the server runs as `postgres`, who cannot pass through a clone in root's home (700) or
# a private temp folder.
pg_dir=$(mktemp -d /var/tmp/kyodo-pg.XXXXXX)
trap 'bash "$root/scripts/stop-postgres.sh" "$pg_dir" --remove' EXIT
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KYODO_PG_URL=$(bash "$root/scripts/start-postgres.sh" "$pg_dir" "$pg_port" | tail -n 1)
export KYODO_PG_URL
echo "test: PostgreSQL for tests at $KYODO_PG_URL"
cd "$build"
# Tests pick their own free loopback ports and temp dirs, so they can run two at a time.
ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" --timeout 900 "$@"
echo "screenshots saved under $build/screenshots"
if [ "$#" -eq 0 ]; then
  # Its own build folder next to the main one (clang, -O1, only the fuzz_* programs).
  KYODO_SAN_BUILD_DIR=${KYODO_SAN_BUILD_DIR:-$build-fuzz} KYODO_FUZZ_SECONDS=${KYODO_FUZZ_SECONDS:-15} \
    bash "$root/scripts/sanitize.sh" --fuzz
fi
