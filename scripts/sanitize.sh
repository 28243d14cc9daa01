#!/usr/bin/env bash
# The sanitizer and fuzzing builds (docs/reliability.md, "Sanitizers and fuzzing"): core, sync
# and server built with clang under AddressSanitizer + UndefinedBehaviorSanitizer (any report
# aborts the program, so a test with one fails) in a build folder of its own, at -O1 with line
# tables only (what ASan and libFuzzer are made for; far cheaper to compile than -O2 -g).
#
#   scripts/sanitize.sh          everything: the sanitized suites of core, sync and server
#                                (every label but `browser`) and a bounded run of every libFuzzer
#                                target of tests/fuzz over its seed corpus (`ctest -L fuzz`).
#   scripts/sanitize.sh --fuzz   only the libFuzzer targets: builds the fuzz_* programs (not the
#                                sanitized suites) and runs each for KYODO_FUZZ_SECONDS over its
#                                seeds. This is the step scripts/test.sh (CI) runs.
#
# Any sanitizer report or fuzzer finding fails (exit status non-zero).
# Environment: KYODO_SAN_BUILD_DIR (default build-san), KYODO_FUZZ_SECONDS (20), KYODO_JOBS
# (nproc), KYODO_TEST_JOBS (2), KYODO_COMPILER_LAUNCHER (e.g. ccache; none by default).
# Further arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KYODO_SAN_BUILD_DIR:-$root/build-san}
fuzz_only=0
if [ "${1:-}" = "--fuzz" ]; then
  fuzz_only=1
  shift
fi
if ! command -v clang++ >/dev/null 2>&1 || ! command -v clang >/dev/null 2>&1; then
  echo "sanitize: clang is not installed (scripts/install-deps.sh installs clang libclang-rt-14-dev)" >&2
  exit 1
fi
launcher=()
if [ -n "${KYODO_COMPILER_LAUNCHER:-}" ]; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$KYODO_COMPILER_LAUNCHER"
            -DCMAKE_C_COMPILER_LAUNCHER="$KYODO_COMPILER_LAUNCHER")
fi
start=$(date +%s)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
  -DKYODO_BUILD_APP=OFF -DKYODO_BUILD_BENCH=OFF -DKYODO_WERROR=ON \
  -DKYODO_SANITIZE=ON -DKYODO_FUZZ=ON -DKYODO_FUZZ_SECONDS="${KYODO_FUZZ_SECONDS:-20}" \
  "${launcher[@]}" >/dev/null
jobs=${KYODO_JOBS:-$(nproc)}
if [ "$fuzz_only" = 1 ]; then
  # The fuzz targets are the executables named fuzz_* (tests/fuzz/CMakeLists.txt).
  mapfile -t targets < <(cmake --build "$build" --target help | sed -n 's/^\.\.\. \(fuzz_[a-z_0-9]*\)$/\1/p')
  [ "${#targets[@]}" -gt 0 ] || { echo "sanitize: no fuzz_* targets in $build" >&2; exit 1; }
  cmake --build "$build" -j "$jobs" --target "${targets[@]}"
else
  cmake --build "$build" -j "$jobs"
fi
built=$(date +%s)
echo "sanitize: clang ASan+UBSan build took $((built - start)) s"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build"
if [ "$fuzz_only" = 1 ]; then
  ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" -L fuzz "$@"
  echo "sanitize: ${#targets[@]} fuzz targets ran $(( $(date +%s) - built )) s in all (0 findings)"
else
  # Everything but the browser tests (Chromium is not what is being checked here).
  ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" --timeout 1200 -LE browser "$@"
  echo "sanitize: sanitized suites and fuzz runs took $(( $(date +%s) - built )) s (0 reports: any report fails its test)"
fi
