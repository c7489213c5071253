"""Nodes that ride out a database that crashes, restarts, goes away for a while or starts late (issue #18).

Each test runs a PostgreSQL server of its own (tools/local-postgres.sh), so that it may stop and crash it.
Runs in the PostgreSQL pass of the suite (WICKR_STORE=postgresql).

- A node started before its database waits for it (--db-wait), printing one line per attempt, with
  /_local/health and /_local/ready answering 503 {"status": "starting"} at once meanwhile; then serves.
- A database that never comes ends the start with exit status 2 and one clear line, no stack trace.
- Two nodes under toggle load through a restart, a crash (SIGKILL of the postmaster), a stop of 6 s and
  every session terminated: the crash-style checks of test_crash.py, pointed at the database: every
  acknowledged batch is there, none is applied in part, a repeated token answers its first answer and
  changes nothing; readiness says 503 while the database is away while liveness stays 200; each node
  serves again within a few seconds of the database accepting connections (bench/db_faults.sh measures
  it: about a tenth to a third of a second).
"""
import re
import subprocess
import threading
import time
import uuid

import botocore.exceptions
import pytest
import requests

import reliability_helpers as rh
import wlhelpers as wl

pytestmark = pytest.mark.skipif(wl.STORE != "postgresql",
                                reason="needs PostgreSQL's binaries, as the PostgreSQL pass does")

SET_SIZE = 50
SETS = 4
# Generous against the ~0.3 s measured, for a machine busy with other builds; the code before these
# changes took up to 5 s (HikariCP's reconnect back-off).
SERVE_AGAIN_BOUND_S = 3.0


@pytest.fixture
def cluster():
    db = wl.PostgresCluster()
    yield db
    db.remove()


def _waiting_lines(text, port):
    return re.findall(rf"^wickr-local: waiting for PostgreSQL at 127\.0\.0\.1:{port} \(attempt (\d+)\): (.+)$",
                      text, re.MULTILINE)


def test_a_node_started_before_its_database_waits_for_it_then_serves(cluster, log_dir, tmp_path):
    node = wl.ServerProcess(log_dir, ["--database", cluster.url("postgres"), "--db-wait", "60",
                                      "--secrets-key-file", str(tmp_path / "secrets.key")], name="late-db")
    node.launch()
    try:
        deadline = time.monotonic() + 20
        answered = None
        while time.monotonic() < deadline and answered is None:
            try:
                answered = requests.get(node.url + "/_local/health", timeout=1)
            except requests.RequestException:
                time.sleep(0.1)
        assert answered is not None, f"the port never opened:\n{node.log_tail()}"
        assert answered.status_code == 503 and answered.json() == {"status": "starting"}, answered.text
        ready = requests.get(node.url + "/_local/ready", timeout=1)
        assert ready.status_code == 503 and ready.json() == {"status": "starting"}, ready.text
        while time.monotonic() < deadline and len(_waiting_lines(node.log_tail(200), cluster.port)) < 2:
            time.sleep(0.1)
        lines = _waiting_lines(node.log_tail(200), cluster.port)
        assert len(lines) >= 2, node.log_tail()
        assert lines[0] == ("1", "connection refused") and lines[1][0] == "2", lines
        assert node.proc.poll() is None, "the node gave up before --db-wait"

        cluster.start()
        node.wait_healthy(30)
        assert requests.get(node.url + "/_local/ready", timeout=5).status_code == 200
        client = node.endpoint().client()
        network_id = wl.new_network(client)
        assert client.get_network(networkId=network_id)["networkId"] == network_id
        log = node.log_tail(400)
        assert "Exception" not in log and "\tat " not in log, log
    finally:
        node.stop()


def test_a_database_that_never_comes_ends_the_start_with_exit_2_and_one_line(log_dir, tmp_path):
    closed = wl.free_port()
    r = subprocess.run([wl.java_cmd(), "-jar", str(wl.jar_path()), "--port", str(wl.free_port()),
                        "--database", f"postgresql://127.0.0.1:{closed}/wickr?user=wickr", "--db-wait", "2",
                        "--secrets-key-file", str(tmp_path / "secrets.key")],
                       capture_output=True, text=True, timeout=60, cwd=str(log_dir))
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    lines = r.stderr.strip().splitlines()
    assert lines, out
    assert re.fullmatch(rf"wickr-local: gave up waiting for PostgreSQL at 127\.0\.0\.1:{closed} after 2 s and "
                        rf"\d+ attempts: connection refused \(--db-wait 2\)", lines[-1]), out
    waiting = _waiting_lines(r.stderr, closed)
    assert waiting and len(waiting) == len(lines) - 1, out
    assert [int(n) for n, _ in waiting] == list(range(1, len(waiting) + 1)), out
    assert "Exception" not in out and "\tat " not in out, out
    assert r.stdout == "", out


