"""Shared helpers for the Wickr Local conformance suite.

Everything here talks to the server strictly from the outside: a real boto3
client for well-formed calls, and SigV4-signed (or deliberately unsigned /
mis-signed) raw HTTP requests for input that boto3 would reject client-side.
"""
from __future__ import annotations

import contextlib
import datetime
import itertools
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from unittest import mock

# A missing boto3/botocore/requests must make the suite FAIL, never skip.
import boto3  # noqa: F401  (import failure is intentional and loud)
import botocore.auth
import botocore.config
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"

# (access key, secret, account) pairs configured on the multi-account server.
ACCOUNT_A = ("AKIAWLACCOUNTA000001", "secretA-abc", "111111111111")
ACCOUNT_B = ("AKIAWLACCOUNTB000002", "secretB-xyz", "222222222222")
# A third credential with the operator role (server-wide controls); give it as
# "--credential", ":".join(OPERATOR) + ":operator".
OPERATOR = ("AKIAWLOPERATOR000003", "secretOp-123", "333333333333")


def operator_flag() -> str:
    return ":".join(OPERATOR) + ":operator"

ERROR_STATUS = {
    "ValidationError": 422,
    "BadRequestError": 400,
    "ResourceNotFoundError": 404,
    "ForbiddenError": 403,
    "RateLimitError": 429,
    "InternalServerError": 500,
    "UnauthorizedError": 401,
}

# Real region names handed out to tests that need an otherwise empty
# (account, region) partition, e.g. to count or sort every network in it.
_ISOLATED_REGIONS = [
    "us-west-2", "ca-central-1", "eu-central-1", "eu-west-2", "eu-north-1",
    "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2",
    "ap-south-1", "sa-east-1", "us-east-2", "us-west-1", "eu-west-3",
    "eu-south-1", "me-south-1", "af-south-1", "ap-east-1",
]
_region_iter = iter(_ISOLATED_REGIONS)


def isolated_region() -> str:
    """A region no other test in this session uses on the shared server."""
    return next(_region_iter)


def jar_path() -> Path:
    p = os.environ.get("WICKR_LOCAL_JAR")
    return Path(p) if p else REPO_ROOT / "target" / "wickr-local.jar"


def java_cmd() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java") or "java"


# --------------------------------------------------------------------------
# Stores: the suite runs once per store (WICKR_STORE=sqlite, the default, or postgresql)
# --------------------------------------------------------------------------

STORE = os.environ.get("WICKR_STORE", "sqlite")
if STORE not in ("sqlite", "postgresql"):
    raise RuntimeError(f"WICKR_STORE must be sqlite or postgresql, not {STORE!r}")


def require_postgres_binaries():
    """Without PostgreSQL's server binaries a test that needs PostgreSQL is skipped, saying why; in CI
    (CI=true) it fails instead, so that CI can never pass by skipping the PostgreSQL store."""
    import glob
    root = os.environ.get("WICKR_TEST_POSTGRES_BINARIES", "/usr/lib/postgresql")
    if any(os.access(p, os.X_OK) for p in glob.glob(os.path.join(root, "*", "bin", "initdb"))):
        return
    why = ("PostgreSQL's server binaries (initdb under /usr/lib/postgresql/*/bin) are not installed;"
           " install them with: apt-get install -y postgresql (or set WICKR_TEST_POSTGRES_URL)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI runs every test on PostgreSQL too: " + why)
    pytest.skip("the PostgreSQL store is skipped: " + why)


