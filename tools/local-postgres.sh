#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and demos, started from the server binaries of Debian's
# `postgresql` package: data in a folder of your choice, listening on 127.0.0.1 only.
#
#   tools/local-postgres.sh start DIR PORT   prints the URL for --database once it accepts connections
#   tools/local-postgres.sh stop DIR         stops it (the folder stays until you delete it)
#
# As root (CI), the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
# fsync is off (test data only) unless LOCAL_PG_FSYNC=on, which the benchmarks set.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries not found; install them with: apt-get install -y postgresql" >&2
    exit 3
fi

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}
dir=${2:-}
[ -n "$dir" ] || { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }

case "$cmd" in
start)
    port=${3:?usage: $0 start DIR PORT}
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        runuser -u postgres -- test -w "$dir" || {
            echo "the postgres user cannot reach $dir: give its parent folders o+x (mktemp -d makes them 700)" >&2
            exit 1
        }
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U wickr -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # fsync off by default: these clusters hold test data only, and the tests crash Wickr Local, never
    # PostgreSQL. Benchmarks turn it on, so that a commit costs what it costs in production.
    fsync=${LOCAL_PG_FSYNC:-off}
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=$fsync -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U wickr -d postgres -qAt \
        -c "SELECT 1 FROM pg_database WHERE datname = 'wickr'" | grep -q 1 \
        || as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U wickr wickr
    echo "postgresql://127.0.0.1:$port/wickr?user=wickr"
    ;;
stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
