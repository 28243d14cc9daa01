#!/usr/bin/env bash
# The main job: install, build, start a local city-hall server on loopback with the sample
# catalog, enrol this machine as a kiosk, and open the kiosk. With no display the kiosk says
# so and runs headless (syncing only). Ctrl-C stops both; the server is stopped by its pid.
# Data lives in ./var (server database and keys in var/server, kiosk database in var/kiosk).
# Usage: sudo bash scripts/run.sh [kiosk options, e.g. --window 1080x1920]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
build=${KYODO_BUILD_DIR:-$root/build}
KYODO_BUILD_DIR=$build bash "$root/scripts/build.sh"

var=${KYODO_VAR_DIR:-$root/var}
mkdir -p "$var/server" "$var/kiosk"
server_log=$var/server/server.log
port_line=$(mktemp)

"$build/server/kyodo-server" --data "$var/server" serve --bind 127.0.0.1 --port "${KYODO_PORT:-0}" \
  --catalog "$root/assets/catalog/sample_catalog.json" >"$port_line" 2>>"$server_log" &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$port_line"
  echo "run: city-hall server (pid $server_pid) stopped; its log is $server_log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http[s]*:\/\/[^ ]*\).*/\1/p' "$port_line" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "run: the server failed to start; see $server_log" >&2; tail -n 20 "$server_log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "run: the server did not start listening within 10 s; see $server_log" >&2; exit 1; }
echo "run: city-hall server listening on $url (pid $server_pid, log $server_log)"

# First centre of the sample catalog: the kiosk belongs to it.
centre=${KYODO_CENTRE:-$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["centres"][0]["id"])' \
  "$root/assets/catalog/sample_catalog.json" 2>/dev/null || echo centre-1)}
"$build/server/kyodo-server" --data "$var/server" enrol --kiosk "${KYODO_KIOSK_ID:-kiosk-1}" --centre "$centre" \
  --server-url "$url" --kiosk-db "$var/kiosk/kiosk.db" --write-config "$var/kiosk/kiosk.json" >/dev/null
echo "run: kiosk ${KYODO_KIOSK_ID:-kiosk-1} enrolled at centre $centre; config $var/kiosk/kiosk.json"

if [ -z "${DISPLAY:-}" ]; then
  echo "run: no display (DISPLAY is not set): the kiosk runs headless and only syncs."
  echo "     To see it: run this on a desktop session, or under Xvfb: xvfb-run -a bash scripts/run.sh"
fi
"$build/app/kyodo-kiosk" --config "$var/kiosk/kiosk.json" --assets "$root/assets" "$@"
