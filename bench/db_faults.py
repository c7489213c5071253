"""How fast nodes serve again after their PostgreSQL fails, and that nothing acknowledged is lost (issue #18).

Run by bench/db_faults.sh, which starts PostgreSQL (tools/local-postgres.sh, fsync on) and two nodes on it.
Six clients (each its own boto3 client, no automatic retries, and its own 50 users, half of them on each
node) keep sending 50-user BatchToggleUserSuspendStatus calls, alternating suspend and unsuspend, each with
its own client token; an error answer or a broken connection is sent again with the same token, as the AWS
clients do. One probe per node sends a ListNetworks every 20 ms. Then, one after the other:

  restart     pg_ctl stop -m fast, then start again at once
  crash       SIGKILL of the postmaster (its other processes exit when they notice), then start again
  stop-10s    pg_ctl stop -m immediate, 10 s with no database (past the 5 s after which nodes refuse
              calls at once with 503), then start again
  terminate   pg_terminate_backend of every client session; the server stays up

For each it prints: how long the database took to accept connections again (from the fault), how long
after that (after the sessions were ended, for terminate) each node served a call again (the end of the
first successful probe sent after the fault) and answered /_local/ready with 200, and, with the load
stopped, how many of the batches acknowledged meanwhile are not what the users show (lost), how many
sets of 50 users disagree (a batch applied in part), whether the last acknowledged token of each client
answers its first answer again, and how many calls the clients sent again after an error answer (a 503
once the database has been away for 5 s, a 500 for a call that stopped waiting).

    bench/db_faults.sh                 (builds nothing: run mvn -q -DskipTests package first)
"""
import argparse
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid

import boto3
import botocore.exceptions
import requests
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = os.path.join(ROOT, "tools", "local-postgres.sh")
SET_SIZE = 50


def client(url):
    return boto3.session.Session().client(
        "wickr", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=60))


def accepting(port):
    """True when PostgreSQL on the port completes a start-up exchange (trust authentication: 'R')."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            params = b"user\0wickr\0database\0wickr\0\0"
            s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
            s.settimeout(0.5)
            return s.recv(1) == b"R"
    except OSError:
        return False


class Probe(threading.Thread):
    """Sends a cheap signed call, one after the other, and keeps (sent, done, ok) of each."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.calls = []
        self.ready = []          # (time, ok) of /_local/ready answers
        self.stop = threading.Event()

    def run(self):
        threading.Thread(target=self.poll_ready, daemon=True).start()
        c = client(self.url)
        while not self.stop.is_set():
            sent = time.monotonic()
            try:
                c.list_networks(maxResults=1)
                ok = True
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
                ok = False
            self.calls.append((sent, time.monotonic(), ok))
            self.stop.wait(0.02)

    def poll_ready(self):
        while not self.stop.is_set():
            try:
                r = requests.get(self.url + "/_local/ready", timeout=5)
                self.ready.append((time.monotonic(), r.status_code == 200))
            except requests.RequestException:
                self.ready.append((time.monotonic(), False))
            self.stop.wait(0.02)

    def serving_after(self, fault_at, since):
        """Seconds from `since` to the end of the first successful call sent at or after `fault_at`."""
        for sent, done, ok in list(self.calls):
            if ok and sent >= fault_at and done >= since:
                return max(0.0, done - since)
        return None

    def ready_after(self, since):
        for at, ok in list(self.ready):
            if ok and at >= since:
                return at - since
        return None


class Toggler:
    """One client and its 50 users: toggles them back and forth, resending on failure with the same token."""

    def __init__(self, index, url, network_id, user_ids):
        self.index, self.url, self.network_id, self.user_ids = index, url, network_id, user_ids
        self.state = False
        self.last = None           # (token, suspend, answer) of the last acknowledged batch
        self.acks = 0
        self.resent = 0
        self.errors = []
        self.stop = threading.Event()
        self.thread = None

    def start(self):
        self.stop.clear()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=120)

    def run(self):
        c = client(self.url)
        while not self.stop.is_set():
            suspend = not self.state
            token = f"dbf-{self.index}-{uuid.uuid4().hex}"
            for attempt in range(1, 200):
                try:
                    r = c.batch_toggle_user_suspend_status(networkId=self.network_id, suspend=suspend,
                                                           userIds=self.user_ids, clientToken=token)
                    break
                except botocore.exceptions.ClientError as e:
                    if e.response["ResponseMetadata"]["HTTPStatusCode"] < 500:
                        self.errors.append(f"client {self.index}: {e}")
                        return
                except botocore.exceptions.BotoCoreError:
                    pass
                self.resent += 1
                time.sleep(0.05)
            else:
                self.errors.append(f"client {self.index}: no answer after 200 attempts")
                return
            r.pop("ResponseMetadata", None)
            if len(r.get("successful", [])) != SET_SIZE:
                self.errors.append(f"client {self.index}: not every user succeeded: {r}")
                return
            self.state, self.last = suspend, (token, suspend, r)
            self.acks += 1