class _Toggler:
    """One client and its 50 users, on one node: toggles them back and forth, each call with its own
    token; an error answer or a broken connection is sent again with the same token, as the AWS clients
    do (a 5xx from a database fault is an answer the client retries, not a failure here)."""

    def __init__(self, index, url, network_id, user_ids):
        self.index, self.url, self.network_id, self.user_ids = index, url, network_id, user_ids
        self.state = False
        self.last = None
        self.first = None
        self.acks = 0
        self.resent = 0
        self.errors = []
        self.stop = threading.Event()
        self.thread = None

    def start(self):
        self.stop.clear()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"db-faults-{self.index}")
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(timeout=120)
        assert not self.thread.is_alive(), f"client {self.index} hung"

    def _run(self):
        c = rh.new_client(self.url)
        while not self.stop.is_set():
            suspend = not self.state
            token = f"dbf-{self.index}-{uuid.uuid4().hex}"
            give_up = time.monotonic() + 90
            while True:
                try:
                    answer = wl.strip_meta(c.batch_toggle_user_suspend_status(
                        networkId=self.network_id, suspend=suspend, userIds=self.user_ids, clientToken=token))
                    break
                except botocore.exceptions.ClientError as e:
                    if e.response["ResponseMetadata"]["HTTPStatusCode"] < 500:
                        self.errors.append(f"client {self.index}: {e.response}")
                        return
                except (botocore.exceptions.BotoCoreError, requests.RequestException, OSError):
                    pass
                if time.monotonic() > give_up:
                    self.errors.append(f"client {self.index}: no answer for 90 s")
                    return
                self.resent += 1
                time.sleep(0.05)
            if sorted(u["userId"] for u in answer.get("successful", [])) != sorted(self.user_ids):
                self.errors.append(f"client {self.index}: not every user succeeded: {answer}")
                return
            self.state, self.last = suspend, (token, suspend, answer)
            self.first = self.first or self.last
            self.acks += 1


class _Probe:
    """Per node: a cheap signed call after another, and /_local/ready and /_local/health beside."""

    def __init__(self, url):
        self.url = url
        self.calls, self.ready, self.health = [], [], []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._calls, daemon=True),
                        threading.Thread(target=self._probes, daemon=True)]
        for t in self.threads:
            t.start()

    def _calls(self):
        c = rh.new_client(self.url)
        while not self.stop.is_set():
            sent = time.monotonic()
            try:
                c.list_networks(maxResults=1)
                ok = True
            except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
                ok = False
            self.calls.append((sent, time.monotonic(), ok))
            self.stop.wait(0.02)

    def _probes(self):
        while not self.stop.is_set():
            for path, into in (("/_local/ready", self.ready), ("/_local/health", self.health)):
                at = time.monotonic()
                try:
                    r = requests.get(self.url + path, timeout=5)
                    into.append((at, time.monotonic() - at, r.status_code, r.text))
                except requests.RequestException as e:
                    into.append((at, time.monotonic() - at, None, repr(e)))
            self.stop.wait(0.1)

    def serving_after(self, fault_at, since):
        for sent, done, ok in list(self.calls):
            if ok and sent >= fault_at and done >= since:
                return max(0.0, done - since)
        return None

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)


def _suspended(client, network_id):
    return rh.suspended_states(client, network_id)


