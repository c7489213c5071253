#!/usr/bin/env bash
# Concurrent BatchCreateUser on PostgreSQL: clients filling one or several networks at once, each
# network's clients driven by one load generator, all at the same time. Prints each generator's figures
# and the errors, which must be none.
#
#   bench/create_contention.sh [NETWORKS] [CLIENTS_PER_NETWORK] [CALLS_PER_NETWORK] [JAR]
#
# JAR defaults to target/wickr-local.jar (build it first); pass another build to compare versions.
# PostgreSQL runs with fsync on, so a commit costs what it costs in production.
set -euo pipefail
cd "$(dirname "$0")/.."
networks=${1:-1}; clients=${2:-8}; calls=${3:-1000}; jar=${4:-target/wickr-local.jar}
work=$(mktemp -d)
chmod 755 "$work" # PostgreSQL runs as its own user when this runs as root
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
    tools/local-postgres.sh stop "$work/pg"
    [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
. bench/common.sh
port=$(free_port)
pg_port=$(free_port)
db=$(LOCAL_PG_FSYNC=on tools/local-postgres.sh start "$work/pg" "$pg_port" | tail -n 1)
java -jar "$jar" --port "$port" --database "$db" > "$work/server.log" 2>&1 &
pids+=($!)
endpoint="http://127.0.0.1:$port"
wait_healthy "$endpoint"
ids=$(python3 - "$endpoint" "$networks" <<'PY'
import sys, boto3
c = boto3.client("wickr", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test")
print(" ".join(c.create_network(networkName=f"contention-{i}", accessLevel="PREMIUM")["networkId"]
               for i in range(int(sys.argv[2]))))
PY
)
echo "$networks network(s) x $clients clients x $calls calls of 50 users; load average $(cut -d' ' -f1-3 /proc/loadavg)"
generators=()
for id in $ids; do
    java -cp target/wickr-local.jar io.wickrlocal.bench.LoadGenerator --endpoint "$endpoint" --network-id "$id" \
        --mix create=1 --batch-size 50 --requests "$calls" --clients "$clients" --max-error-ratio 1 \
        > "$work/generator-$id.txt" &
    generators+=($!)
done
wait "${generators[@]}"
for id in $ids; do
    grep -E "^(requests|throughput|create |  [0-9]{3} )" "$work/generator-$id.txt"
done
echo "requests the server answered with 500 (its log): $(grep -c 'ERROR io.wickrlocal.protocol.RestJsonProtocol' "$work/server.log" || true)"
