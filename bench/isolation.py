"""No caller can stall or exhaust the others (issue #11): another account's latency, the server's memory
and its health answer, idle and under each hostile load, side by side in one run.

The server runs as the README starts it (SQLite on disk) with two accounts. Account B, the victim,
calls ListNetworks and a 50-user BatchToggleUserSuspendStatus from two boto3 clients, one call after
another, the whole time. Account A, the attacker, in turn:
  slow-idp     8 callers of RegisterOidcConfigTest against an identity provider that answers after 4 s;
  silent-idp   8 callers against one that accepts the connection and never answers;
  trickle      500 connections, each sending a signed request with a maximal body (--max-body-bytes),
               a few KiB at a time; a connection the server ends is opened again;
  everything   all three at once.
For each phase it prints B's p50/p99 beside the idle figure, the server's peak resident memory, and
how /_local/health answered.

    python3 bench/isolation.py [--jar target/wickr-local.jar] [--seconds 15] [--connections 500]
"""
import argparse
import asyncio
import http.server
import json
import multiprocessing
import os
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import requests
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
A = ("AKIABENCHATTACKER001", "attacker-secret", "111111111111")
B = ("AKIABENCHVICTIM00002", "victim-secret", "222222222222")
REGION = "us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(port, cred, read_timeout=60):
    return boto3.client("wickr", endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                        aws_access_key_id=cred[0], aws_secret_access_key=cred[1],
                        config=Config(retries={"total_max_attempts": 1}, read_timeout=read_timeout,
                                      connect_timeout=10, max_pool_connections=4))


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


class SlowIdp(http.server.ThreadingHTTPServer):
    """An OpenID provider whose discovery document comes after `delay` seconds."""
    daemon_threads = True

    def __init__(self, delay):
        self.delay = delay
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                time.sleep(outer.delay)
                base = f"http://127.0.0.1:{outer.server_address[1]}"
                doc = json.dumps({"issuer": base, "authorization_endpoint": base + "/auth",
                                  "token_endpoint": base + "/token", "jwks_uri": base + "/jwks",
                                  "response_types_supported": ["code"], "subject_types_supported": ["public"],
                                  "id_token_signing_alg_values_supported": ["RS256"]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(doc)))
                self.end_headers()
                self.wfile.write(doc)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def handle_error(self, request, client_address):
        pass  # the server under test gave up on the answer: nothing to report