def suspended(c, network_id):
    out, token = {}, None
    while True:
        kw = {"networkId": network_id, "maxResults": 100}
        if token:
            kw["nextToken"] = token
        page = c.list_users(**kw)
        for u in page.get("users", []):
            out[u["userId"]] = u["suspended"]
        token = page.get("nextToken")
        if not token:
            return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg-dir", required=True)
    ap.add_argument("--pg-port", type=int, required=True)
    ap.add_argument("--nodes", required=True, help="comma-separated base URLs")
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--faults", default="restart,crash,stop-10s,terminate")
    ap.add_argument("--between", type=float, default=3.0, help="seconds of load before each fault")
    args = ap.parse_args()
    nodes = args.nodes.split(",")

    admin = client(nodes[0])
    network_id = admin.create_network(networkName="db-faults", accessLevel="STANDARD")["networkId"]
    group = admin.list_security_groups(networkId=network_id)["securityGroups"][0]["id"]
    sets = []
    for i in range(args.clients):
        made = admin.batch_create_user(networkId=network_id, users=[
            {"username": f"c{i}-u{j}@example.com", "securityGroupIds": [group]} for j in range(SET_SIZE)])
        sets.append([u["userId"] for u in made["successful"]])
    probes = [Probe(url) for url in nodes]
    for p in probes:
        p.start()
    print(f"# bench/db_faults.py  {len(nodes)} nodes, {args.clients} clients x {SET_SIZE} users, PostgreSQL fsync on,"
          f" load average {os.getloadavg()[0]:.2f}")
    togglers = [Toggler(i, nodes[i % len(nodes)], network_id, sets[i]) for i in range(args.clients)]
    failed = False
    acks_before = resent_before = 0
    for fault in args.faults.split(","):
        for t in togglers:
            t.start()
        time.sleep(args.between)
        fault_at = time.monotonic()
        if fault == "restart":
            subprocess.run(["bash", PG, "stop", args.pg_dir, "fast"], check=True)
        elif fault == "crash":
            subprocess.run(["bash", PG, "crash", args.pg_dir], check=True)
        elif fault.startswith("stop-"):
            subprocess.run(["bash", PG, "stop", args.pg_dir, "immediate"], check=True)
            time.sleep(float(fault[len("stop-"):].rstrip("s")))
        elif fault == "terminate":
            subprocess.run(["bash", PG, "terminate", args.pg_dir], check=True, stdout=subprocess.DEVNULL)
        else:
            raise SystemExit(f"unknown fault {fault}")
        if fault != "terminate":
            starting = subprocess.Popen(["bash", PG, "start", args.pg_dir, str(args.pg_port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while not accepting(args.pg_port):
                time.sleep(0.005)
            accepted_at = time.monotonic()
            starting.wait(timeout=60)
        else:
            accepted_at = time.monotonic()  # every session is gone once the command returns
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(p.serving_after(fault_at, accepted_at) is None for p in probes):
            time.sleep(0.05)
        time.sleep(1.5)
        for t in togglers:
            t.stop.set()
        for t in togglers:
            t.finish()
        states = suspended(admin, network_id)
        lost = sum(1 for t in togglers if t.last and any(states[u] != t.last[1] for u in t.user_ids)
                   and len({states[u] for u in t.user_ids}) == 1)
        partial = sum(1 for t in togglers if len({states[u] for u in t.user_ids}) != 1)
        repeats_changed = 0
        for t in togglers:
            token, suspend, answer = t.last
            again = admin.batch_toggle_user_suspend_status(networkId=network_id, suspend=suspend,
                                                           userIds=t.user_ids, clientToken=token)
            again.pop("ResponseMetadata", None)
            repeats_changed += again != answer
        errors = [e for t in togglers for e in t.errors]
        serving = [p.serving_after(fault_at, accepted_at) for p in probes]
        ready = [p.ready_after(accepted_at) for p in probes]
        ms = lambda s: "never" if s is None else f"{s * 1000:.0f} ms"
        print(f"{fault:<10} database ready after {ms(accepted_at - fault_at) if fault != 'terminate' else 'n/a (stays up)'};"
              + "".join(f" node {i + 1} serving again after {ms(s)} (ready after {ms(r)});"
                        for i, (s, r) in enumerate(zip(serving, ready)))
              + f" acknowledged batches {sum(t.acks for t in togglers) - acks_before}, lost {lost}, partial {partial},"
              f" repeated tokens answered differently {repeats_changed};"
              f" calls resent with their token {sum(t.resent for t in togglers) - resent_before}")
        acks_before, resent_before = sum(t.acks for t in togglers), sum(t.resent for t in togglers)
        if errors:
            print("  errors:", errors[:3])
        failed |= bool(lost or partial or repeats_changed or errors or None in serving)
    for p in probes:
        p.stop.set()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
