"""Reads the figures one run of bench/run.sh wrote and prints the targets of issue #5 beside them,
as a Markdown table for the top of docs/BENCHMARKS.md.

    python3 bench/summary.py WORK_DIR
"""
import json
import os
import re
import sys


def load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def store_rate(work, label):
    path = os.path.join(work, f"{label}-store.txt")
    if not os.path.exists(path):
        return None
    found = re.search(r"(\d+) batches/s", open(path).read())
    return float(found.group(1)) if found else None


def verdict(ok):
    return "met" if ok else "**missed**: see the section below"


def rows(work):
    out = []
    for label in ("sqlite", "postgresql"):
        server, rate, scale = load(work, f"{label}-server.json"), load(work, f"{label}-rate.json"), \
            load(work, f"{label}-scale.json")
        alone = store_rate(work, label)
        if server and alone:
            ratio = server["requestsPerSecond"] / alone
            out.append((f"1/6 suspension throughput ({label})", "server >= 1/2 of the store alone",
                        f"{server['requestsPerSecond']:.0f} batches/s ({server['usersPerSecond']:.0f} users/s) vs "
                        f"{alone:.0f} batches/s alone = {ratio:.2f}", verdict(ratio >= 0.5)))
        if rate:
            p99 = rate["latencyMs"]["all"]["p99"]
            out.append((f"3/6 latency at {rate['targetRate']:.0f} batches/s ({label})", "p99 < 20 ms",
                        f"p50 {rate['latencyMs']['all']['p50']:.1f} ms, p99 {p99:.1f} ms, "
                        f"{rate['errors']} errors", verdict(p99 < 20 and rate["errors"] == 0)))
        if scale:
            worst = max(scale["big"][k]["median_ms"] / scale["small"][k]["median_ms"]
                        for k in scale["small"] if k != "ListUsers rare filter")
            out.append((f"5/6 scale, {scale['users']:,} users ({label})", "each call within 2x of 1,000 users",
                        f"worst ratio {worst:.2f}x (rare-filter row apart, see below)", verdict(worst <= 2)))
            out.append((f"5/6 peak memory ({label})", "server RSS < 512 MiB",
                        f"{scale['peak_rss_mib']:.0f} MiB", verdict(scale["peak_rss_mib"] < 512)))
            out.append((f"5/6 creating users ({label})", "reported",
                        f"{scale['create_users_per_s']:.0f} users/s through BatchCreateUser", "reported"))
    peers = load(work, "peers.json")
    if peers:
        warm = peers.get("warm_job_ratio", peers["job_ratio"])
        out.append(("2 job vs moto", ">= 100x", f"{peers['job_ratio']:.1f}x cold, {warm:.1f}x warm (store in memory: "
                    f"{peers.get('in_memory_warm_job_ratio', float('nan')):.1f}x warm; ceiling through boto3: "
                    f"{peers['job_ratio_ceiling']:.0f}x)", verdict(warm >= 100)))
        out.append(("2 per request vs moto", "faster", f"{peers['per_request_ratio']:.2f}x",
                    verdict(peers["per_request_ratio"] > 1)))
        out.append(("4 start to first signed call", "vs moto_server",
                    f"{peers['wickr_local_start_s']:.2f} s vs {peers['moto_start_s']:.2f} s", "reported"))
    return out


def main():
    work = sys.argv[1]
    print("| figure | target | this run | |")
    print("|---|---|---|---|")
    for figure, target, value, status in rows(work):
        print(f"| {figure} | {target} | {value} | {status} |")


if __name__ == "__main__":
    main()
