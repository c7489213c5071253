"""Hostile input at the HTTP level, on a server of its own (its floods disturb nobody else).

Raw sockets for what no HTTP library sends, `requests` (through wlhelpers' signed Endpoint.raw)
for the rest. Every case must get a modeled JSON error: a 4xx status, `x-amzn-ErrorType`, a JSON
object body with a `message`, never a 5xx and never an HTML page. Only where refusing is the sane
answer (floods, bytes that are not HTTP at all) may the server close the connection instead.
Afterwards the server is still healthy and its resident memory stayed bounded.
"""
import json
import socket
import threading
import time

import botocore.config
import botocore.exceptions
import pytest

import reliability_helpers as rh
import wlhelpers as wl

RSS_LIMIT_KIB = 1024 * 1024            # 1 GiB
MEMORY = {}                            # figures for the final report


@pytest.fixture(scope="module")
def hostile(log_dir):
    srv = wl.ServerProcess(log_dir, ["--in-memory"], name="hostile").start()
    MEMORY["start_kib"] = rh.vm_rss_kib(srv.proc.pid)
    sampler = rh.RssSampler(srv.proc.pid, interval=0.1).start()
    srv.sampler = sampler
    yield srv
    try:
        _still_healthy_and_memory_bounded(srv, srv.endpoint())
    finally:
        sampler.stop()
        srv.stop()


@pytest.fixture(scope="module")
def hep(hostile):
    return hostile.endpoint()


@pytest.fixture(scope="module")
def hnet(hep):
    client = hep.client()
    network_id = wl.new_network(client)
    users = [u["userId"] for u in wl.create_users(client, network_id, 3)]
    return network_id, users


def _fmt(r):
    if isinstance(r, rh.RawResponse):
        return r.describe()
    return f"{r.status_code} {dict(r.headers)} {r.content[:400]!r}"


def assert_modeled(r, types=None, status=None, allow_closed=False):
    """A modeled JSON error (RawResponse from a socket, or a requests.Response)."""
    if r is None:
        assert allow_closed, "the server closed the connection without an answer"
        return None
    if isinstance(r, rh.RawResponse):
        code, headers, body = r.status, r.headers, r.body
        get = headers.get
        etype, ctype = get("x-amzn-errortype"), get("content-type", "")
    else:
        code, body = r.status_code, r.content
        etype, ctype = r.headers.get("x-amzn-ErrorType"), r.headers.get("Content-Type", "")
    detail = _fmt(r)
    assert code != -1, f"not an HTTP response: {detail}"
    assert code < 500, f"server error for hostile input: {detail}"
    assert 400 <= code < 500, f"expected a 4xx refusal: {detail}"
    assert b"<html" not in body.lower() and b"<!doctype" not in body.lower(), f"HTML error page: {detail}"
    assert etype, f"no x-amzn-ErrorType: {detail}"
    assert "json" in ctype.lower(), f"error is not JSON: {detail}"
    try:
        doc = json.loads(body.decode("utf-8"))
    except ValueError:
        pytest.fail(f"error body is not JSON: {detail}")
    assert isinstance(doc, dict) and isinstance(doc.get("message"), str) and doc["message"].strip(), detail
    if types is not None:
        allowed = {types} if isinstance(types, str) else set(types)
        assert etype in allowed, f"expected {sorted(allowed)}, got {etype}: {detail}"
    if status is not None:
        assert code == status, f"expected {status}: {detail}"
    return doc


def _raw(hostile, data, timeout=10.0, **kw):
    return rh.raw_exchange(hostile.port, data, timeout=timeout, **kw)


def _req(method, target, headers=(("Host", "127.0.0.1"),), body=b"", version=b"HTTP/1.1"):
    head = method + b" " + target + b" " + version + b"\r\n"
    head += b"".join(k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()) + b"\r\n" for k, v in headers)
    if body:
        head += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    return head + b"Connection: close\r\n\r\n" + body


# ---------------------------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------------------------

