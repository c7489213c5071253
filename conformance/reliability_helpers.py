"""Helpers shared by the reliability modules (test_crash, test_concurrency, test_hostile, test_fuzz).

Everything talks to a server on loopback only: raw sockets for input no HTTP library would send,
SigV4 signing done the way botocore does it (as wlhelpers does), and a few readings of the server
process (its resident memory from /proc).
"""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import botocore.config
import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import wlhelpers as wl

NO_RETRY = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30)


def new_client(url: str, config: botocore.config.Config = NO_RETRY, region: str = wl.DEFAULT_REGION):
    """A boto3 client of its own (boto3 clients are thread-safe, but each thread of a load test gets
    its own, as separate programs would), with no automatic retries."""
    return boto3.session.Session().client(
        "wickr", endpoint_url=url, region_name=region, aws_access_key_id="test",
        aws_secret_access_key="test", config=config)


# --------------------------------------------------------------------------------------------
# Raw HTTP over a socket
# --------------------------------------------------------------------------------------------

@dataclass
class RawResponse:
    status: int
    reason: str
    headers: dict            # lower-case name -> value (last one wins)
    body: bytes
    raw_head: bytes = b""
    closed_after: bool = False

    def header(self, name: str):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def describe(self) -> str:
        return f"{self.status} {self.reason} {self.headers} {self.body[:400]!r}"


def _read_until(sock, buf: bytearray, marker: bytes, deadline: float) -> bool:
    while marker not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False
        except OSError:
            return False
        if not chunk:
            return False
        buf += chunk
    return True


def read_response(sock, timeout: float = 10.0) -> RawResponse | None:
    """Reads one HTTP/1.x response from `sock`. None when the connection closed (or was reset)
    before a complete status line and headers arrived, or nothing came within `timeout`."""
    deadline = time.monotonic() + timeout
    buf = bytearray()
    if not _read_until(sock, buf, b"\r\n\r\n", deadline):
        return None
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        return RawResponse(-1, lines[0].decode("latin-1"), {}, bytes(buf), head)
    status = int(parts[1])
    reason = parts[2] if len(parts) > 2 else ""
    headers = {}
    for line in lines[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = bytearray(rest)
    closed = False
    if "content-length" in headers:
        want = int(headers["content-length"])
        while len(body) < want and time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                closed = True
                break
            body += chunk
        body = body[:want]
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        # Not expected from this server; read what there is until close.
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            body += chunk
    return RawResponse(status, reason, headers, bytes(body), head, closed)


def raw_exchange(port: int, data: bytes, timeout: float = 10.0, shut_write: bool = False) -> RawResponse | None:
    """Opens a connection to 127.0.0.1:port, sends `data` as is and reads one response (None when
    the server closed or reset the connection without answering)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
            if shut_write:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse mid-send; whatever it answered is still readable
        return read_response(s, timeout)


def signed_request_bytes(url: str, method: str, path: str, body: bytes = b"", headers=None,
                         http_version: str = "HTTP/1.1", content_type: str | None = "application/json",
                         region: str = wl.DEFAULT_REGION) -> bytes:
    """A complete HTTP request, SigV4-signed by botocore exactly as wlhelpers' Endpoint.raw does,
    serialized byte for byte (the path is sent exactly as given)."""
    hdrs = {}
    if body and content_type:
        hdrs["Content-Type"] = content_type
    hdrs.update(headers or {})
    req = AWSRequest(method=method, url=url + path, data=body, headers=hdrs)
    SigV4Auth(Credentials("test", "test"), "wickr", region).add_auth(req)
    host = urlsplit(url).netloc
    out = [f"{method} {path} {http_version}".encode("latin-1")]
    names = {k.lower() for k in req.headers.keys()}
    if "host" not in names:
        out.append(f"Host: {host}".encode())
    for k, v in req.headers.items():
        out.append(f"{k}: {v}".encode("latin-1") if isinstance(v, str) else k.encode() + b": " + v)
    if body or method in ("POST", "PUT", "PATCH"):
        out.append(f"Content-Length: {len(body)}".encode())
    if http_version == "HTTP/1.1":
        out.append(b"Connection: close")
    return b"\r\n".join(out) + b"\r\n\r\n" + body


# --------------------------------------------------------------------------------------------
# The server process
# --------------------------------------------------------------------------------------------

def vm_rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (VmRSS of /proc/<pid>/status), None if unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class RssSampler:
    """Samples a process's VmRSS in the background; .peak and .samples for the report."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid = pid
        self.interval = interval
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self):
        while not self._stop.is_set():
            v = vm_rss_kib(self.pid)
            if v is not None:
                self.samples.append((time.monotonic(), v))
            self._stop.wait(self.interval)

    def start(self) -> "RssSampler":
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)

    @property
    def peak(self) -> int:
        return max((v for _, v in self.samples), default=0)


# --------------------------------------------------------------------------------------------
# Suspension state
# --------------------------------------------------------------------------------------------

def suspended_states(client, network_id: str) -> dict:
    """userId -> suspended for every user of the network, read with the ListUsers paginator."""
    return {u["userId"]: u["suspended"] for u in wl.all_users(client, network_id)}


@dataclass
class Batch:
    """One BatchToggleUserSuspendStatus call as a client saw it."""
    client_id: int
    suspend: bool
    user_ids: tuple
    token: str
    start: float                  # time.monotonic() just before the request was sent
    ack: float | None = None      # time.monotonic() just after the answer arrived
    answer: dict | None = None
    error: str | None = None
    extra: dict = field(default_factory=dict)