class SilentIdp:
    """Accepts connections, reads what comes, and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)


class Server:
    def __init__(self, jar, data_dir, java_options=()):
        self.port = free_port()
        cds = os.path.splitext(jar)[0] + ".jsa"
        cmd = ["java", *java_options] + ([f"-XX:SharedArchiveFile={cds}"] if os.path.exists(cds) else [])
        cmd += ["-jar", jar, "--port", str(self.port), "--data-dir", data_dir,
                "--credential", ":".join(A), "--credential", ":".join(B)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/_local/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit("the server did not start")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def rss_mib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Victim:
    """Account B's two clients, each one call after another; latencies kept per phase."""

    def __init__(self, port):
        self.clients = [client(port, B, read_timeout=120) for _ in range(2)]
        c = self.clients[0]
        self.network = c.create_network(networkName="victim", accessLevel="STANDARD")["networkId"]
        group = [g["id"] for g in c.list_security_groups(networkId=self.network)["securityGroups"] if g["isDefault"]][0]
        out = c.batch_create_user(networkId=self.network, users=[
            {"username": f"v{i}@example.com", "securityGroupIds": [group]} for i in range(50)])
        self.users = [u["userId"] for u in out["successful"]]
        self.latencies = []
        self.errors = 0
        self.running = False

    def _loop(self, c, k):
        suspend = True
        while self.running:
            t0 = time.perf_counter()
            try:
                if k % 2:
                    c.list_networks()
                else:
                    c.batch_toggle_user_suspend_status(networkId=self.network, suspend=suspend, userIds=self.users)
                    suspend = not suspend
                self.latencies.append((time.perf_counter() - t0) * 1000)
            except Exception:  # noqa: BLE001 - counted, the figure says how many
                self.errors += 1
            k += 1

    def measure(self, seconds):
        self.latencies, self.errors, self.running = [], 0, True
        threads = [threading.Thread(target=self._loop, args=(c, i), daemon=True) for i, c in enumerate(self.clients)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.running = False
        for t in threads:
            t.join(timeout=180)
        return list(self.latencies), self.errors


class IdpCallers:
    """Account A calling RegisterOidcConfigTest against `issuer`, from `n` threads, until stopped."""

    def __init__(self, port, network, issuer, n=8):
        self.clients = [client(port, A, read_timeout=300) for _ in range(n)]
        self.network, self.issuer = network, issuer
        self.calls = 0
        self.running = False
        self.threads = []

    def _loop(self, c):
        while self.running:
            try:
                c.register_oidc_config_test(networkId=self.network, issuer=self.issuer, scopes="openid")
            except Exception:  # noqa: BLE001 - the attacker's own answers do not matter here
                pass
            self.calls += 1

    def start(self):
        self.running = True
        self.threads = [threading.Thread(target=self._loop, args=(c,), daemon=True) for c in self.clients]
        for t in self.threads:
            t.start()

    def stop(self):
        self.running = False


class Tricklers:
    """`n` connections, each sending a signed POST with a body of `size` bytes, `step` bytes at a time."""

    def __init__(self, port, network, n, size, step=4096, pause=0.1):
        self.port, self.n, self.step, self.pause = port, n, step, pause
        body = json.dumps({"users": [], "padding": "x" * (size - 30)}).encode()[:size]
        req = botocore.awsrequest.AWSRequest(method="POST", url=f"http://127.0.0.1:{port}/networks/{network}/users",
                                             data=body, headers={"Content-Type": "application/json"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(A[0], A[1]), "wickr", REGION).add_auth(req)
        p = req.prepare()
        path = p.url.split(f":{port}", 1)[1]
        headers = {k: v for k, v in p.headers.items() if k.lower() != "content-length"}
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items() if k.lower() != "host")
        self.head = (head + f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.body = body
        self.open = 0
        self.peak_open = 0
        self.ended_by_server = 0
        self.loop = None
        self.stopping = None

    async def _one(self):
        while not self.stopping.is_set():
            writer = None
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.open += 1
                self.peak_open = max(self.peak_open, self.open)
                writer.write(self.head)
                sent = 0
                while sent < len(self.body) and not self.stopping.is_set():
                    writer.write(self.body[sent:sent + self.step])
                    sent += self.step
                    await writer.drain()
                    await asyncio.sleep(self.pause)
                    if reader.at_eof():
                        break
                if not self.stopping.is_set():
                    await asyncio.wait_for(reader.read(4096), timeout=1)
                    self.ended_by_server += 1
            except (OSError, asyncio.TimeoutError):
                if not self.stopping.is_set():
                    self.ended_by_server += 1
                await asyncio.sleep(0.2)
            finally:
                if writer is not None:
                    self.open -= 1
                    writer.close()

    def _run(self):
        self.loop = asyncio.new_event_loop()
        self.stopping = asyncio.Event()

        async def main():
            await asyncio.gather(*(self._one() for _ in range(self.n)))
        self.loop.run_until_complete(main())

    def start(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        time.sleep(2)  # let the connections open

    def stop(self):
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(timeout=60)


def watch(server, seconds_holder):
    """Samples the server's memory and health every half second while the phase runs."""
    out = {"rss_peak": 0.0, "health_ok": 0, "health_asked": 0, "health_slowest_ms": 0.0}
    stop = threading.Event()

    def run():
        while not stop.is_set():
            out["rss_peak"] = max(out["rss_peak"], server.rss_mib())
            out["health_asked"] += 1
            t0 = time.perf_counter()
            try:
                if requests.get(server.url + "/_local/health", timeout=5).status_code == 200:
                    out["health_ok"] += 1
            except requests.RequestException:
                pass
            out["health_slowest_ms"] = max(out["health_slowest_ms"], (time.perf_counter() - t0) * 1000)
            stop.wait(0.5)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return out, lambda: (stop.set(), t.join(timeout=10))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(ROOT, "target", "wickr-local.jar"))
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--body-bytes", type=int, default=1024 * 1024, help="the server's --max-body-bytes")
    ap.add_argument("--phases", default="idle,slow-idp,silent-idp,trickle,everything")
    ap.add_argument("--java-option", action="append", default=[],
                    help="an option for the server's JVM, such as -Xmx256m (repeatable)")
    args = ap.parse_args()

    data = tempfile.mkdtemp(prefix="wl-isolation-")
    server = Server(args.jar, data, args.java_option)
    try:
        victim = Victim(server.port)
        attacker_net = client(server.port, A).create_network(networkName="attacker", accessLevel="STANDARD")["networkId"]
        victim.measure(2)  # warm-up, not reported
        print(f"# bench/isolation.py  jar={os.path.relpath(args.jar, ROOT)}  java options={args.java_option or 'none'}"
              f"  seconds={args.seconds}  connections={args.connections}  body={args.body_bytes}"
              f"  load average {os.getloadavg()[0]:.2f}")
        print(f"{'phase':<11} {'B calls':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'p99/idle':>8}"
              f" {'RSS peak MiB':>12} {'health ok':>10} {'health max ms':>13}  attacker")
        idle_p99 = None
        for phase in args.phases.split(","):
            # The attacker runs in a process of its own, so that its load does not slow the victim's client.
            stop, results, ready = multiprocessing.Event(), multiprocessing.Queue(), multiprocessing.Event()
            attacker = multiprocessing.Process(target=attack, args=(phase, server.port, attacker_net,
                                                                    args.connections, args.body_bytes, stop, ready,
                                                                    results))
            attacker.start()
            ready.wait(30)
            sample, stop_watch = watch(server, None)
            lat, errors = victim.measure(args.seconds)
            stop_watch()
            stop.set()
            note = results.get(timeout=120)
            attacker.join(timeout=60)
            p50, p99 = percentile(lat, 50), percentile(lat, 99)
            if phase == "idle":
                idle_p99 = p99
            ratio = p99 / idle_p99 if idle_p99 else float("nan")
            print(f"{phase:<11} {len(lat):>8} {errors:>6} {p50:>8.1f} {p99:>8.1f} {ratio:>8.2f}"
                  f" {sample['rss_peak']:>12.0f} {sample['health_ok']:>4}/{sample['health_asked']:<5}"
                  f" {sample['health_slowest_ms']:>13.0f}  {note}", flush=True)
            time.sleep(1)
    finally:
        server.stop()


def attack(phase, port, network, connections, body_bytes, stop, ready, results):
    """One phase's hostile load, in a process of its own, until `stop` is set; puts a summary on `results`."""
    slow, silent = SlowIdp(4.0), SilentIdp()
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    loads = []
    if phase in ("slow-idp", "everything"):
        loads.append(IdpCallers(port, network, f"http://127.0.0.1:{slow.server_address[1]}"))
    if phase in ("silent-idp", "everything"):
        loads.append(IdpCallers(port, network, f"http://127.0.0.1:{silent.port}"))
    trick = None
    if phase in ("trickle", "everything"):
        trick = Tricklers(port, network, connections, body_bytes)
        loads.append(trick)
    for load in loads:
        load.start()
    ready.set()
    stop.wait()
    for load in loads:
        load.stop()
    note = ""
    idp = sum(load.calls for load in loads if isinstance(load, IdpCallers))
    if idp:
        note += f"{idp} IdP calls finished; "
    if trick:
        note += f"{trick.peak_open} connections open at most, {trick.ended_by_server} ended by the server"
    results.put(note)
    results.close()
    results.join_thread()  # the summary is written before leaving
    os._exit(0)  # the attacker's threads still hang on the silent provider: leave without waiting


if __name__ == "__main__":
    sys.exit(main())
