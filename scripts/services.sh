#!/usr/bin/env bash
# Starts, stops and describes the throwaway backing services the production-backend tests use:
# PostgreSQL, Redis and an S3-compatible server (moto), each on a free loopback port.
#
#   eval "$(scripts/services.sh start)"   # installs what is missing, starts everything, exports the URLs
#   eval "$(scripts/services.sh env)"     # exports the URLs of the running services again
#   scripts/services.sh stop              # stops everything and removes the data
#
# Only the `export` lines go to stdout; progress goes to stderr. Safe to run as root on a fresh machine.
source "$(dirname "$0")/lib.sh"

STATE_DIR="$REDLINE_ROOT/.build-services"
STATE_FILE="$STATE_DIR/state"
VENV="$REDLINE_ROOT/.venv-services"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits up to 60 s for a command to succeed.
wait_for() {
  local what="$1"; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$what did not come up; see $STATE_DIR and the data directory logs"
  return 1
}

pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ]; then
    apt_install postgresql
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$found"
}

# initdb refuses to run as root: run PostgreSQL as an unprivileged account, creating one if needed.
pg_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  useradd --system --no-create-home --shell /usr/sbin/nologin redline-pg >/dev/null 2>&1 || true
  echo redline-pg
}

as_user() {
  local user="$1"; shift
  if [ "$(id -un)" = "$user" ]; then "$@"; return; fi
  if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"; else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi
}

start_postgres() {
  local bin user port dir
  bin=$(pg_bin_dir)
  command -v psql >/dev/null 2>&1 || [ -x "$bin/psql" ] || apt_install postgresql-client
  user=$(pg_user)
  port=$(free_port)
  # A temp dir, not the checkout: the PostgreSQL user must be able to reach it (a clone under /root is not).
  dir=$(mktemp -d "${TMPDIR:-/tmp}/redline-pg.XXXXXX")
  chmod 755 "$dir"
  chown "$user" "$dir"
  printf 'PG_BIN=%s\nPG_USER=%s\nPG_DIR=%s\n' "$bin" "$user" "$dir" >>"$STATE_FILE"
  log "postgres: initdb in $dir as $user"
  as_user "$user" "$bin/initdb" -D "$dir/data" -U redline --auth=trust -E UTF8 --no-locale --no-sync >"$STATE_DIR/initdb.log" 2>&1 \
    || { cat "$STATE_DIR/initdb.log" >&2; return 1; }
  as_user "$user" mkdir -p "$dir/sock"
  as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2
  echo "PG_PORT=$port" >>"$STATE_FILE"
  wait_for postgres "$bin/pg_isready" -h 127.0.0.1 -p "$port"
  log "postgres: listening on 127.0.0.1:$port"
}

start_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools
  local port
  port=$(free_port)
  echo "REDIS_PORT=$port" >>"$STATE_FILE"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --dir "$STATE_DIR" --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log" >&2
  wait_for redis redis-cli -h 127.0.0.1 -p "$port" ping
  log "redis: listening on 127.0.0.1:$port"
}

start_moto() {
  if [ ! -x "$VENV/bin/moto_server" ]; then
    log "installing moto[server] and botocore into $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || { apt_install python3-venv; python3 -m venv "$VENV"; }
    retry "$VENV/bin/pip" install -q 'moto[server]' botocore >&2
  fi
  local port
  port=$(free_port)
  nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$STATE_DIR/moto.log" 2>&1 &
  echo $! >"$STATE_DIR/moto.pid"
  echo "MOTO_PORT=$port" >>"$STATE_FILE"
  wait_for moto "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=2)"
  log "moto (S3): listening on 127.0.0.1:$port"
}

print_env() {
  [ -f "$STATE_FILE" ] || { log "services are not running; run: $0 start"; return 1; }
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  echo "export REDLINE_TEST_POSTGRES_URL=postgres://redline@127.0.0.1:$PG_PORT/postgres"
  echo "export REDLINE_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  echo "export REDLINE_TEST_S3_ENDPOINT=http://127.0.0.1:$MOTO_PORT"
}

running() {
  [ -f "$STATE_FILE" ] || return 1
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  [ -n "${MOTO_PORT:-}" ] && [ -n "${REDIS_PORT:-}" ] && [ -n "${PG_PORT:-}" ] || return 1
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 \
    && kill -0 "$(cat "$STATE_DIR/moto.pid")" 2>/dev/null
}

stop_all() {
  [ -f "$STATE_FILE" ] || return 0
  # shellcheck disable=SC1090
  source "$STATE_FILE"
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    as_user "$PG_USER" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >&2 || true
    rm -rf "$PG_DIR"
  fi
  if [ -f "$STATE_DIR/redis.pid" ]; then kill "$(cat "$STATE_DIR/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$STATE_DIR/moto.pid" ]; then kill "$(cat "$STATE_DIR/moto.pid")" 2>/dev/null || true; fi
  rm -rf "$STATE_DIR"
  log "services stopped"
}

case "${1:-}" in
  start)
    if running; then print_env; exit 0; fi
    stop_all
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
    mkdir -p "$STATE_DIR"
    : >"$STATE_FILE"
    start_postgres
    start_redis
    start_moto
    print_env
    ;;
  stop) stop_all ;;
  env) print_env ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
