#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the test suites: a fresh cluster in DIR, on 127.0.0.1
# only, with trust auth for the test role. Prints the connection URL on stdout's last line;
# scripts/test.sh exports it as KYODO_PG_URL. Stop it with stop-postgres.sh.
#
# As root the server runs as the `postgres` user, who must be able to reach DIR: a clone in
# root's home (mode 700) or under a private temp folder is out of its reach, so scripts/test.sh
# passes a folder of its own under /var/tmp (made with mktemp -d, owned by postgres, removed
# on exit) instead of one inside the build tree.
# Usage: scripts/start-postgres.sh DIR [PORT]
set -euo pipefail
dir=${1:?usage: start-postgres.sh DIR [PORT]}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "start-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# As postgres, from / (the caller's folder may be out of its reach: "could not change directory").
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  if ! (cd / && runuser -u postgres -- test -w "$dir"); then
    echo "start-postgres: the postgres user cannot reach $dir (a parent folder is private);" \
         "give a folder it can reach, e.g. \$(mktemp -d /var/tmp/kyodo-pg.XXXXXX)" >&2
    exit 1
  fi
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi
# pg_ctl hands -o to a shell: the socket folder is single-quoted there.
if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 120 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=on -c max_connections=200" start >/dev/null \
    || { tail -n 30 "$dir/postgres.log" >&2; exit 1; }
fi
# No `psql | grep -q` under pipefail: grep may exit before psql has written, and psql's
# SIGPIPE would fail the pipeline. Compare the captured answer instead.
q() { as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres "$@"; }
[ "$(q -tAc "SELECT 1 FROM pg_roles WHERE rolname='kyodo'")" = 1 ] || q -qc "CREATE ROLE kyodo LOGIN CREATEDB"
[ "$(q -tAc "SELECT 1 FROM pg_database WHERE datname='kyodo_test'")" = 1 ] || q -qc "CREATE DATABASE kyodo_test OWNER kyodo"
echo "postgresql://kyodo@127.0.0.1:$port/kyodo_test"
