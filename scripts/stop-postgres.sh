#!/usr/bin/env bash
# Stops the throwaway PostgreSQL that start-postgres.sh started in DIR; with --remove, also
# deletes DIR (scripts/test.sh made it with mktemp -d).
# Usage: scripts/stop-postgres.sh DIR [--remove]
set -euo pipefail
dir=${1:?usage: stop-postgres.sh DIR [--remove]}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -f "$dir/data/PG_VERSION" ]; then
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1) || true
  else "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
fi
if [ "${2:-}" = --remove ]; then rm -rf -- "$dir"; fi