class _Postgres:
    """One PostgreSQL server for the session (tools/local-postgres.sh, or WICKR_TEST_POSTGRES_URL),
    and a fresh database for every server the suite starts."""

    def __init__(self):
        self.url = None
        self.dir = None
        self.by_data_dir = {}
        self._count = itertools.count()

    def _server(self) -> str:
        if self.url is None:
            given = os.environ.get("WICKR_TEST_POSTGRES_URL")
            if given:
                self.url = given
            else:
                require_postgres_binaries()
                import tempfile
                import atexit
                self.dir = tempfile.mkdtemp(prefix="wickr-pg-conformance-")
                script = str(REPO_ROOT / "tools" / "local-postgres.sh")
                r = subprocess.run(["bash", script, "start", self.dir, str(free_port())],
                                   capture_output=True, text=True, timeout=90)
                if r.returncode != 0:
                    pytest.fail(f"could not start PostgreSQL for the suite:\n{r.stdout}\n{r.stderr}")
                self.url = r.stdout.strip().splitlines()[-1]
                atexit.register(self._remove, script)
        return self.url

    def _remove(self, script):
        """Stops the suite's cluster and deletes its folder: about a gigabyte a run otherwise stays behind."""
        subprocess.run(["bash", script, "stop", self.dir], timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)

    def new_database(self) -> str:
        base = self._server()
        m = re.match(r"postgresql://([^/:]+):(\d+)/([^?]+)\?user=(\w+)", base)
        if not m:
            pytest.fail(f"unexpected PostgreSQL URL {base}")
        host, port, _, user = m.groups()
        name = f"wickr_conf_{os.getpid()}_{next(self._count)}"
        psql = shutil.which("psql") or "psql"
        r = subprocess.run([psql, "-h", host, "-p", port, "-U", user, "-d", "postgres", "-qc",
                            f"CREATE DATABASE {name}"], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            pytest.fail(f"could not create database {name}: {r.stderr}")
        return f"postgresql://{host}:{port}/{name}?user={user}"

    def for_data_dir(self, data_dir: str) -> str:
        """The same database for every start on the same --data-dir: a restart keeps its state."""
        if data_dir not in self.by_data_dir:
            self.by_data_dir[data_dir] = self.new_database()
        return self.by_data_dir[data_dir]


POSTGRES = _Postgres()


class PostgresCluster:
    """A PostgreSQL server of a test's own (tools/local-postgres.sh), which it may stop, crash and start
    again: the suite's shared server serves every other test. Not started until start()."""

    SCRIPT = str(REPO_ROOT / "tools" / "local-postgres.sh")

    def __init__(self):
        require_postgres_binaries()
        import tempfile
        self.dir = tempfile.mkdtemp(prefix="wickr-pg-own-")
        self.port = free_port()

    def url(self, database: str = "wickr") -> str:
        """`wickr` exists once start() returned; `postgres` as soon as the server accepts connections."""
        return f"postgresql://127.0.0.1:{self.port}/{database}?user=wickr"

    def _run(self, *args):
        r = subprocess.run(["bash", self.SCRIPT, *args], capture_output=True, text=True, timeout=90)
        if r.returncode != 0:
            pytest.fail(f"local-postgres.sh {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def start(self):
        self._run("start", self.dir, str(self.port))

    def stop(self, mode: str = "fast"):
        self._run("stop", self.dir, mode)

    def crash(self):
        """SIGKILL of the postmaster; returns once its other processes have exited."""
        self._run("crash", self.dir)

    def terminate_sessions(self):
        self._run("terminate", self.dir)

    def accepting(self) -> bool:
        """True when the server completes a start-up exchange (trust authentication answers 'R')."""
        import struct
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                params = b"user\0wickr\0database\0postgres\0\0"
                s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
                s.settimeout(0.5)
                return s.recv(1) == b"R"
        except OSError:
            return False

    def remove(self):
        subprocess.run(["bash", self.SCRIPT, "stop", self.dir, "immediate"], capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


def store_args(args):
    """Server flags as tests write them (--in-memory, --data-dir DIR) turned into the flags of the
    store under test. On PostgreSQL: a fresh database for --in-memory, and one database per data dir."""
    if STORE == "sqlite":
        return list(args)
    out = []
    it = iter(args)
    for a in it:
        if a == "--in-memory":
            out += ["--database", POSTGRES.new_database()]
        elif a == "--data-dir":
            out += ["--database", POSTGRES.for_data_dir(str(next(it)))]
        else:
            out.append(a)
    return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uid_tag() -> str:
    return uuid.uuid4().hex[:10]


# --------------------------------------------------------------------------
# Server process management
# --------------------------------------------------------------------------

class ServerProcess:
    """One `java -jar wickr-local.jar` process on a free port."""

    _counter = itertools.count()

    def __init__(self, log_dir: Path, args=(), name: str = "server"):
        self.log_dir = Path(log_dir)
        self.args = store_args(args)
        self.name = name
        self.proc = None
        self.port = None
        self.log_path = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, n: int = 60) -> str:
        try:
            lines = Path(self.log_path).read_text(errors="replace").splitlines()
        except OSError:
            return "<no log>"
        return "\n".join(lines[-n:])

    def launch(self) -> "ServerProcess":
        """Starts the process on a free port without waiting for it (see wait_healthy)."""
        jar = jar_path()
        if not jar.exists():
            pytest.fail(f"server jar not found at {jar} (set WICKR_LOCAL_JAR)")
        self.port = free_port()
        self.log_path = self.log_dir / f"{self.name}-{next(self._counter)}-{self.port}.log"
        self.cmd = [java_cmd(), "-jar", str(jar), "--port", str(self.port)] + self.args
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=str(self.log_dir))
        log.close()
        return self

    def start(self, timeout: float = 15.0) -> "ServerProcess":
        return self.launch().wait_healthy(timeout)

    def wait_healthy(self, timeout: float = 15.0) -> "ServerProcess":
        """Waits for /_local/health to answer 200: the API is served (it answers 503 while starting)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"server exited early with code {self.proc.returncode}\n"
                            f"cmd: {' '.join(self.cmd)}\n--- log tail ---\n{self.log_tail()}")
            try:
                r = requests.get(self.url + "/_local/health", timeout=1)
                if r.status_code == 200:
                    return self
                last = f"status {r.status_code}: {r.text[:200]}"
            except requests.RequestException as e:  # not listening yet
                last = repr(e)
            time.sleep(0.1)
        self.kill()
        pytest.fail(f"server did not become healthy within {timeout}s (last: {last})\n"
                    f"cmd: {' '.join(self.cmd)}\n--- log tail ---\n{self.log_tail()}")

    def stop(self, grace: float = 10.0) -> bool:
        """SIGTERM, wait; kill if needed. Returns True if it exited on its own."""
        if self.proc is None or self.proc.poll() is not None:
            return True
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=grace)
            return True
        except subprocess.TimeoutExpired:
            self.kill()
            return False

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def endpoint(self) -> "Endpoint":
        return Endpoint(self.url)


# --------------------------------------------------------------------------
# Clients and raw requests
# --------------------------------------------------------------------------

_NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1},
                                   connect_timeout=5, read_timeout=30)


class Endpoint:
    def __init__(self, url: str):
        self.url = url
        self._clients = {}

    def client(self, region: str = DEFAULT_REGION, access_key: str = "test",
               secret_key: str = "test"):
        key = (region, access_key, secret_key)
        if key not in self._clients:
            self._clients[key] = boto3.client(
                "wickr", endpoint_url=self.url, region_name=region,
                aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                config=_NO_RETRY)
        return self._clients[key]

    def raw(self, method: str, path: str, body=None, headers=None, *,
            region: str = DEFAULT_REGION, access_key: str = "test",
            secret_key: str = "test", sign: bool = True,
            skew: datetime.timedelta | None = None,
            content_type: str | None = "application/json",
            mutate=None, chunked: bool = False) -> requests.Response:
        """Send one HTTP request. `body` may be dict/list (JSON-encoded), str
        or bytes. `path` may include an (already encoded) query string.
        `mutate(prepared_headers, body)` may tamper after signing and must
        return the (possibly new) body. `chunked` sends the (signed) body
        with Transfer-Encoding: chunked instead of a Content-Length."""
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body
        hdrs = {}
        if data is not None and content_type:
            hdrs["Content-Type"] = content_type
        hdrs.update(headers or {})
        req = AWSRequest(method=method, url=self.url + path, data=data or b"", headers=hdrs)
        if sign:
            auth = SigV4Auth(Credentials(access_key, secret_key), "wickr", region)
            if skew is not None:
                when = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + skew
                with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: when):
                    auth.add_auth(req)
            else:
                auth.add_auth(req)
        prepared = req.prepare()
        out_headers = dict(prepared.headers.items())
        out_body = prepared.body
        if mutate is not None:
            out_body = mutate(out_headers, out_body)
        if chunked and out_body:
            whole = out_body
            out_headers.pop("Content-Length", None)
            out_body = (whole[i:i + 65536] for i in range(0, len(whole), 65536))
        return requests.request(method, prepared.url, data=out_body, headers=out_headers,
                                timeout=30, allow_redirects=False)


# --------------------------------------------------------------------------
# Assertions
# --------------------------------------------------------------------------

def assert_error(resp: requests.Response, error_type: str, status: int | None = None,
                 mentions=None) -> dict:
    """Check a raw error response: status, x-amzn-ErrorType, JSON body with
    a non-empty message, a request id. Returns the decoded body."""
    status = status if status is not None else ERROR_STATUS[error_type]
    detail = f"{resp.request.method} {resp.request.path_url} -> {resp.status_code} " \
             f"{dict(resp.headers)} {resp.text[:600]!r}"
    assert resp.status_code == status, detail
    assert resp.headers.get("x-amzn-ErrorType") == error_type, detail
    assert resp.headers.get("x-amzn-RequestId"), detail
    try:
        body = resp.json()
    except ValueError:
        pytest.fail(f"error body is not JSON: {detail}")
    assert isinstance(body, dict), detail
    msg = body.get("message")
    assert isinstance(msg, str) and msg.strip(), f"missing message: {detail}"
    said = _said(msg, body.get("reasons"))
    for m in ([mentions] if isinstance(mentions, str) else (mentions or [])):
        assert m.lower() in said.lower(), f"error should mention {m!r}: {said!r}"
    return body


def _said(message, reasons) -> str:
    """What an error says: its message and, for a ValidationError (whose message is "Validation
    failed"), the reasons that say which field and why."""
    return " | ".join([message or ""] + [r.get("reason", "") for r in (reasons or []) if isinstance(r, dict)])


def reason_fields(body: dict) -> list:
    reasons = body.get("reasons")
    assert isinstance(reasons, list) and reasons, f"ValidationError without reasons: {body}"
    for r in reasons:
        assert isinstance(r, dict) and r.get("field") and r.get("reason"), body
    return [r["field"] for r in reasons]


def assert_validation(resp: requests.Response, field: str | None = None) -> dict:
    body = assert_error(resp, "ValidationError")
    fields = reason_fields(body)
    if field is not None:
        assert field in fields, f"expected reason for field {field!r}, got {fields}"
    return body


@contextlib.contextmanager
def expect_error(client, name: str, field: str | None = None, mentions=None):
    """pytest.raises for a modeled service error, plus shape checks."""
    exc_cls = getattr(client.exceptions, name)
    with pytest.raises(exc_cls) as ei:
        yield ei
    resp = ei.value.response
    meta = resp["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == ERROR_STATUS[name], resp
    assert meta.get("RequestId") or meta["HTTPHeaders"].get("x-amzn-requestid"), resp
    msg = resp["Error"].get("Message")
    assert msg and msg.strip(), resp
    said = _said(msg, resp.get("reasons"))
    for m in ([mentions] if isinstance(mentions, str) else (mentions or [])):
        assert m.lower() in said.lower(), f"error should mention {m!r}: {said!r}"
    if field is not None:
        reasons = resp.get("reasons")
        assert isinstance(reasons, list) and reasons, resp
        fields = [r.get("field") for r in reasons]
        assert field in fields, f"expected reason for field {field!r}, got {reasons}"


def strip_meta(resp: dict) -> dict:
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


# --------------------------------------------------------------------------
# Domain helpers
# --------------------------------------------------------------------------

NETWORK_ID_RE = re.compile(r"^[0-9]{8}$")
USER_ID_RE = re.compile(r"^[0-9]{1,10}$")


def new_network(client, name: str | None = None, access_level: str = "STANDARD") -> str:
    name = name or f"net-{uid_tag()}"
    r = client.create_network(networkName=name, accessLevel=access_level)
    nid = r["networkId"]
    assert NETWORK_ID_RE.match(nid), r
    return nid


def default_group_id(client, network_id: str) -> str:
    groups = client.list_security_groups(networkId=network_id)["securityGroups"]
    defaults = [g for g in groups if g.get("isDefault")]
    assert len(defaults) == 1, groups
    return defaults[0]["id"]


def create_users(client, network_id: str, n: int, group_id: str | None = None,
                 names=None, prefix: str = "user") -> list:
    """Create n users (chunks of 50); returns the `successful` items in
    request order. `names` may give (firstName, lastName) per user."""
    group_id = group_id or default_group_id(client, network_id)
    tag = uid_tag()
    items = []
    for i in range(n):
        item = {"username": f"{prefix}{i}-{tag}@example.com", "securityGroupIds": [group_id]}
        if names:
            item["firstName"], item["lastName"] = names[i]
        items.append(item)
    created = []
    for start in range(0, n, 50):
        chunk = items[start:start + 50]
        r = client.batch_create_user(networkId=network_id, users=chunk)
        assert not r.get("failed"), r
        ok = r["successful"]
        assert len(ok) == len(chunk), r
        by_name = {u["username"]: u for u in ok}
        created.extend(by_name[c["username"]] for c in chunk)
    return created


def unused_network_id(client) -> str:
    existing = {n["networkId"] for n in all_networks(client)}
    for candidate in ("99999999", "98765432", "13572468", "11223344"):
        if candidate not in existing:
            return candidate
    raise AssertionError("could not find an unused network id")


def all_networks(client) -> list:
    return client.get_paginator("list_networks").paginate(
        PaginationConfig={"PageSize": 100}).build_full_result().get("networks", [])


def all_users(client, network_id: str, **kw) -> list:
    return client.get_paginator("list_users").paginate(
        networkId=network_id, PaginationConfig={"PageSize": 100}, **kw
    ).build_full_result().get("users", [])


def find_user(client, network_id: str, user_id: str) -> dict:
    for u in all_users(client, network_id):
        if u["userId"] == user_id:
            return u
    raise AssertionError(f"user {user_id} not in ListUsers of {network_id}")


def sign_in(ep: Endpoint, network_id: str, user_id: str, invite_code=None,
            device_type: str = "iOS", device_id=None, **kw) -> requests.Response:
    body = {"deviceType": device_type}
    if invite_code is not None:
        body["inviteCode"] = invite_code
    if device_id is not None:
        body["deviceId"] = device_id
    return ep.raw("POST", f"/_local/networks/{network_id}/users/{user_id}/sign-in", body, **kw)


def sign_in_ok(ep: Endpoint, network_id: str, user_id: str, invite_code=None,
               device_type: str = "iOS", device_id=None, **kw) -> dict:
    r = sign_in(ep, network_id, user_id, invite_code, device_type, device_id, **kw)
    assert r.status_code == 200, f"sign-in failed: {r.status_code} {r.text[:500]}"
    assert r.headers.get("x-amzn-RequestId")
    body = r.json()
    assert isinstance(body.get("sessionId"), str) and body["sessionId"], body
    assert isinstance(body.get("deviceId"), str) and body["deviceId"], body
    return body


def sessions(ep: Endpoint, network_id: str, user_id: str, **kw) -> list:
    r = ep.raw("GET", f"/_local/networks/{network_id}/users/{user_id}/sessions", **kw)
    assert r.status_code == 200, f"{r.status_code} {r.text[:500]}"
    body = r.json()
    assert isinstance(body.get("sessions"), list), body
    return body["sessions"]


def toggle_raw(ep: Endpoint, network_id: str, suspend, user_ids, token=None, **kw):
    """PATCH toggleSuspend with full control over the wire format."""
    if isinstance(suspend, bool):
        suspend = "true" if suspend else "false"
    q = "" if suspend is None else f"?suspend={suspend}"
    headers = {"X-Client-Token": token} if token is not None else None
    body = {"userIds": user_ids} if user_ids is not None else {}
    return ep.raw("PATCH", f"/networks/{network_id}/users/toggleSuspend{q}", body, headers, **kw)


def uname(username: str) -> str:
    """A user's uname, as the README documents it: SHA-256 (hex) of the lower-cased username (ListUsers
    does not show it, as AWS example ListUsers#1 shows none)."""
    return hashlib.sha256(username.lower().encode()).hexdigest()
