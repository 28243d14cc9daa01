#!/usr/bin/env bash
# The sanitizer and fuzzing half of the test command (scripts/test.sh runs it after the main
# suite): core, sync and server built with clang under AddressSanitizer +
# UndefinedBehaviorSanitizer (any report aborts the program, so a test with one fails) in a
# build folder of its own, their suites run there, then a bounded run of every libFuzzer
# target of tests/fuzz over its seed corpus. Skipped, saying so, when clang is not installed
# (scripts/install-deps.sh installs it).
# Usage: scripts/sanitize.sh [ctest options]   (KYODO_SAN_BUILD_DIR, KYODO_FUZZ_SECONDS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KYODO_SAN_BUILD_DIR:-$root/build-san}
if ! command -v clang++ >/dev/null 2>&1 || ! command -v clang >/dev/null 2>&1; then
  echo "sanitize: clang is not installed (apt-get install clang libclang-rt-14-dev): sanitizer and fuzz runs skipped"
  exit 0
fi
start=$(date +%s)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKYODO_BUILD_APP=OFF -DKYODO_BUILD_BENCH=OFF -DKYODO_WERROR=ON \
  -DKYODO_SANITIZE=ON -DKYODO_FUZZ=ON -DKYODO_FUZZ_SECONDS="${KYODO_FUZZ_SECONDS:-20}" >/dev/null
cmake --build "$build" -j "${KYODO_JOBS:-$(nproc)}"
built=$(date +%s)
echo "sanitize: clang ASan+UBSan build took $((built - start)) s"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
# Everything but the browser tests (Chromium is not what is being checked here).
ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" --timeout 1200 -LE browser "$@"
echo "sanitize: sanitized suites and fuzz runs took $(( $(date +%s) - built )) s (0 reports: any report fails its test)"
