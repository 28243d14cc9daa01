#!/usr/bin/env bash
# The sanitizer and fuzzing builds (docs/reliability.md, "Sanitizers and fuzzing"): core, sync
# and server built with clang under AddressSanitizer + UndefinedBehaviorSanitizer (any report
# aborts the program, so a test with one fails) in a build folder of its own, at -O1 with line
# tables only (what ASan and libFuzzer are made for; far cheaper to compile than -O2 -g).
#
#   scripts/sanitize.sh          everything: the sanitized suites of core, sync and server,
#                                unit and integration, tests/web and tests/integration included
#                                (every label but `browser`; PostgreSQL started for the suites
#                                that use it, as scripts/test.sh does), and a bounded run of every
#                                libFuzzer target of tests/fuzz over its seed corpus (`-L fuzz`).
#   scripts/sanitize.sh --fuzz   only the libFuzzer targets: builds the fuzz_* programs (not the
#                                sanitized suites) and runs each for KYODO_FUZZ_SECONDS over its
#                                seeds. This is the step scripts/test.sh (CI) runs.
#
# Any sanitizer report or fuzzer finding fails (exit status non-zero). Reports are also written
# to files (log_path) in BUILD/sanitizer-reports/, so one in a child process (the kyodo-server
# or kyodo-sync an integration test starts, whose output the test only captures) or at a
# child's exit (a leak) fails the run too: after the suites, any file there is printed and the
# script fails.
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
cd "$build"
if [ "$fuzz_only" = 1 ]; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" -L fuzz "$@"
  echo "sanitize: ${#targets[@]} fuzz targets ran $(( $(date +%s) - built )) s in all (0 findings)"
  exit 0
fi
# Every process the suites start writes its reports here (file name: asan.PID / ubsan.PID).
reports=$build/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:log_path=$reports/asan}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan}
# A throwaway PostgreSQL for the suites that run on both storage engines (as scripts/test.sh;
# a folder of its own under /var/tmp that the postgres user can reach when run as root).
# CI=1 makes a suite fail, not skip, if it cannot reach it.
pg_dir=$(mktemp -d /var/tmp/kyodo-pg.XXXXXX)
trap 'bash "$root/scripts/stop-postgres.sh" "$pg_dir" --remove' EXIT
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KYODO_PG_URL=$(bash "$root/scripts/start-postgres.sh" "$pg_dir" "$pg_port" | tail -n 1)
export KYODO_PG_URL CI=${CI:-1}
echo "sanitize: PostgreSQL for the suites at $KYODO_PG_URL"
# Everything but the browser tests (Chromium is not what is being checked here).
status=0
ctest --output-on-failure -j "${KYODO_TEST_JOBS:-2}" --timeout 1200 -LE browser "$@" || status=$?
found=$(find "$reports" -type f | wc -l)
if [ "$found" -gt 0 ]; then
  for f in "$reports"/*; do echo "== $f"; head -n 60 "$f"; done >&2
  echo "sanitize: $found sanitizer report file(s) in $reports" >&2
  status=1
fi
echo "sanitize: sanitized suites and fuzz runs took $(( $(date +%s) - built )) s; $found report files"
exit "$status"