MALFORMED = {
    "truncated-object": b'{"networkName": "abc", "accessLevel": "STAN',
    "truncated-after-colon": b'{"networkName":',
    "only-open-brace": b"{",
    "unquoted-keys": b"{networkName: 'x', accessLevel: STANDARD}",
    "single-quotes": b"{'networkName': 'x'}",
    "trailing-comma": b'{"networkName": "x", "accessLevel": "STANDARD",}',
    "comment": b'{"networkName": "x" /* hi */, "accessLevel": "STANDARD"}',
    "nan": b'{"networkName": "x", "accessLevel": "STANDARD", "n": NaN}',
    "two-documents": b'{"networkName": "x", "accessLevel": "STANDARD"}{}',
    "duplicate-keys": b'{"networkName": "x", "networkName": "y", "accessLevel": "STANDARD"}',
    "control-char-in-string": b'{"networkName": "a\x01b", "accessLevel": "STANDARD"}',
    "bad-escape": b'{"networkName": "\\q", "accessLevel": "STANDARD"}',
    "bare-array": b"[]",
    "bare-null": b"null",
    "bare-number": b"1e999999",
    "invalid-utf8": b'{"networkName": "\xc3\x28\xff", "accessLevel": "STANDARD"}',
    "overlong-utf8": b'{"networkName": "\xc0\xaf", "accessLevel": "STANDARD"}',
    "utf8-surrogate-bytes": b'{"networkName": "\xed\xa0\x80", "accessLevel": "STANDARD"}',
    "nul-bytes": b'{"networkName"\x00: "x"}',
    "deep-arrays-10000": b'{"networkName": "x", "accessLevel": "STANDARD", "a": ' + b"[" * 10000 + b"]" * 10000
                         + b"}",
    "deep-arrays-unclosed": b"[" * 10000,
    "deep-objects-10000": b'{"a":' * 10000 + b"1" + b"}" * 10000,
    "huge-number": b'{"networkName": "x", "accessLevel": "STANDARD", "n": 1' + b"0" * 5000 + b"}",
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_json_body_is_400(hep, hnet, kind):
    network_id, users = hnet
    body = MALFORMED[kind]
    r = hep.raw("POST", "/networks", body)
    if kind == "huge-number":
        # Valid JSON with an unknown member: refused as invalid input, whichever way.
        assert_modeled(r, ("BadRequestError", "ValidationError"))
        return
    assert_modeled(r, "BadRequestError", 400)
    r = hep.raw("PATCH", f"/networks/{network_id}/users/toggleSuspend?suspend=true", body)
    assert_modeled(r, "BadRequestError", 400)


WRONG_TYPES = [
    ("POST", "/networks", {"networkName": 5, "accessLevel": "STANDARD"}, "networkName"),
    ("POST", "/networks", {"networkName": None, "accessLevel": "STANDARD"}, "networkName"),
    ("POST", "/networks", {"networkName": ["x"], "accessLevel": "STANDARD"}, "networkName"),
    ("POST", "/networks", {"networkName": {"a": 1}, "accessLevel": True}, None),
    ("POST", "/networks", {"networkName": "x", "accessLevel": 1.5}, "accessLevel"),
    ("PATCH", "/networks/{nid}/users/toggleSuspend?suspend=true", {"userIds": [1, 2]}, None),
    ("PATCH", "/networks/{nid}/users/toggleSuspend?suspend=true", {"userIds": [None]}, None),
    ("PATCH", "/networks/{nid}/users/toggleSuspend?suspend=true", {"userIds": [["1"]]}, None),
    ("PATCH", "/networks/{nid}/users/toggleSuspend?suspend=true", {"userIds": True}, "userIds"),
    ("PATCH", "/networks/{nid}/users/toggleSuspend?suspend=1", {"userIds": ["{uid}"]}, "suspend"),
    ("POST", "/networks/{nid}/users", {"users": [{"username": 7, "securityGroupIds": "g"}]}, None),
    ("POST", "/networks/{nid}/users", {"users": [1, "a", None]}, None),
    ("GET", "/networks?maxResults=1e3", None, "maxResults"),
    ("GET", "/networks?maxResults=99999999999999999999", None, "maxResults"),
    ("GET", "/networks?maxResults=-1", None, "maxResults"),
]


@pytest.mark.parametrize("case", range(len(WRONG_TYPES)))
def test_json_of_the_wrong_types_is_422(hep, hnet, case):
    method, path, body, field = WRONG_TYPES[case]
    network_id, users = hnet
    path = path.format(nid=network_id)
    if body is not None:
        body = json.loads(json.dumps(body).replace("{uid}", users[0]))
    r = hep.raw(method, path, body)
    doc = assert_modeled(r, "ValidationError", 422)
    if field is not None:
        assert field in [x.get("field") for x in doc.get("reasons", [])], doc


def test_body_of_2_mib_is_400_and_changes_nothing(hep):
    client = hep.client()
    before = {n["networkId"] for n in wl.all_networks(client)}
    body = json.dumps({"networkName": "too-big", "accessLevel": "STANDARD", "pad": "x" * (2 * 1024 * 1024)})
    assert_modeled(hep.raw("POST", "/networks", body), "BadRequestError", 400)
    assert_modeled(hep.raw("POST", "/networks", body, chunked=True), "BadRequestError", 400)
    assert {n["networkId"] for n in wl.all_networks(client)} == before


def test_50_mib_declared_but_not_sent_is_refused_at_once(hostile):
    head = _req(b"POST", b"/networks", headers=(("Host", "127.0.0.1"), ("Content-Type", "application/json"),
                                                 ("Content-Length", str(50 * 1024 * 1024))))
    head = head.replace(b"Connection: close\r\n", b"")
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", hostile.port), timeout=10) as s:
        s.sendall(head + b'{"networkName": "' + b"y" * 4096)
        r = rh.read_response(s, timeout=10)
        waited = time.monotonic() - started
        assert_modeled(r, "BadRequestError", 400)
        assert waited < 5, f"the refusal took {waited:.1f}s: the server waited for the body"
        # The rest of the body is never coming: the server must not keep the connection for it.
        s.settimeout(10)
        try:
            rest = s.recv(65536)
        except (ConnectionResetError, socket.timeout) as e:
            rest = e
        assert rest == b"" or isinstance(rest, ConnectionResetError), \
            f"connection left open after refusing a 50 MiB body: {rest!r}"


def test_concurrent_oversized_bodies_are_refused(hep):
    body = json.dumps({"networkName": "big", "accessLevel": "STANDARD", "pad": "z" * (2 * 1024 * 1024)})
    results = []

    def send():
        results.append(hep.raw("POST", "/networks", body))

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 16
    for r in results:
        assert_modeled(r, "BadRequestError", 400)


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------

def test_header_over_16_kib_is_400(hostile, hep):
    r = _raw(hostile, _req(b"GET", b"/networks", headers=(("Host", "127.0.0.1"), ("X-Big", "a" * 20000))))
    assert_modeled(r, "BadRequestError", 400)
    # Also through an ordinary client, signed.
    assert_modeled(hep.raw("GET", "/networks", headers={"X-Big": "b" * 17 * 1024}), "BadRequestError", 400)


def test_many_headers_over_the_limit_are_400(hostile):
    headers = [("Host", "127.0.0.1")] + [(f"X-H{i}", "v" * 8) for i in range(2000)]
    assert_modeled(_raw(hostile, _req(b"GET", b"/networks", headers=headers)), "BadRequestError", 400)


def test_many_headers_under_the_limit_still_work(hep):
    headers = {f"X-Extra-{i}": f"value-{i}" for i in range(100)}
    r = hep.raw("GET", "/networks", headers=headers)
    assert r.status_code == 200, _fmt(r)
    assert isinstance(r.json().get("networks"), list)
    # More signed headers than the verifier takes: refused as a modeled error, not a crash.
    headers = {f"X-Extra-{i}": f"value-{i}" for i in range(400)}
    assert_modeled(hep.raw("GET", "/networks", headers=headers))


def test_header_with_invalid_bytes_is_refused(hostile):
    for value in (b"\xff\xfe\x00x", b"a\rb", b"\x7f\x01"):
        r = _raw(hostile, _req(b"GET", b"/networks", headers=(("Host", "127.0.0.1"), ("X-Bad", value))))
        assert_modeled(r)


# ---------------------------------------------------------------------------------------------
# URIs
# ---------------------------------------------------------------------------------------------

PATH_TRICKS = [
    b"/networks/../networks",
    b"/networks/./",
    b"/networks/%2e%2e/networks",
    b"/networks/%2E%2E/%2E%2E/etc/passwd",
    b"//networks",
    b"/networks//users",
    b"/networks%2F12345678",
    b"/networks/12345678%2Fusers",
    b"/networks/%5C..%5C",
    b"/networks/" + b"a" * 10000,
    b"/" + b"n" * 10000,
    b"/networks/" + b"1" * 30000,
    b"/networks/%00",
    b"/networks/12345678%00",
    b"/networks?maxResults=%00",
    b"/networks/%",
    b"/networks/%zz",
    b"/networks/%ff%fe",
    b"/networks?x=%c3%28",
    b"/networks/\xff\xfe",
    b"/networks/\xc3\xa9",
    b"/networks?" + b"&".join(b"k%d=v" % i for i in range(2000)),
    b"/networks#fragment",
    b"http://127.0.0.1/networks",
    b"*",
]


@pytest.mark.parametrize("case", range(len(PATH_TRICKS)))
def test_path_tricks_get_modeled_errors(hostile, hep, case):
    target = PATH_TRICKS[case]
    r = _raw(hostile, _req(b"GET", target))
    # Unsigned: a path that reaches the API gets MissingAuthenticationTokenException, one that does
    # not route 404, a malformed one 400.
    assert_modeled(r, ("BadRequestError", "ResourceNotFoundError", "ValidationError",
                       "MissingAuthenticationTokenException"))
    in_path = target.split(b"?")[0] if target.startswith(b"/") else b""
    if any(bad in in_path for bad in (b"%00", b"%ff", b"\xff", b"%zz", b"%2F", b"//")):
        assert r.header("x-amzn-errortype") == "BadRequestError", r.describe()
    # Signed, by botocore, when the target is something it can sign.
    if target.startswith(b"/") and all(32 < c < 127 for c in target) and len(target) < 9000:
        data = rh.signed_request_bytes(hostile.url, "GET", target.decode())
        r = _raw(hostile, data)
        if r is not None and r.status == 200:
            return  # the path was a harmless spelling of a real one
        assert_modeled(r, ("BadRequestError", "ResourceNotFoundError", "ValidationError",
                           "InvalidSignatureException"))


@pytest.mark.parametrize("case", range(len(PATH_TRICKS)))
def test_refusals_on_a_kept_alive_connection_say_whether_it_stays_open(hostile, case):
    """HTTP/1.1: after an answer without `Connection: close`, the connection must serve the next
    request. A server that closes it silently makes every keep-alive client (boto3 included) fail
    its next, perfectly valid, call with a dropped connection."""
    target = PATH_TRICKS[case]
    with socket.create_connection(("127.0.0.1", hostile.port), timeout=10) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = rh.read_response(s, timeout=10)
        assert_modeled(first)
        if (first.header("connection") or "").lower() == "close":
            return
        try:
            s.sendall(b"GET /_local/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            second = rh.read_response(s, timeout=10)
        except OSError as e:
            second = e
        assert isinstance(second, rh.RawResponse) and second.status == 200, \
            f"after {first.status} {first.header('x-amzn-errortype')} for GET {target[:80]!r} (no " \
            f"'Connection: close'), the next request on the connection got {second!r}"


def test_non_ascii_header_value_is_verified_over_its_bytes(hostile, hep, hnet):
    """boto3 sends a str header value as UTF-8 and signs exactly those bytes. The server must verify
    the signature over the bytes it received, then refuse the bad client token as invalid input
    (422 ValidationError); it must not call a correct signature wrong."""
    network_id, _ = hnet
    client = rh.new_client(hostile.url, botocore.config.Config(parameter_validation=False,
                                                               retries={"total_max_attempts": 1}))
    for token in ("\u00e9t\u00e9", "\U0001d518"):
        with pytest.raises(botocore.exceptions.ClientError) as ei:
            client.batch_lookup_user_uname(networkId=network_id, unames=["x"], clientToken=token)
        err = ei.value.response
        assert err["Error"]["Code"] == "ValidationError", \
            f"clientToken {token!r}, signed by botocore over the UTF-8 bytes it sent, got " \
            f"{err['ResponseMetadata']['HTTPStatusCode']} {err['Error']['Code']}: {err['Error'].get('Message')}"


# ---------------------------------------------------------------------------------------------
# Methods, versions, request lines
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["PUT", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOOBARBAZQUUX",
                                    "X" * 2000, "get"])
def test_wrong_or_absurd_methods_are_refused(hostile, hnet, method):
    network_id, _ = hnet
    for path in ("/networks", f"/networks/{network_id}/users", f"/networks/{network_id}/users/toggleSuspend"):
        r = _raw(hostile, _req(method.encode(), path.encode()))
        assert_modeled(r, ("BadRequestError", "ResourceNotFoundError"))
        if method in ("PUT", "OPTIONS", "TRACE", "FOOBARBAZQUUX") and path == "/networks":
            assert r.header("x-amzn-errortype") == "BadRequestError", r.describe()
        # Signed the same way: still refused, never a success nor a 5xx.
        if method.isalpha() and len(method) < 100 and method != "CONNECT":
            r = _raw(hostile, rh.signed_request_bytes(hostile.url, method, path))
            assert_modeled(r, ("BadRequestError", "ResourceNotFoundError"))


def test_http_1_0(hostile):
    r = _raw(hostile, b"GET /networks HTTP/1.0\r\n\r\n")
    assert_modeled(r, "MissingAuthenticationTokenException", 403)
    r = _raw(hostile, rh.signed_request_bytes(hostile.url, "GET", "/networks", http_version="HTTP/1.0"))
    assert r is not None and r.status == 200, r and r.describe()
    assert isinstance(r.json().get("networks"), list)


GARBAGE_LINES = {
    "http-9.9": b"GET /networks HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
    "http-2.0-text": b"GET /networks HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n",
    "no-version": b"GET /networks\r\n\r\n",
    "lowercase-version": b"GET /networks http/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "version-garbage": b"GET /networks HTTQ/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "only-method": b"GET\r\n\r\n",
    "three-spaces": b"GET   /networks   HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "control-bytes": b"\x00\x01\x02garbage\r\n\r\n",
    "illegal-method-char": b"G(E)T /networks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "tab-separated": b"GET\t/networks\tHTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "bare-lf": b"GET /networks HTTP/1.1\nHost: 127.0.0.1\n\n",
    "header-without-colon": b"GET /networks HTTP/1.1\r\nHost: 127.0.0.1\r\nGarbage\r\n\r\n",
    "space-before-colon": b"GET /networks HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n",
    "no-host": b"GET /networks HTTP/1.1\r\n\r\n",
    "two-hosts": b"GET /networks HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "negative-length": b"POST /networks HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nabc",
    "two-lengths": b"POST /networks HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc",
    "bad-chunks": b"POST /networks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
    "te-and-cl": b"POST /networks HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "unknown-te": b"POST /networks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
    "request-line-10k": b"GET /networks?" + b"q" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("kind", sorted(GARBAGE_LINES))
def test_garbage_request_lines_get_4xx(hostile, kind):
    r = _raw(hostile, GARBAGE_LINES[kind], shut_write=kind in ("only-method",))
    assert_modeled(r)


@pytest.mark.parametrize("kind", ["tls-client-hello", "random-binary", "http2-preface"])
def test_bytes_that_are_not_http_are_refused(hostile, kind):
    data = {
        "tls-client-hello": bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\x00" * 100,
        "random-binary": bytes((i * 73 + 41) % 256 for i in range(4096)),
        "http2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00",
    }[kind]
    assert_modeled(_raw(hostile, data, shut_write=True), allow_closed=True)


# ---------------------------------------------------------------------------------------------
# Slow clients and floods
# ---------------------------------------------------------------------------------------------

def _timed_calls(hep, stop, latencies, failures):
    while not stop.is_set():
        t = time.monotonic()
        try:
            r = hep.raw("GET", "/networks?maxResults=5")
            if r.status_code != 200:
                failures.append(_fmt(r))
        except Exception as e:  # noqa: BLE001
            failures.append(repr(e))
        latencies.append(time.monotonic() - t)
        stop.wait(0.1)


def test_slow_clients_do_not_starve_others(hostile, hep):
    request = _req(b"GET", b"/networks", headers=(("Host", "127.0.0.1"), ("X-Slow", "1")))
    slow = []
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", hostile.port), timeout=10)
        slow.append(s)
    latencies, failures, stop = [], [], threading.Event()
    worker = threading.Thread(target=_timed_calls, args=(hep, stop, latencies, failures))
    worker.start()
    try:
        sent = 0
        started = time.monotonic()
        while time.monotonic() - started < 5.0 and sent < len(request) - 4:
            for s in slow:
                s.sendall(request[sent:sent + 1])       # one byte per second per connection
            sent += 1
            time.sleep(1.0)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert not failures, failures[:3]
    assert len(latencies) >= 10, f"only {len(latencies)} normal calls completed in 5 s"
    assert max(latencies) < 1.0, f"normal calls slowed down by slow clients: max {max(latencies):.2f}s"
    MEMORY["slow_client_max_latency_s"] = round(max(latencies), 3)
    # The slow requests, once complete, get an ordinary (unsigned: 403) answer.
    answers = []
    for s in slow:
        try:
            s.sendall(request[sent:])
            answers.append(rh.read_response(s, timeout=10))
        finally:
            s.close()
    for r in answers:
        assert_modeled(r, "MissingAuthenticationTokenException", 403, allow_closed=True)


def _flood_then_call(hostile, count, payload):
    """Opens `count` connections at once, sends `payload` on each (may be empty) and leaves them
    open; meanwhile a new client makes signed calls. Returns (seconds for the first call, refused)."""
    conns, refused = [], 0
    for _ in range(count):
        try:
            conns.append(socket.create_connection(("127.0.0.1", hostile.port), timeout=5))
        except OSError:
            refused += 1
    try:
        for s in conns:
            if payload:
                try:
                    s.sendall(payload)
                except OSError:
                    pass
        time.sleep(0.3)
        # A client arriving during the flood, with a short read timeout so a stall fails fast.
        client = rh.new_client(hostile.url, botocore.config.Config(retries={"total_max_attempts": 1},
                                                                   connect_timeout=5, read_timeout=5))
        t = time.monotonic()
        try:
            r = client.list_networks(maxResults=5)
        except botocore.exceptions.BotoCoreError as e:
            pytest.fail(f"a signed call during the flood of {count} connections got no answer within 5 s: {e!r}")
        took = time.monotonic() - t
        assert isinstance(r["networks"], list)
        network_id = wl.new_network(client)
        assert client.get_network(networkId=network_id)["networkId"] == network_id
        return took, refused
    finally:
        for s in conns:
            s.close()


def test_flood_of_idle_connections_does_not_block_signed_calls(hostile):
    took, refused = _flood_then_call(hostile, 300, b"")
    MEMORY["idle_flood_call_s"], MEMORY["idle_flood_refused"] = round(took, 3), refused
    assert took < 2.0, f"a signed call took {took:.2f}s during a flood of 300 idle connections"


def test_connections_stuck_mid_body_do_not_starve_the_server(hostile):
    """100 connections send their headers and the start of a body they never finish (fewer than
    the server's request threads would be a weaker test; the README gives it at most 64)."""
    partial = b"POST /networks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" \
              b"Content-Length: 100\r\n\r\n{\"networkName"
    took, refused = _flood_then_call(hostile, 100, partial)
    MEMORY["stuck_body_flood_call_s"] = round(took, 3)
    assert took < 2.0, f"a signed call took {took:.2f}s while 100 connections sat in the middle of a body"


def test_flood_of_connection_churn(hostile, hep):
    """Connections opened and dropped at once, some mid-request, many times."""
    for i in range(600):
        try:
            s = socket.create_connection(("127.0.0.1", hostile.port), timeout=5)
        except OSError:
            continue
        try:
            if i % 3 == 0:
                s.sendall(b"GET /networks HTTP/1.1\r\nHo")
            elif i % 3 == 1:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
        except OSError:
            pass
        s.close()
    r = hep.raw("GET", "/networks")
    assert r.status_code == 200, _fmt(r)


# ---------------------------------------------------------------------------------------------
# Afterwards (the hostile fixture's teardown)
# ---------------------------------------------------------------------------------------------

def _still_healthy_and_memory_bounded(hostile, hep):
    """Run once every test of the file has used the server (the fixture's teardown), whatever order
    they ran in: the server is alive, serves a signed batch, and its memory stayed bounded."""
    assert hostile.proc.poll() is None, "the server died"
    r = hep.raw("GET", "/_local/health", sign=False)
    assert r.status_code == 200 and r.json().get("status") == "ok", _fmt(r)
    client = hep.client()
    network_id = wl.new_network(client)
    ids = [u["userId"] for u in wl.create_users(client, network_id, 5)]
    client.batch_toggle_user_suspend_status(networkId=network_id, suspend=True, userIds=ids)
    assert all(client.get_user(networkId=network_id, userId=u)["suspended"] for u in ids)
    time.sleep(0.3)
    now = rh.vm_rss_kib(hostile.proc.pid)
    peak = max(hostile.sampler.peak, now or 0)
    MEMORY.update(end_kib=now, peak_kib=peak, samples=len(hostile.sampler.samples))
    print(f"\ntest_hostile memory (VmRSS of the java process): start {MEMORY.get('start_kib', 0) // 1024} MiB, "
          f"peak {peak // 1024} MiB, end {(now or 0) // 1024} MiB over {len(hostile.sampler.samples)} samples; "
          f"other figures: {dict((k, v) for k, v in MEMORY.items() if not k.endswith('kib'))}")
    assert peak < RSS_LIMIT_KIB, f"the server's resident memory reached {peak // 1024} MiB"
    assert now is not None and now < RSS_LIMIT_KIB
