#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and demos, started from the server binaries of Debian's
# `postgresql` package: data in a folder of your choice, listening on 127.0.0.1 only.
#
#   tools/local-postgres.sh start DIR PORT   prints the URL for --database once it accepts connections
#   tools/local-postgres.sh stop DIR [MODE]  stops it (the folder stays until you delete it); MODE is
#                                            fast (the default: sessions are ended, then a checkpoint)
#                                            or immediate (no checkpoint: crash recovery at the next start)
#   tools/local-postgres.sh crash DIR        kills the postmaster with SIGKILL, as a crash would, and
#                                            returns once its other processes have noticed and exited
#   tools/local-postgres.sh terminate DIR    ends every client session (pg_terminate_backend), the
#                                            server staying up; prints how many it ended
#
# The faults (stop immediate, crash, terminate) are for the benchmarks and tests of nodes that ride out
# their database's failures (bench/db_faults.py, conformance/test_db_faults.py).
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
[ -n "$dir" ] || { echo "usage: $0 start DIR PORT | stop DIR [fast|immediate] | crash DIR | terminate DIR" >&2; exit 2; }

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
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=$fsync -c max_connections=200" start \
        >/dev/null 2>"$dir/pg_ctl.err" || { cat "$dir/pg_ctl.err" "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U wickr -d postgres -qAt \
        -c "SELECT 1 FROM pg_database WHERE datname = 'wickr'" | grep -q 1 \
        || as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U wickr wickr
    echo "postgresql://127.0.0.1:$port/wickr?user=wickr"
    ;;
stop)
    mode=${3:-fast}
    case "$mode" in fast|immediate) ;; *) echo "stop mode must be fast or immediate" >&2; exit 2 ;; esac
    as_owner "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null 2>&1 || true
    ;;
crash)
    [ -f "$dir/data/postmaster.pid" ] || { echo "no server is running in $dir" >&2; exit 1; }
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    children=$(pgrep -P "$pid" || true)
    kill -9 "$pid"
    # PostgreSQL refuses to start while a process of the old server still holds its shared memory.
    for child in $children; do
        while kill -0 "$child" 2>/dev/null; do sleep 0.01; done
    done
    ;;
terminate)
    [ -f "$dir/data/postmaster.pid" ] || { echo "no server is running in $dir" >&2; exit 1; }
    port=$(sed -n 4p "$dir/data/postmaster.pid")
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U wickr -d postgres -qAt -c "SELECT count(pg_terminate_backend(pid))
        FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
    ;;
*)
    echo "usage: $0 start DIR PORT | stop DIR [fast|immediate] | crash DIR | terminate DIR" >&2
    exit 2
    ;;
esac
