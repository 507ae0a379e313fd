#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for the tests and benchmarks that need a real server.
#   eval "$(bash scripts/pg_cluster.sh start)"   # exports BOT_TEST_POSTGRES_URL and PG_CLUSTER_DIR
#   bash scripts/pg_cluster.sh stop "$PG_CLUSTER_DIR"
# Installs Debian's PostgreSQL if it is missing (as root). PostgreSQL refuses to run as root, so
# under root the cluster belongs to the 'postgres' user. Everything lives in one temporary directory.
set -euo pipefail

find_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ] && { pg_config --bindir; return 0; }
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bindir
  if ! bindir="$(find_bindir)"; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)." >&2
      exit 1
    fi
    echo "Installing PostgreSQL (apt-get) ..." >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
    bindir="$(find_bindir)"
  fi
  local dir port
  dir="$(mktemp -d /tmp/bot-pg.XXXXXX)"
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_owner "$bindir/initdb" -D "$dir/data" -U bot -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U bot bot_test
  echo "export BOT_TEST_POSTGRES_URL=postgresql://bot@127.0.0.1:$port/bot_test"
  echo "export PG_CLUSTER_DIR=$dir"
}

stop() {
  local dir="${1:?usage: pg_cluster.sh stop DIR}" bindir
  bindir="$(find_bindir)"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
