#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz for a bounded time: first every seed of
# tests/fuzz/corpus/NAME (a crash there fails at once), then new inputs for SECONDS seconds.
# New inputs are kept in BUILD/fuzz-corpus/NAME (not in the repository); a crash leaves its
# input in BUILD/fuzz-findings/NAME and fails.
# Usage: tests/fuzz/run.sh BUILD NAME SECONDS [extra libFuzzer flags]
set -euo pipefail
build=$1
name=$2
seconds=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/tests/fuzz/fuzz_$name"
seeds="$here/corpus/$name"
work="$build/fuzz-corpus/$name"
findings="$build/fuzz-findings/$name"
mkdir -p "$work" "$findings"
[ -x "$bin" ] || { echo "run.sh: $bin is not built" >&2; exit 1; }
[ -d "$seeds" ] || { echo "run.sh: no seed corpus at $seeds" >&2; exit 1; }
# ASan/UBSan: any report is fatal; leaks too (the fuzzer checks them per input).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# -timeout: one input slower than this is a finding (generous for a busy machine);
# -rss_limit_mb: so is a process growing past it.
"$bin" "$work" "$seeds" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2560 -max_len=65536 \
  -artifact_prefix="$findings/" -print_final_stats=1 "$@" 2>"$build/fuzz-$name.log" || {
  rc=$?
  tail -n 60 "$build/fuzz-$name.log" >&2
  echo "run.sh: fuzz_$name failed (exit $rc); input in $findings/" >&2
  exit "$rc"
}
# The figures docs/reliability.md quotes: executions and coverage.
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$build/fuzz-$name.log" || true
echo "fuzz_$name: ok ($seconds s, 0 findings)"
