"""Figure 5 of the benchmarks: the same calls on a network of 1,000 users and on one of N users
(1,000,000 by default), through boto3, with the server's peak resident memory.

Both networks are filled through the API: BatchCreateUser, 50 users a call, sent by the project's
load generator (Java, SigV4-signed, several connections kept alive) because a Python client would
measure itself; that rate is reported too. Start the server yourself and pass its endpoint and
process id:

    python3 bench/scale.py --endpoint http://127.0.0.1:8484 --pid 12345 --users 1000000
"""
import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

CALLS = 200
JAR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "target", "wickr-local.jar")


def make_client(endpoint):
    return boto3.client("wickr", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(retries={"total_max_attempts": 3, "mode": "standard"}, max_pool_connections=32))


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def populate(endpoint, network, users, clients):
    """Creates `users` users with the load generator; returns their ids (listed back) and the seconds it took."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        t0 = time.perf_counter()
        subprocess.run(["java", "-cp", JAR, "io.wickrlocal.bench.LoadGenerator", "--endpoint", endpoint,
                        "--network-id", network, "--mix", "create=1", "--batch-size", "50",
                        "--requests", str(users // 50), "--clients", str(clients), "--max-error-ratio", "0",
                        "--json", report.name], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t0
        created = json.load(open(report.name))["usersCreated"]
    if created != users:
        sys.exit(f"the load generator created {created} users, not {users}")
    client = make_client(endpoint)
    ids = [u["userId"] for page in client.get_paginator("list_users").paginate(
        networkId=network, PaginationConfig={"PageSize": 100}) for u in page["users"]]
    if len(ids) != users:
        sys.exit(f"ListUsers found {len(ids)} users, not {users}")
    return ids, seconds


def fifty(ids, i):
    """The i-th group of 50 ids, wrapping around. Sliced in one step: ids[k:][:50] copied the rest of a
    million-id list first, 4-8 ms of the client's time inside the timed call, which a first version of
    this script counted against the server."""
    start = (i * 50) % (len(ids) - 50)
    return ids[start:start + 50]


def calls_on(client, network, ids):
    """The timed calls on one network, each a function of the call's number."""
    sample = ids[:: max(1, len(ids) // CALLS)][:CALLS]
    return {
        "GetUser": lambda i: client.get_user(networkId=network, userId=sample[i % len(sample)]),
        "ListUsers page": lambda i: client.list_users(networkId=network, maxResults=10),
        # lastName is a substring filter: a page costs the rows read until 10 match, which depends on how
        # many users match, not on how many there are. "Last9" matches about 9 % of the users; "Last976" 0.1 %,
        # fewer than one page in the 1,000-user network, so that network is read whole for it.
        "ListUsers filtered page": lambda i: client.list_users(networkId=network, maxResults=10, lastName="Last9",
                                                               sortFields="username"),
        "ListUsers rare filter": lambda i: client.list_users(networkId=network, maxResults=10, lastName="Last976",
                                                             sortFields="username"),
        "toggle 50 users": lambda i: client.batch_toggle_user_suspend_status(
            networkId=network, suspend=i % 2 == 0, userIds=fifty(ids, i)),
        "GetUsersCount": lambda i: client.get_users_count(networkId=network),
    }


def timings(client, networks):
    """Median and p99 milliseconds of each call on each network, over CALLS calls.

    The networks take turns, call by call, so that both see the same machine: right after a big fill
    the disk is still writing it back, and a network timed alone in that period would pay for it."""
    calls = {label: calls_on(client, network, ids) for label, (network, ids) in networks.items()}
    out = {label: {} for label in networks}
    for name in next(iter(calls.values())):
        samples = {label: [] for label in networks}
        for label in networks:
            calls[label][name](0)  # warm
        for i in range(CALLS):
            for label in networks:
                t0 = time.perf_counter()
                calls[label][name](i)
                samples[label].append((time.perf_counter() - t0) * 1000)
        for label, taken in samples.items():
            taken.sort()
            out[label][name] = {"median_ms": statistics.median(taken), "p99_ms": taken[int(len(taken) * 0.99) - 1]}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id, for its peak memory")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8, help="load generator connections creating users")
    parser.add_argument("--json")
    args = parser.parse_args()
    if not 1000 <= args.users <= 2_000_000 or args.users % 50:
        sys.exit("--users must be a multiple of 50 from 1000 to 2000000")
    client = make_client(args.endpoint)

    def network_of(n):
        return client.create_network(networkName=f"scale-{n}", accessLevel="PREMIUM")["networkId"]

    small = network_of(1000)
    small_ids, _ = populate(args.endpoint, small, 1000, args.clients)
    big = network_of(args.users)
    big_ids, seconds = populate(args.endpoint, big, args.users, args.clients)
    result = {"users": args.users, "create_seconds": seconds, "create_users_per_s": args.users / seconds}
    result.update(timings(client, {"small": (small, small_ids), "big": (big, big_ids)}))
    result["peak_rss_mib"] = peak_rss_mib(args.pid)

    print(f"created {args.users} users through BatchCreateUser in {seconds:.0f} s: "
          f"{result['create_users_per_s']:.0f} users/s ({args.clients} load generator connections)")
    print(f"{'call':26} {'1,000 users':>22} {f'{args.users:,} users':>22} {'ratio':>7}")
    for name in result["small"]:
        s, b = result["small"][name], result["big"][name]
        print(f"{name:26} {s['median_ms']:8.2f} ms (p99 {s['p99_ms']:6.2f}) {b['median_ms']:8.2f} ms"
              f" (p99 {b['p99_ms']:6.2f}) {b['median_ms'] / s['median_ms']:6.2f}x")
    print(f"server peak resident memory (VmHWM): {result['peak_rss_mib']:.0f} MiB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()
