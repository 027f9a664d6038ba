# Start PostgreSQL and Redis on loopback for the tests; sourced by .ci/run.
# Exports DATABASE_URL and REDIS_URL; stop_services (run from a trap) stops both by PID.

PG_PORT="${PG_PORT:-5433}"
REDIS_PORT="${REDIS_PORT:-6380}"
SERVICES_DIR="$(mktemp -d /tmp/itsms-ci.XXXXXX)"
chmod 755 "$SERVICES_DIR"

start_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  mkdir -p "$SERVICES_DIR/pg"
  chown postgres:postgres "$SERVICES_DIR/pg"
  runuser -u postgres -- "$bin/initdb" -D "$SERVICES_DIR/pg/data" -A trust -U postgres -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/log" -w \
    -o "-h 127.0.0.1 -p $PG_PORT -k $SERVICES_DIR/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE itsms LOGIN PASSWORD 'itsms' CREATEDB" \
    -c "CREATE DATABASE itsms OWNER itsms"
  export DATABASE_URL="postgres://itsms:itsms@127.0.0.1:$PG_PORT/itsms"
  PG_BIN="$bin"
}

start_redis() {
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$SERVICES_DIR/redis.pid" --dir "$SERVICES_DIR" --save '' --appendonly no \
    --logfile "$SERVICES_DIR/redis.log"
  for _ in $(seq 1 50); do
    if [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; then
      export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
      return 0
    fi
    sleep 0.1
  done
  echo "Redis did not start" >&2
  return 1
}

stop_services() {
  if [ -n "${PG_BIN:-}" ] && [ -d "$SERVICES_DIR/pg/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES_DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$SERVICES_DIR/redis.pid" ]; then
    kill "$(cat "$SERVICES_DIR/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$SERVICES_DIR"
}
