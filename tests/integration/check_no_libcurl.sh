#!/usr/bin/env bash
# Fails when the kiosk executable needs libcurl, directly or through another library
# (ldd lists the whole closure), or when the sync module that should carry it does not.
# Usage: check_no_libcurl.sh KIOSK MODULE
set -euo pipefail
kiosk=$1
module=$2
kiosk_libs=$(ldd "$kiosk")
if grep -q 'libcurl' <<<"$kiosk_libs"; then
  echo "FAIL: $kiosk links libcurl:" >&2
  grep 'libcurl' <<<"$kiosk_libs" >&2
  exit 1
fi
if grep -q 'not found' <<<"$kiosk_libs"; then
  echo "FAIL: $kiosk has unresolved libraries:" >&2
  grep 'not found' <<<"$kiosk_libs" >&2
  exit 1
fi
# Never `ldd … | grep -q` under pipefail: grep -q exits at the first match, ldd then dies of
# SIGPIPE and the pipeline fails as if libcurl were missing (seen on a busy machine). Every
# check reads captured output.
module_libs=$(ldd "$module")
if ! grep -q 'libcurl' <<<"$module_libs"; then
  echo "FAIL: $module does not link libcurl (is it the transport module?)" >&2
  exit 1
fi
# The module's one entry point must be exported (the kiosk looks it up with dlsym).
module_syms=$(nm -D --defined-only "$module")
if ! grep -q ' kyodo_transport_module_create$' <<<"$module_syms"; then
  echo "FAIL: $module does not export kyodo_transport_module_create" >&2
  exit 1
fi
echo "ok: $kiosk needs $(wc -l <<<"$kiosk_libs") libraries, none of them libcurl; $module carries libcurl"
