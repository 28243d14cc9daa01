#!/usr/bin/env bash
# bench/attack_bench behind Debian's nginx, configured from the shipped template
# (deploy/nginx/kyodo.conf through scripts/render-nginx.sh --standalone), on loopback:
# a throwaway CA and certificate, nginx as an ordinary process (as `nobody` when run as
# root), kyodo-server behind it on a fixed port with --max-per-address 0 (every connection
# comes from nginx). nginx is stopped by its pid at the end.
#
#   bash bench/attack_behind_nginx.sh [build dir, default build] [attack_bench options...]
#
# The kiosks in the bench all push from 127.0.0.1, like a centre's kiosks behind one router,
# so the per-address API rate is raised to --api-rate 1000r/s; the other limits are the
# template's defaults. The slow clients speak plain TCP to the TLS port (nginx refuses them
# at once), so behind nginx they stand for junk connections, not slow TLS handshakes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shift || true
tmp=$(mktemp -d /tmp/kyodo-attack-nginx.XXXXXX)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill "$nginx_pid"
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pki="$tmp/pki"
mkdir -p "$pki"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$pki/ext.cnf"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/ca.key" -out "$pki/ca.pem" \
  -days 2 -subj "/CN=Kyodo Bench CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/server.key" -out "$pki/server.csr" \
  -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial \
  -out "$pki/server.pem" -days 2 -extfile "$pki/ext.cnf" 2>/dev/null
chmod 755 "$tmp" "$pki"
chmod 644 "$pki"/*

server_port=$(free_port)
front_port=$(free_port)
prefix="$tmp/nginx"
bash "$root/scripts/render-nginx.sh" --standalone "$prefix" --server-name localhost \
  --listen "127.0.0.1:$front_port" --cert "$pki/server.pem" --key "$pki/server.key" \
  --upstream "127.0.0.1:$server_port" --api-rate 1000r/s
chmod 777 "$prefix" "$prefix/temp"
run_as=()
if [ "$(id -u)" = 0 ]; then run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
"${run_as[@]}" nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" &
nginx_pid=$!
for _ in $(seq 1 300); do   # up when it answers on its port (at most 30 s)
  if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$front_port),1)" 2>/dev/null; then break; fi
  kill -0 "$nginx_pid" || { cat "$prefix/error.log" >&2; exit 1; }
  sleep 0.1
done
echo "nginx pid $nginx_pid on 127.0.0.1:$front_port in front of kyodo-server on 127.0.0.1:$server_port"
"$build/bench/attack_bench" --port "$server_port" --target "https://127.0.0.1:$front_port" \
  --server-arg --max-per-address --server-arg 0 "$@"
