#!/usr/bin/env bash
# Runs every benchmark figure side by side and writes the report to docs/BENCHMARKS.md.
#
#   bench/run.sh                 the full run (about 40 minutes on a 2-core machine)
#   SCALE_USERS=100000 bench/run.sh   a smaller scale figure
#
# Needs what the tests need (Java 17, Maven, python3 with boto3, PostgreSQL's binaries) plus
# moto_server. Everything listens on 127.0.0.1 only and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE_USERS=${SCALE_USERS:-1000000}
DURATION=${DURATION:-30}
# The JIT compiles the server's hot code during the first tens of seconds; both sides of a comparison
# get the same warm-up, and it is not counted.
WARMUP=${WARMUP:-30}
HEAP=${HEAP:--Xmx256m}
mvn -q -B -Dstyle.color=never -DskipTests -DskipConformance package
work=$(mktemp -d)
chmod 755 "$work" # PostgreSQL runs as its own user when this runs as root
jar=target/wickr-local.jar
# Every load-generator request carries a new client token: far more than the default bound of one
# account's tokens a day (--max-client-tokens).
java_run=(java -XX:SharedArchiveFile=target/wickr-local.jsa "$HEAP" -jar "$jar" --max-client-tokens 10000000)
report="$work/report.md"
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
    [ -d "$work/pg" ] && tools/local-postgres.sh stop "$work/pg"
}
trap cleanup EXIT

. bench/common.sh
start_server() { # $1 label, rest: store flags; sets SERVER_PID and ENDPOINT
    local label=$1; shift
    local p; p=$(free_port)
    "${java_run[@]}" --port "$p" "$@" > "$work/server-$label.log" 2>&1 &
    SERVER_PID=$!; pids+=("$SERVER_PID"); ENDPOINT="http://127.0.0.1:$p"
    wait_healthy "$ENDPOINT"
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }
section() { # the load average says how busy the shared machine was while the section ran
    printf '\n## %s\n\n(load average when it started: %s)\n\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$report"
}
run_logged() { # $1 file, rest: command; the command line and its output go to the report
    local file=$1; shift
    { printf '```\n$ %s\n' "$*"; "$@" 2>&1 | tee "$work/$file"; printf '```\n'; } >> "$report"
}

throughput_and_latency() { # $1 label, rest: store flags for the server and the store benchmark
    local label=$1; shift
    section "Suspension throughput and latency ($label)"
    echo "Server: 64 concurrent clients, BatchToggleUserSuspendStatus only, 50 users a batch, alternating." >> "$report"
    start_server "$label" "$@"
    run_logged "$label-server.txt" java -cp "$jar" io.wickrlocal.bench.LoadGenerator --endpoint "$ENDPOINT" \
        --users 3200 --clients 64 --duration "$DURATION" --warm-up "$WARMUP" --mix toggle=1 \
        --server-pid "$SERVER_PID" --json "$work/$label-server.json"
    echo "Fixed load of 500 batches/s (open loop; latency from each batch's scheduled start):" >> "$report"
    run_logged "$label-rate.txt" java -cp "$jar" io.wickrlocal.bench.LoadGenerator --endpoint "$ENDPOINT" \
        --users 3200 --clients 64 --duration "$DURATION" --warm-up 5 --rate 500 --mix toggle=1 --max-error-ratio 1 \
        --server-pid "$SERVER_PID" --json "$work/$label-rate.json"
    stop_server
    echo "The same transactions by the store alone, in process (no HTTP, JSON or signature):" >> "$report"
    local db_flags=()
    [ "$label" = postgresql ] && db_flags=(--database "$PG_URL")
    run_logged "$label-store.txt" java -cp "$jar" io.wickrlocal.bench.StoreBenchmark --workers 64 --users 3200 \
        --duration "$DURATION" --warm-up "$WARMUP" "${db_flags[@]}"
}

scale() { # $1 label, rest: store flags
    local label=$1; shift
    section "Scale: a network of $SCALE_USERS users ($label, server heap $HEAP)"
    start_server "scale-$label" "$@"
    run_logged "$label-scale.txt" python3 bench/scale.py --endpoint "$ENDPOINT" --pid "$SERVER_PID" \
        --users "$SCALE_USERS" --json "$work/$label-scale.json"
    stop_server
}

{
    echo "# Benchmarks"
    echo
    echo "The last real run of \`bench/run.sh\`, on $(date -u +%Y-%m-%d). Machine: $(nproc) cores,"
    echo "$(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -n 1), $(uname -sr)."
    echo "Absolute figures on a shared 2-core machine are noisy; the ratios measured side by side in"
    echo "one run are what to compare. Every block below is a command and what it printed."
} > "$report"

throughput_and_latency sqlite --data-dir "$work/sqlite"

section "Where the server's processor time goes (SQLite, async-profiler)"
run_logged profile.txt bench/profile.sh

section "Against moto (same machine, same run)"
run_logged peers.txt python3 bench/peer_comparison.py --users 10000 --json "$work/peers.json"

scale sqlite --data-dir "$work/scale-sqlite"

PG_URL=$(LOCAL_PG_FSYNC=on tools/local-postgres.sh start "$work/pg" "$(free_port)")
throughput_and_latency postgresql --database "$PG_URL"
scale postgresql --database "$PG_URL"

section "A database that restarts, crashes, stays away and loses its sessions (two nodes, PostgreSQL fsync on)"
run_logged db-faults.txt bench/db_faults.sh

mkdir -p docs
{
    sed -n '1,/^one run are what/p' "$report"
    echo
    echo "## Summary"
    echo
    python3 bench/summary.py "$work"
    sed -n '/^one run are what/,$p' "$report" | tail -n +2
} > docs/BENCHMARKS.md
echo "report written to docs/BENCHMARKS.md (logs in $work)"
