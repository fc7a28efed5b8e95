#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback, for the test suite and for local development.
#   tests/services.sh up [DIR]  start them, print `export ...` lines (also written to DIR/env)
#   tests/services.sh down DIR  stop exactly what `up` started in DIR, then remove DIR
# A service whose URL (DATABASE_URL / REDIS_URL) is already set is left alone.
set -euo pipefail

say() { echo "services: $*" >&2; }
die() { say "$*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
# initdb and pg_ctl refuse to run as root.
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_free_port() { local p=$1; while port_busy "$p"; do p=$((p + 1)); done; echo "$p"; }
# A daemon's exited process stays a zombie until PID 1 reaps it (seconds, in some containers).
alive() { local s; s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${s:0:1}" != Z ]; }

start_postgres() {
  local dir=$1 bin locale port tries
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || die "PostgreSQL not found under /usr/lib/postgresql (apt-get install postgresql)"
  locale=C
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' && locale=C.UTF-8
  as_pg "$bin/initdb" -D "$dir/pg" -U engage --auth=trust -E UTF8 --locale="$locale" \
    >"$dir/initdb.log" 2>&1 || { tail -n 20 "$dir/initdb.log" >&2; die "initdb failed"; }
  # Two runs may pick the same free port at once: the loser retries with the next one.
  port=54329
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$(next_free_port "$port")
    if as_pg "$bin/pg_ctl" -D "$dir/pg" -w -l "$dir/pg.log" start -o "-c listen_addresses=127.0.0.1 \
-p $port -c unix_socket_directories=$dir/pg -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c jit=off -c max_connections=200" >/dev/null 2>&1; then
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U engage engage
      echo "export DATABASE_URL=postgres://engage@127.0.0.1:$port/engage" >>"$dir/env"
      say "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port"
      return
    fi
    port=$((port + 1))
  done
  tail -n 20 "$dir/pg.log" >&2
  die "PostgreSQL did not start"
}

start_redis() {
  local dir=$1 port=63790 tries i pid
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$(next_free_port "$port")
    # Not --daemonize: its parent exits before the port is bound, so a lost race would go unseen.
    setsid redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" </dev/null >/dev/null 2>&1 &
    pid=$!
    echo "$pid" >"$dir/redis.pid"
    for i in $(seq 100); do
      # The answer must come from our server, not from another one that won the port.
      if [ "$(redis-cli -p "$port" info server 2>/dev/null |
        sed -n 's/^process_id:\([0-9]*\).*/\1/p')" = "$pid" ]; then
        echo "export REDIS_URL=redis://127.0.0.1:$port/0" >>"$dir/env"
        say "Redis on 127.0.0.1:$port"
        return
      fi
      alive "$pid" || break
      sleep 0.1
    done
    stop_redis "$dir"
    port=$((port + 1))
  done
  tail -n 20 "$dir/redis.log" >&2
  die "Redis did not start"
}

stop_redis() {
  local dir=$1 pid i
  pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
  rm -f "$dir/redis.pid"
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = redis-server ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

up() {
  local dir=${1:-}
  [ -n "$dir" ] || dir=$(mktemp -d /tmp/engage-services.XXXXXX)
  mkdir -p "$dir"
  touch "$dir/.engage-services" "$dir/env"
  if is_root; then chown postgres: "$dir"; else chmod 700 "$dir"; fi
  [ -n "${DATABASE_URL:-}" ] && say "DATABASE_URL is set: using it" || start_postgres "$dir"
  [ -n "${REDIS_URL:-}" ] && say "REDIS_URL is set: using it" || start_redis "$dir"
  cat "$dir/env"
}

down() {
  local dir=${1:?usage: $0 down DIR} bin
  [ -d "$dir" ] || return 0
  [ -f "$dir/.engage-services" ] || rmdir "$dir" 2>/dev/null ||
    die "$dir was not made by '$0 up'; not touching it"
  [ -d "$dir" ] || return 0
  if [ -f "$dir/pg/postmaster.pid" ]; then
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    as_pg "$bin/pg_ctl" -D "$dir/pg" -w stop -m fast >/dev/null || say "pg_ctl stop failed"
  fi
  stop_redis "$dir"
  rm -rf "$dir"
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down "${2:-}" ;;
  *) echo "usage: $0 up [DIR] | down DIR" >&2; exit 2 ;;
esac
