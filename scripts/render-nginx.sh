#!/usr/bin/env bash
# Fills deploy/nginx/kyodo.conf's @NAME@ fields and writes the result.
#
#   bash scripts/render-nginx.sh --server-name cityhall.example --listen 443 \
#       --cert /etc/ssl/kyodo/fullchain.pem --key /etc/ssl/kyodo/privkey.pem \
#       --upstream 127.0.0.1:8080 --out /etc/nginx/conf.d/kyodo.conf
#
# Limits (defaults in brackets): --login-rate [10r/m] --api-rate [20r/s] --page-rate [10r/s]
# --open-rate [2r/s] --conn-per-addr [32]; --access-log [/var/log/nginx/kyodo.access.log].
#
# --standalone DIR writes a whole nginx.conf into DIR instead (pid file, logs and temporary
# folders inside DIR, no daemon, one worker) for running nginx as an ordinary process:
#   nginx -p DIR -c DIR/nginx.conf -e DIR/error.log
# (tests/integration/test_nginx_front.cpp does this on loopback). --out is then DIR/kyodo.conf.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
template="$here/../deploy/nginx/kyodo.conf"
server_name="" listen="" cert="" key="" upstream="" out="" standalone=""
login_rate="10r/m" api_rate="20r/s" page_rate="10r/s" open_rate="2r/s" conn_per_addr="32"
access_log="/var/log/nginx/kyodo.access.log"

usage() { sed -n '2,17p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --server-name) server_name="$2" ;;
    --listen) listen="$2" ;;
    --cert) cert="$2" ;;
    --key) key="$2" ;;
    --upstream) upstream="$2" ;;
    --out) out="$2" ;;
    --standalone) standalone="$2" ;;
    --login-rate) login_rate="$2" ;;
    --api-rate) api_rate="$2" ;;
    --page-rate) page_rate="$2" ;;
    --open-rate) open_rate="$2" ;;
    --conn-per-addr) conn_per_addr="$2" ;;
    --access-log) access_log="$2" ;;
    --template) template="$2" ;;
    *) usage ;;
  esac
  shift 2
done

for v in server_name listen cert key upstream; do
  if [ -z "${!v}" ]; then echo "render-nginx: --${v//_/-} is required" >&2; usage; fi
done
if [ -n "$standalone" ]; then
  mkdir -p "$standalone"
  standalone="$(cd "$standalone" && pwd)"
  out="$standalone/kyodo.conf"
  [ "$access_log" = "/var/log/nginx/kyodo.access.log" ] && access_log="$standalone/access.log"
fi
[ -n "$out" ] || { echo "render-nginx: --out FILE or --standalone DIR is required" >&2; usage; }

# Values go into the config as they are: refuse the characters that would end a directive.
for v in "$server_name" "$listen" "$cert" "$key" "$upstream" "$access_log" "$login_rate" "$api_rate" \
         "$page_rate" "$open_rate" "$conn_per_addr"; do
  case "$v" in
    *[\;\{\}\'\"\ \$@\|\\]*) echo "render-nginx: refusing value with a space or one of ; { } ' \" \$ @ | \\: $v" >&2; exit 2 ;;
  esac
done

tmp="$(mktemp "$out.XXXXXX")"
sed -e "s|@SERVER_NAME@|$server_name|g" -e "s|@LISTEN@|$listen|g" -e "s|@CERT@|$cert|g" \
    -e "s|@KEY@|$key|g" -e "s|@UPSTREAM@|$upstream|g" -e "s|@ACCESS_LOG@|$access_log|g" \
    -e "s|@LOGIN_RATE@|$login_rate|g" -e "s|@API_RATE@|$api_rate|g" -e "s|@PAGE_RATE@|$page_rate|g" \
    -e "s|@OPEN_RATE@|$open_rate|g" -e "s|@CONN_PER_ADDR@|$conn_per_addr|g" "$template" > "$tmp"
if grep -n '^[^#]*@[A-Z_]*@' "$tmp" >&2; then
  rm -f "$tmp"
  echo "render-nginx: fields left unfilled (above)" >&2
  exit 1
fi
chmod 644 "$tmp"
mv "$tmp" "$out"

if [ -n "$standalone" ]; then
  mkdir -p "$standalone/temp"
  cat > "$standalone/nginx.conf" <<CONF
# nginx as an ordinary process in $standalone (scripts/render-nginx.sh --standalone).
daemon off;
master_process on;
worker_processes 1;
pid $standalone/nginx.pid;
error_log $standalone/error.log notice;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $standalone/temp/body;
    proxy_temp_path $standalone/temp/proxy;
    fastcgi_temp_path $standalone/temp/fastcgi;
    uwsgi_temp_path $standalone/temp/uwsgi;
    scgi_temp_path $standalone/temp/scgi;
    include $out;
}
CONF
  chmod 644 "$standalone/nginx.conf"
fi
echo "render-nginx: wrote $out"