def test_two_nodes_ride_out_a_restart_a_crash_a_long_stop_and_terminated_sessions(cluster, log_dir, tmp_path):
    cluster.start()
    key = ["--secrets-key-file", str(tmp_path / "secrets.key")]
    nodes = [wl.ServerProcess(log_dir, ["--database", cluster.url()] + key, name="dbf-node1").start()]
    nodes.append(wl.ServerProcess(log_dir, ["--database", cluster.url()] + key, name="dbf-node2").start())
    probes = []
    try:
        admin = nodes[0].endpoint().client()
        network_id = wl.new_network(admin)
        users = [u["userId"] for u in wl.create_users(admin, network_id, SETS * SET_SIZE)]
        togglers = [_Toggler(i, nodes[i % 2].url, network_id, users[i * SET_SIZE:(i + 1) * SET_SIZE])
                    for i in range(SETS)]
        probes = [_Probe(n.url) for n in nodes]
        report = []
        for fault in ("restart", "crash", "stop-6s", "terminate"):
            for t in togglers:
                t.start()
            time.sleep(1.5)
            fault_at = time.monotonic()
            if fault == "restart":
                cluster.stop("fast")
            elif fault == "crash":
                cluster.crash()
            elif fault == "stop-6s":
                cluster.stop("immediate")
                time.sleep(6)
            else:
                cluster.terminate_sessions()
            if fault != "terminate":
                down_until = time.monotonic()
                starting = threading.Thread(target=cluster.start, daemon=True)
                starting.start()
                while not cluster.accepting() and starting.is_alive():
                    time.sleep(0.005)
                accepted_at = time.monotonic()
                starting.join(timeout=90)
                assert cluster.accepting(), f"{fault}: PostgreSQL did not start again"
            else:
                down_until = accepted_at = fault_at
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and any(p.serving_after(fault_at, accepted_at) is None for p in probes):
                time.sleep(0.05)
            serving = [p.serving_after(fault_at, accepted_at) for p in probes]
            time.sleep(1.0)
            for t in togglers:
                t.finish()
            errors = [e for t in togglers for e in t.errors]
            assert not errors, f"{fault}: {errors[:3]}"

            # The crash-style checks: nothing acknowledged lost, nothing applied in part, a repeated token
            # answers its first answer and changes nothing.
            states = _suspended(admin, network_id)
            for t in togglers:
                values = {states[u] for u in t.user_ids}
                assert len(values) == 1, f"{fault}: set {t.index} is partly applied: {sorted(values)}"
                assert values == {t.state}, \
                    f"{fault}: set {t.index} shows suspended={values.pop()}, its last acknowledged batch {t.state}"
                for token, suspend, answer in (t.last, t.first):
                    again = wl.strip_meta(admin.batch_toggle_user_suspend_status(
                        networkId=network_id, suspend=suspend, userIds=t.user_ids, clientToken=token))
                    assert again == answer, f"{fault}: token {token} answered differently:\n{answer}\n{again}"
            states = _suspended(admin, network_id)
            for t in togglers:
                assert {states[u] for u in t.user_ids} == {t.state}, f"{fault}: a repeated token changed set {t.index}"

            # Readiness told the truth while the database was away; liveness stayed up and fast.
            for i, p in enumerate(probes):
                during = [(code, text) for at, _, code, text in p.ready if fault_at + 0.5 <= at <= down_until]
                if fault == "stop-6s":
                    assert any(code == 503 and "unreachable" in text for code, text in during), \
                        f"node {i + 1}: readiness never said the database was unreachable: {during[-5:]}"
                health = [(code, took) for at, took, code, _ in p.health if at >= fault_at]
                assert all(code == 200 for code, _ in health), f"node {i + 1}: health during {fault}: {health[:5]}"
                assert max(took for _, took in health) < 1.0, f"node {i + 1}: a slow health answer: {health}"
                assert serving[i] is not None, f"{fault}: node {i + 1} never served again"
                assert serving[i] < SERVE_AGAIN_BOUND_S, \
                    f"{fault}: node {i + 1} served again {serving[i]:.2f} s after the database accepted connections"
                assert p.ready and p.ready[-1][2] == 200, f"node {i + 1}: not ready after {fault}: {p.ready[-1]}"
            report.append(f"{fault}: database down {down_until - fault_at:.1f} s, nodes serving again after "
                          + ", ".join(f"{s * 1000:.0f} ms" for s in serving)
                          + f"; {sum(t.acks for t in togglers)} batches acknowledged so far, "
                            f"{sum(t.resent for t in togglers)} resent")
        print("\n" + "\n".join(report))
    finally:
        for p in probes:
            p.close()
        for n in nodes:
            n.stop()
