"""Figure 5 of the benchmarks: the same calls on a network of 1,000 users and on one of N users
(1,000,000 by default), through boto3, with the server's peak resident memory.

The big network is created through the API (BatchCreateUser, 50 a call, from several threads) and
that rate is reported too. Start the server yourself and pass its endpoint and process id:

    python3 bench/scale.py --endpoint http://127.0.0.1:8484 --pid 12345 --users 1000000
"""
import argparse
import concurrent.futures
import json
import statistics
import sys
import threading
import time

import boto3
from botocore.config import Config

CALLS = 200


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


def populate(endpoint, network, group, users, threads):
    local = threading.local()

    def batch(start):
        if not hasattr(local, "client"):
            local.client = make_client(endpoint)
        r = local.client.batch_create_user(networkId=network, users=[
            {"username": f"user{i:07}@example.com", "firstName": f"First{i % 1000}", "lastName": f"Last{i % 977}",
             "securityGroupIds": [group]} for i in range(start, min(users, start + 50))])
        return [u["userId"] for u in r["successful"]]

    ids = []
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for made in pool.map(batch, range(0, users, 50)):
            ids += made
    return ids, time.perf_counter() - t0


def timings(client, network, ids):
    """Median and p99 milliseconds of each call, over CALLS calls."""
    sample = ids[:: max(1, len(ids) // CALLS)][:CALLS]
    calls = {
        "GetUser": lambda i: client.get_user(networkId=network, userId=sample[i % len(sample)]),
        "ListUsers page": lambda i: client.list_users(networkId=network, maxResults=10),
        "ListUsers filtered page": lambda i: client.list_users(networkId=network, maxResults=10,
                                                               lastName=f"Last{i % 977}", sortFields="username"),
        "toggle 50 users": lambda i: client.batch_toggle_user_suspend_status(
            networkId=network, suspend=i % 2 == 0, userIds=ids[(i * 50) % (len(ids) - 50):][:50]),
        "GetUsersCount": lambda i: client.get_users_count(networkId=network),
    }
    out = {}
    for name, call in calls.items():
        call(0)  # warm
        samples = []
        for i in range(CALLS):
            t0 = time.perf_counter()
            call(i)
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        out[name] = {"median_ms": statistics.median(samples), "p99_ms": samples[int(len(samples) * 0.99) - 1]}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id, for its peak memory")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json")
    args = parser.parse_args()
    if not 1000 <= args.users <= 2_000_000:
        sys.exit("--users must be 1000 to 2000000")
    client = make_client(args.endpoint)

    def network_of(n):
        network = client.create_network(networkName=f"scale-{n}", accessLevel="PREMIUM")["networkId"]
        group = client.list_security_groups(networkId=network)["securityGroups"][0]["id"]
        return network, group

    small, small_group = network_of(1000)
    small_ids, _ = populate(args.endpoint, small, small_group, 1000, args.threads)
    big, big_group = network_of(args.users)
    big_ids, seconds = populate(args.endpoint, big, big_group, args.users, args.threads)
    result = {"users": args.users, "create_seconds": seconds, "create_users_per_s": args.users / seconds,
              "small": timings(client, small, small_ids), "big": timings(client, big, big_ids)}
    result["peak_rss_mib"] = peak_rss_mib(args.pid)

    print(f"created {args.users} users through BatchCreateUser in {seconds:.0f} s: "
          f"{result['create_users_per_s']:.0f} users/s ({args.threads} client threads)")
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
