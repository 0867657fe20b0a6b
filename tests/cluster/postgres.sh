#!/usr/bin/env bash
# A throwaway PostgreSQL for the store's tests, on 127.0.0.1 only.
#   postgres.sh start   installs PostgreSQL if missing (Debian), starts it (or finds it running) and prints
#                       one line on stdout: the Npgsql connection string. Everything else goes to stderr.
#   postgres.sh stop    stops it.
# ENTICE_PG_DIR (default /tmp/entice-pg-$UID) holds its data; ENTICE_PG_PORT (default 54329) is its port.
# Trust authentication is safe only because it listens on loopback alone and holds test data only.
set -euo pipefail
exec 3>&1 1>&2 # stdout carries the connection string alone

dir=${ENTICE_PG_DIR:-/tmp/entice-pg-$UID}
port=${ENTICE_PG_PORT:-54329}

die() { echo "postgres.sh: $*"; exit 1; }

# The newest installed server's bin folder (Debian keeps it out of PATH), or nothing. An initdb on PATH
# may be a lone link, so its real folder is the one used.
find_bin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  if [ -z "$b" ] && command -v initdb >/dev/null; then b=$(dirname "$(readlink -f "$(command -v initdb)")"); fi
  if [ -n "$b" ] && [ -x "$b/postgres" ] && [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ]; then echo "$b"; fi
}

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { [ -f "$dir/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; }

bin=$(find_bin)
case "${1:-}" in
  start)
    if [ -z "$bin" ]; then
      [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and only root can install it (apt-get install postgresql)"
      echo "postgres.sh: installing PostgreSQL"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null \
        || die "apt-get install postgresql failed"
      bin=$(find_bin)
      [ -n "$bin" ] || die "PostgreSQL installed but no initdb/postgres found"
    fi
    # Two starts at once (two test runs) must not both run initdb.
    exec 9>"$dir.lock"
    flock 9
    if running; then
      echo "postgres.sh: already running in $dir"
    else
      if [ ! -f "$dir/PG_VERSION" ]; then
        rm -rf "$dir"
        mkdir -m 700 "$dir"
        [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
        as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-locale >"$dir.initdb.log" 2>&1 \
          || { cat "$dir.initdb.log"; die "initdb failed"; }
      fi
      # fsync off: a test server's data need not survive a machine crash, and tests run faster. The
      # server must not inherit stdout (a caller reading it to the end would wait forever) or the lock.
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start 3>&- 9>&- \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off" \
        || { tail -n 20 "$dir/server.log" 2>/dev/null; die "PostgreSQL did not start on 127.0.0.1:$port (is the port taken?)"; }
    fi
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || die "PostgreSQL on 127.0.0.1:$port does not accept connections"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" >&3
    ;;
  stop)
    if [ -n "$bin" ] && running; then
      as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop
    else
      echo "postgres.sh: not running"
    fi
    ;;
  *)
    die "usage: postgres.sh start|stop"
    ;;
esac
