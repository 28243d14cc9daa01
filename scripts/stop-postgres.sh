#!/usr/bin/env bash
# Stops the throwaway PostgreSQL that start-postgres.sh started in DIR.
set -euo pipefail
dir=${1:?usage: stop-postgres.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
else "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
