#!/usr/bin/env bash
# What the tail of figure 3 is made of: the same open-loop load (500 batches/s of 50 users) on the
# store on disk and on the store in memory (no commit waits for the disk), each with the JVM's
# garbage-collector pauses logged, so that the p99 can be set beside the pauses and the disk.
#
#   bench/latency_probe.sh            RATE=500 DURATION=30 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-500}
DURATION=${DURATION:-30}
[ -f target/wickr-local.jar ] || mvn -q -B -Dstyle.color=never -DskipTests -DskipConformance package
work=$(mktemp -d)
. bench/common.sh
for store in disk memory; do
    p=$(free_port)
    flags=(--data-dir "$work/data")
    [ "$store" = memory ] && flags=(--in-memory)
    java -Xmx256m "-Xlog:gc:file=$work/gc-$store.log" -jar target/wickr-local.jar --port "$p" "${flags[@]}" \
        --max-client-tokens 10000000 \
        > "$work/server-$store.log" 2>&1 &
    server=$!
    wait_healthy "http://127.0.0.1:$p"
    echo "== store on $store: $RATE batches/s for $DURATION s after a 30 s warm-up"
    java -cp target/wickr-local.jar io.wickrlocal.bench.LoadGenerator --endpoint "http://127.0.0.1:$p" \
        --users 3200 --clients 64 --warm-up 30 --duration "$DURATION" --rate "$RATE" --mix toggle=1 \
        --max-error-ratio 1 --server-pid "$server" | grep -E '^(requests|throughput|toggle|cpu)'
    kill "$server"; wait "$server" 2>/dev/null || true
    # Pauses of the whole run (warm-up included): count, longest, and their sum.
    python3 - "$work/gc-$store.log" <<'PY'
import re, sys
pauses = [float(m) for m in re.findall(r"Pause.* ([0-9.]+)ms$", open(sys.argv[1]).read(), re.M)]
if pauses:
    print(f"gc pauses: {len(pauses)}, longest {max(pauses):.1f} ms, total {sum(pauses):.0f} ms")
PY
done
