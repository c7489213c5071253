"""Figure 2 and 4 of the benchmarks: Wickr Local beside moto, the leading AWS emulator, on this machine.

moto has no Wickr, so both run the same user-level job: suspend N existing users from one boto3
client process. Wickr Local uses BatchToggleUserSuspendStatus (50 users a call, and 1 a call for the
per-request comparison); moto uses Cognito's AdminDisableUser, one user a call. Also measured: process
start to the first successful signed API call, for each server.

    python3 bench/peer_comparison.py --users 10000 --json out.json
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "wickr-local.jar")
CDS = os.path.join(ROOT, "target", "wickr-local.jsa")
NO_RETRY = Config(retries={"total_max_attempts": 1}, max_pool_connections=4)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wickr_local(port, data_dir):
    """The server as the README starts it: SQLite on disk, every commit synced. data_dir None: in memory."""
    cmd = ["java"]
    if os.path.exists(CDS):
        cmd.append(f"-XX:SharedArchiveFile={CDS}")
    cmd += ["-jar", JAR, "--port", str(port)] + (["--in-memory"] if data_dir is None else ["--data-dir", data_dir])
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def moto(port):
    return subprocess.Popen([shutil.which("moto_server") or "moto_server", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def client(service, port):
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=NO_RETRY)


class _CannedBody:
    def __init__(self, body):
        self.body = body

    def stream(self, **_):
        yield self.body


def boto3_floor_ms(batch, calls=2000):
    """Milliseconds boto3 spends on one BatchToggleUserSuspendStatus call of `batch` users when the answer
    comes from inside the client: no socket, no server. No server can be called faster through boto3."""
    ids = [str(10_000_000 + i) for i in range(batch)]
    body = json.dumps({"message": f"Suspended {batch} users", "successful": [{"userId": i} for i in ids],
                       "failed": []}).encode()
    wl = client("wickr", free_port())
    wl.meta.events.register("before-send.wickr", lambda request, **_: AWSResponse(
        request.url, 200, {"content-type": "application/json"}, _CannedBody(body)))
    wl.batch_toggle_user_suspend_status(networkId="12345678", suspend=True, userIds=ids)
    t0 = time.perf_counter()
    for _ in range(calls):
        wl.batch_toggle_user_suspend_status(networkId="12345678", suspend=True, userIds=ids)
    return (time.perf_counter() - t0) / calls * 1000


def first_call_after_start(start, call, limit=60):
    """Seconds from starting the process to the first call that succeeds."""
    t0 = time.perf_counter()
    process = start()
    while True:
        try:
            call()
            return process, time.perf_counter() - t0
        except Exception:  # noqa: BLE001 - not up yet
            if time.perf_counter() - t0 > limit:
                process.kill()
                raise
            time.sleep(0.005)


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def wickr_users(wl, users):
    """A new network with `users` users: its id and theirs."""
    network = wl.create_network(networkName="bench", accessLevel="STANDARD")["networkId"]
    group = wl.list_security_groups(networkId=network)["securityGroups"][0]["id"]
    ids = []
    for start in range(0, users, 50):
        made = wl.batch_create_user(networkId=network, users=[
            {"username": f"u{i}@example.com", "securityGroupIds": [group]} for i in range(start, min(users, start + 50))])
        ids += [u["userId"] for u in made["successful"]]
    return network, ids


def suspend_all(wl, network, ids, per_call, suspend=True):
    """Seconds to (un)suspend every user, per_call users a call, one call after the other."""
    t0 = time.perf_counter()
    for start in range(0, len(ids), per_call):
        wl.batch_toggle_user_suspend_status(networkId=network, suspend=suspend,
                                            userIds=ids[start:start + per_call])
    return time.perf_counter() - t0


def run(users):
    results = {"users": users}
    # Clients are made before the clocks start: creating one costs boto3 a moment on its own.
    wl_port, moto_port = free_port(), free_port()
    wl, cognito = client("wickr", wl_port), client("cognito-idp", moto_port)
    data_dir = tempfile.mkdtemp(prefix="wickr-bench-")

    wl_proc, results["wickr_local_start_s"] = first_call_after_start(lambda: wickr_local(wl_port, data_dir),
                                                                     lambda: wl.list_networks())
    moto_proc, results["moto_start_s"] = first_call_after_start(lambda: moto(moto_port),
                                                                lambda: cognito.list_user_pools(MaxResults=1))
    try:
        network, ids = wickr_users(wl, users)
        pool = cognito.create_user_pool(PoolName="bench")["UserPool"]["Id"]
        for i in range(users):
            cognito.admin_create_user(UserPoolId=pool, Username=f"u{i}")

        results["wickr_local_job_s"] = suspend_all(wl, network, ids, 50)
        results["wickr_local_one_per_call_s"] = suspend_all(wl, network, ids, 1, suspend=False)
        # The same job again, now that the 10,000 calls before it have had the JIT compile the server's
        # code: a fresh JVM interprets its first few hundred calls. moto (CPython) has no such phase.
        results["wickr_local_warm_job_s"] = suspend_all(wl, network, ids, 50)

        t0 = time.perf_counter()
        for i in range(users):
            cognito.admin_disable_user(UserPoolId=pool, Username=f"u{i}")
        results["moto_job_s"] = time.perf_counter() - t0
    finally:
        stop(wl_proc)
        stop(moto_proc)
        shutil.rmtree(data_dir, ignore_errors=True)
    # The same job on a server whose store lives in memory: the difference is what waiting for the
    # disk to confirm each commit costs a client that sends one call at a time.
    memory_port = free_port()
    memory = client("wickr", memory_port)
    memory_proc, _ = first_call_after_start(lambda: wickr_local(memory_port, None), lambda: memory.list_networks())
    try:
        memory_network, memory_ids = wickr_users(memory, users)
        results["wickr_local_in_memory_job_s"] = suspend_all(memory, memory_network, memory_ids, 50)
        suspend_all(memory, memory_network, memory_ids, 1, suspend=False)
        results["wickr_local_in_memory_warm_job_s"] = suspend_all(memory, memory_network, memory_ids, 50)
    finally:
        stop(memory_proc)

    results["boto3_floor_50_ms"] = boto3_floor_ms(50)
    results["boto3_floor_1_ms"] = boto3_floor_ms(1)
    calls = (users + 49) // 50
    results["job_ratio_ceiling"] = results["moto_job_s"] / (calls * results["boto3_floor_50_ms"] / 1000)
    results["job_ratio"] = results["moto_job_s"] / results["wickr_local_job_s"]
    results["in_memory_job_ratio"] = results["moto_job_s"] / results["wickr_local_in_memory_job_s"]
    results["warm_job_ratio"] = results["moto_job_s"] / results["wickr_local_warm_job_s"]
    results["in_memory_warm_job_ratio"] = results["moto_job_s"] / results["wickr_local_in_memory_warm_job_s"]
    results["per_request_ratio"] = results["moto_job_s"] / results["wickr_local_one_per_call_s"]
    results["start_ratio"] = results["moto_start_s"] / results["wickr_local_start_s"]
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if not 50 <= args.users <= 100_000:
        sys.exit("--users must be 50 to 100000")
    results = run(args.users)
    print(f"suspend {results['users']} users from one boto3 process:")
    print(f"  Wickr Local, 50 a call : {results['wickr_local_job_s']:8.2f} s")
    print(f"  Wickr Local, 1 a call  : {results['wickr_local_one_per_call_s']:8.2f} s")
    print(f"  moto, 1 a call         : {results['moto_job_s']:8.2f} s")
    print(f"  Wickr Local, 50 a call, warm     : {results['wickr_local_warm_job_s']:8.2f} s"
          f" (again, after 10,000 calls)")
    print(f"  Wickr Local in memory, 50 a call : {results['wickr_local_in_memory_job_s']:8.2f} s cold,"
          f" {results['wickr_local_in_memory_warm_job_s']:.2f} s warm (no commit waits for the disk)")
    print(f"  job ratio (moto / Wickr Local 50 a call)        : {results['job_ratio']:.1f}x cold,"
          f" {results['warm_job_ratio']:.1f}x warm")
    print(f"  job ratio, Wickr Local in memory                : {results['in_memory_job_ratio']:.1f}x cold,"
          f" {results['in_memory_warm_job_ratio']:.1f}x warm")
    print(f"  per-request ratio (moto / Wickr Local 1 a call) : {results['per_request_ratio']:.2f}x")
    print(f"boto3's own cost per call, answered inside the client (no socket, no server):"
          f" {results['boto3_floor_50_ms']:.2f} ms for 50 users, {results['boto3_floor_1_ms']:.2f} ms for 1")
    print(f"  so no server can show a job ratio above {results['job_ratio_ceiling']:.1f}x here;"
          f" warm, Wickr Local reached {results['warm_job_ratio'] / results['job_ratio_ceiling'] * 100:.0f} %"
          f" of that ceiling")
    print(f"start to first signed call: Wickr Local {results['wickr_local_start_s']:.3f} s,"
          f" moto {results['moto_start_s']:.3f} s ({results['start_ratio']:.1f}x)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f)


if __name__ == "__main__":
    main()
