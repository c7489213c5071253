#!/usr/bin/env bash
# Where the server's processor time goes under the benchmark's suspension load: 64 clients toggling
# 50 users a call. The server warms up first; async-profiler (fetched from Maven Central) then samples
# every thread for PROFILE_SECONDS, and bench/profile_summary.py sorts the samples by thread and layer.
#
#   bench/profile.sh                         on SQLite in a temporary folder
#   bench/profile.sh --database URL          on PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${WARMUP:-30}
PROFILE_SECONDS=${PROFILE_SECONDS:-20}
AP_VERSION=3.0
store_flags=("$@")

[ -f target/wickr-local.jar ] || mvn -q -B -Dstyle.color=never -DskipTests -DskipConformance package
profiler=target/profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$profiler" ]; then
    mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory=target/profiler
    unzip -oq "target/profiler/async-profiler-$AP_VERSION.jar" 'linux-x64/*' -d target/profiler
fi
profiler=$(realpath "$profiler")
work=$(mktemp -d)
[ ${#store_flags[@]} -eq 0 ] && store_flags=(--data-dir "$work/data")
. bench/common.sh
port=$(free_port)
java -Xmx256m -jar target/wickr-local.jar --port "$port" "${store_flags[@]}" --max-client-tokens 10000000 \
    > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_healthy "http://127.0.0.1:$port"

java -cp target/wickr-local.jar io.wickrlocal.bench.LoadGenerator --endpoint "http://127.0.0.1:$port" \
    --users 3200 --clients 64 --warm-up "$WARMUP" --duration "$((PROFILE_SECONDS + 10))" --mix toggle=1 \
    --server-pid "$server" > "$work/load.txt" &
load=$!
# The load generator creates its users, then warms up; profile the middle of the measured run.
until grep -q '^Warm-up' "$work/load.txt" 2>/dev/null; do sleep 1; done
sleep 5
jcmd "$server" JVMTI.agent_load "$profiler" '"start,event=itimer,interval=1ms,threads"' > /dev/null
sleep "$PROFILE_SECONDS"
jcmd "$server" JVMTI.agent_load "$profiler" "\"stop,file=$work/collapsed.txt,collapsed,threads\"" > /dev/null
wait "$load"
grep -E '^(throughput|cpu per request)' "$work/load.txt"
python3 bench/profile_summary.py "$work/collapsed.txt"
