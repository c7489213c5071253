#!/usr/bin/env bash
# Two nodes on one PostgreSQL (fsync on) under toggle load while the database restarts, crashes, stays
# away for 10 s and loses every session: prints, per fault, when the database accepted connections again,
# when each node served again, and that no acknowledged batch was lost or applied in part. See
# bench/db_faults.py for what is measured and how.
#
#   mvn -q -DskipTests package && bench/db_faults.sh [--clients N] [--faults restart,crash,stop-10s,terminate]
#   JAR=/tmp/older.jar bench/db_faults.sh      the same against another build (one without /_local/ready
#                                              is waited for through /_local/health)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
work=$(mktemp -d)
chmod 755 "$work" # PostgreSQL runs as its own user when this runs as root
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]:-}"; do wait "$p" 2>/dev/null || true; done
    tools/local-postgres.sh stop "$work/pg" immediate
    rm -rf "$work"
}
trap cleanup EXIT

jar=$(realpath "${JAR:-target/wickr-local.jar}")
pg_port=$(free_port)
export LOCAL_PG_FSYNC=on
db=$(tools/local-postgres.sh start "$work/pg" "$pg_port")
urls=()
for n in 1 2; do
    port=$(free_port)
    # One folder for both, so that they share the default secrets key file.
    (cd "$work" && exec java -jar "$jar" --port "$port" --database "$db" \
        > "$work/node$n.log" 2>&1) &
    pids+=("$!")
    urls+=("http://127.0.0.1:$port")
    # One after the other: the first creates the schema and the secrets key file.
    wait_healthy "http://127.0.0.1:$port" && { wait_ready "http://127.0.0.1:$port" \
        || [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/_local/ready")" != 503 ]; } \
        || { echo "node $n did not start; see $work/node$n.log" >&2; exit 1; }
done
python3 bench/db_faults.py --pg-dir "$work/pg" --pg-port "$pg_port" --nodes "$(IFS=,; echo "${urls[*]}")" "$@"
