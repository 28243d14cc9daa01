#!/usr/bin/env bash
# The compiler matrix (docs/reliability.md, "Compilers"): the whole project, every target and
# test suite, configured and built with warnings as errors (-DKYODO_WERROR=ON) by gcc and by
# clang 14, with the kiosk app and without it (-DKYODO_BUILD_APP=OFF). Nothing is run: CI
# (scripts/test.sh) builds and runs gcc with the app, and compiles core, sync and server with
# clang for the fuzz targets; this checks the other three corners before a change lands.
#
#   scripts/build-matrix.sh                      all four: gcc-app gcc-noapp clang-app clang-noapp
#   scripts/build-matrix.sh clang-app clang-noapp   only those
#
# Each corner builds in build-matrix/<corner>/ at -O0 (warnings, not speed, are checked here;
# -DNDEBUG as in the project's RelWithDebInfo, so assert-only code is seen as in CI). With
# ccache installed it is used (the corners share its cache: the -noapp corners then cost
# little after the -app ones). Exit status non-zero if any corner fails; a summary at the end.
# Environment: KYODO_MATRIX_DIR (default build-matrix), KYODO_JOBS (nproc), KYODO_CLANG
# (clang-14), KYODO_MATRIX_FLAGS (-O0 -DNDEBUG).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${KYODO_MATRIX_DIR:-$root/build-matrix}
jobs=${KYODO_JOBS:-$(nproc)}
clang=${KYODO_CLANG:-clang-14}
flags=${KYODO_MATRIX_FLAGS:--O0 -DNDEBUG}
corners=("$@")
[ "${#corners[@]}" -gt 0 ] || corners=(gcc-app gcc-noapp clang-app clang-noapp)
launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
mkdir -p "$out"
summary=()
failed=0
for corner in "${corners[@]}"; do
  case "$corner" in
    gcc-app)     cc=gcc;        cxx=g++;           app=ON ;;
    gcc-noapp)   cc=gcc;        cxx=g++;           app=OFF ;;
    clang-app)   cc=$clang;     cxx=${clang/clang/clang++}; app=ON ;;
    clang-noapp) cc=$clang;     cxx=${clang/clang/clang++}; app=OFF ;;
    *) echo "build-matrix: unknown corner $corner (gcc-app gcc-noapp clang-app clang-noapp)" >&2; exit 2 ;;
  esac
  command -v "$cxx" >/dev/null 2>&1 || { echo "build-matrix: $cxx is not installed" >&2; exit 1; }
  dir=$out/$corner
  start=$(date +%s)
  echo "build-matrix: $corner ($cxx, KYODO_BUILD_APP=$app) in $dir"
  if CC=$cc CXX=$cxx cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$flags" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$flags" \
       -DKYODO_WERROR=ON -DKYODO_BUILD_APP=$app "${launcher[@]}" >"$dir.configure.log" 2>&1 \
     && cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1; then
    summary+=("$corner: ok ($(( $(date +%s) - start )) s)")
  else
    failed=1
    grep -E 'error|warning' "$dir.configure.log" "$dir.build.log" 2>/dev/null | head -n 40 >&2
    summary+=("$corner: FAILED ($(( $(date +%s) - start )) s; logs $dir.configure.log, $dir.build.log)")
  fi
done
printf 'build-matrix: %s\n' "${summary[@]}"
exit "$failed"
