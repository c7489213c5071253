"""Contract-driven fuzzing of all 44 operations, on a server of its own.

Inputs are generated from botocore's model of the service (`get_service_model('wickr')`): valid
ones built from the shapes (and from real state: a network, users with devices, a bot, a second
security group, a data retention bot, a guest), and invalid ones made by mutating them: wrong JSON
types, out-of-range numbers, long strings, unicode oddities (lone surrogates, NUL, bidi marks,
emoji), missing required members, extra members, garbage in URI labels and query values. Each case
goes out either through a boto3 client with `Config(parameter_validation=False)` or as a raw
SigV4-signed request. Rules:

- never a 5xx, and never a dropped connection;
- every 4xx carries, in `x-amzn-ErrorType`, one of the errors the model lists for that operation
  (`op.error_shapes`), with a JSON body that has a `message`;
- every 200 is a JSON object.

The run is seeded: the seed is printed, and WICKR_FUZZ_SEED=<seed> repeats the same cases
(WICKR_FUZZ_CASE=<n> runs one of them). WICKR_FUZZ_CASES and WICKR_FUZZ_SECONDS bound the run.
"""
import json
import os
import random
import threading
import time
import uuid
from urllib.parse import quote

import botocore.config
import botocore.exceptions
import botocore.session
import pytest
import requests
from botocore import xform_name

import reliability_helpers as rh
import wlhelpers as wl

MODEL = botocore.session.get_session().get_service_model("wickr")
OPERATIONS = sorted(MODEL.operation_names)
# A fixed seed by default, so CI runs the same cases every time; WICKR_FUZZ_SEED=random explores.
_SEED_SETTING = os.environ.get("WICKR_FUZZ_SEED", "20261128")
SEED = int(time.time() * 1000) % 10_000_000 if _SEED_SETTING == "random" else int(_SEED_SETTING)
CASES = int(os.environ.get("WICKR_FUZZ_CASES", "4000"))
SECONDS = float(os.environ.get("WICKR_FUZZ_SECONDS", "50"))
ONLY_CASE = os.environ.get("WICKR_FUZZ_CASE")
WORKERS = 3
MIN_CASES = 1500              # fewer than this within the time bound fails the run (too slow to mean much)

FUZZ_CONFIG = botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1},
                                     connect_timeout=5, read_timeout=30)

BAD_STRINGS = [
    "", " ", "\t\n", "a" * 65, "a" * 257, "b" * 5000, "c" * 70000, "ü", "😀" * 40, "\u202e\u202dabc",
    "\u0000", "a\u0000b", "\ud800", "x\udfff\ud800y", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u0301\u0301\u0301", "\ufeff", "\uffff",
    "%00", "%", "%zz", "../..", "./", "a/b", "a?b=c", "a#b", "a+b", "' OR 1=1 --", "\"; DROP TABLE users; --",
    "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "null", "true", "-1", "1e309",
    "99999999999999999999", "0x10", "%s%n%x", "\r\nX-Injected: 1", "\\", "\"", "{}", "[]",
    "00000000", "0000000000", "12345678", "9" * 10, "9" * 11, "1 ", " 1", "١٢٣٤٥٦٧٨",
]
BAD_NUMBERS = [-1, 0, -2 ** 31 - 1, 2 ** 31, 2 ** 63, -2 ** 63 - 1, 10 ** 30, 1.5, -0.0, 1e300, 101, 366]
WRONG_TYPES = [123, -7, 1.25, True, False, None, "str", [], {}, [1, "a", None], {"k": "v"}, [[[]]],
               {"": {"": {}}}]


# ---------------------------------------------------------------------------------------------
# State to fuzz against
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_server(log_dir):
    srv = wl.ServerProcess(log_dir, ["--in-memory"], name="fuzz").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ctx(fuzz_server):
    ep = fuzz_server.endpoint()
    client = ep.client()
    nid = wl.new_network(client, name="fuzz-main", access_level="PREMIUM")
    gid = wl.default_group_id(client, nid)
    g2 = client.create_security_group(networkId=nid, name="fuzz-second",
                                      securityGroupSettings={})["securityGroup"]["id"]
    users = wl.create_users(client, nid, 12, gid, prefix="fuzzer")
    victims = wl.create_users(client, nid, 40, g2, prefix="victim")
    devices = []
    for u in users[:3]:
        devices.append(wl.sign_in_ok(ep, nid, u["userId"], u["inviteCode"])["deviceId"])
    bot = client.create_bot(networkId=nid, username="fuzzerbot", groupId=gid, challenge="Fuzz-secret-1")["botId"]
    client.create_data_retention_bot(networkId=nid)
    r = ep.raw("POST", f"/_local/networks/{nid}/guest-activity", {"username": "guest@elsewhere.example"})
    assert r.status_code == 200, r.text
    guest_hash = r.json()["usernameHash"]
    spare_networks = [wl.new_network(client, name=f"fuzz-spare-{i}") for i in range(3)]
    closed = wl.free_port()     # nothing listens there: OIDC discovery fails at once, on loopback
    return {
        "ep": ep, "url": fuzz_server.url, "nid": nid, "gid": gid, "groups": [gid, g2],
        "users": [u["userId"] for u in users], "victims": [u["userId"] for u in victims],
        "usernames": [u["username"] for u in users], "devices": devices, "bot": bot,
        "guest_hash": guest_hash, "spare_networks": spare_networks,
        "issuers": [f"http://127.0.0.1:{closed}", f"https://127.0.0.1:{closed}/realms/x",
                    f"http://localhost:{closed}/"],
    }


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------

class Gen:
    def __init__(self, rng: random.Random, ctx: dict, op_name: str):
        self.rng = rng
        self.ctx = ctx
        self.op = op_name

    # -- valid values -----------------------------------------------------------------------
    def named(self, name):
        """A realistic value for well-known member names, or None."""
        r, c = self.rng, self.ctx
        if name == "networkId":
            if self.op == "DeleteNetwork":
                return r.choice(c["spare_networks"] + [str(r.randrange(10 ** 7, 10 ** 8))])
            return c["nid"] if r.random() < 0.85 else str(r.randrange(10 ** 7, 10 ** 8))
        if name in ("userId", "userIds"):
            pool = c["victims"] if self.op == "BatchDeleteUser" else c["users"]
            if name == "userIds":
                return r.sample(pool, r.randint(1, min(8, len(pool))))
            return r.choice(pool) if r.random() < 0.85 else str(r.randrange(1, 10 ** 10))
        if name == "botId":
            return c["bot"] if r.random() < 0.7 else str(r.randrange(1, 10 ** 10))
        if name in ("groupId",):
            return r.choice(c["groups"])
        if name == "securityGroupIds":
            return [r.choice(c["groups"])]
        if name == "usernameHash":
            return c["guest_hash"] if r.random() < 0.7 else uuid.uuid4().hex
        if name == "appIds":
            return r.sample(c["devices"], r.randint(1, len(c["devices"])))
        if name == "issuer" or name in ("url", "redirectUri"):
            return r.choice(c["issuers"])
        if name == "username" and self.op in ("CreateBot", "UpdateBot"):
            return f"fz{r.randrange(10 ** 6)}bot"
        if name == "username" and self.op in ("BatchCreateUser",):
            return f"fz{r.randrange(10 ** 9)}@example.com"
        if name == "networkName":
            return f"fz-{r.randrange(10 ** 6)}"
        if name == "maxResults":
            return r.randint(1, 100)
        if name == "scopes":
            return "openid profile"
        if name == "clientToken":
            return f"fz-{uuid.uuid4().hex}"
        if name == "billingPeriod":
            return f"20{r.randint(20, 30)}-{r.randint(1, 12):02d}"
        if name == "sortDirection":
            return r.choice(["ASC", "DESC"])
        if name == "unames":
            return [uuid.uuid4().hex for _ in range(r.randint(1, 3))]
        return None

    def valid(self, shape, name="", depth=0):
        r = self.rng
        v = self.named(name)
        if v is not None:
            return v
        t = shape.type_name
        md = shape.metadata
        if t == "string":
            if shape.enum:
                return r.choice(shape.enum)
            lo, hi = md.get("min", 1), min(md.get("max", 24), 24)
            n = r.randint(lo, max(lo, hi))
            return "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))
        if t in ("integer", "long"):
            return r.randint(md.get("min", 0), min(md.get("max", 30), 30))
        if t == "boolean":
            return r.random() < 0.5
        if t == "timestamp":
            return int(time.time()) - r.randrange(0, 90 * 86400)
        if t == "list":
            lo = max(md.get("min", 1), 1)
            return [self.valid(shape.member, "", depth + 1) for _ in range(r.randint(lo, max(lo, 3)))]
        if t == "map":
            return {self.valid(shape.key, "", depth + 1): self.valid(shape.value, "", depth + 1)
                    for _ in range(r.randint(0, 2))}
        if t == "structure":
            out = {}
            for m, ms in shape.members.items():
                if m in shape.required_members or (depth < 3 and r.random() < 0.4):
                    out[m] = self.valid(ms, m, depth + 1)
            return out
        return "x"

    def params(self, op):
        if op.input_shape is None:
            return {}
        return self.valid(op.input_shape, "", 0)

    # -- invalid values -----------------------------------------------------------------------
    def bad_value(self, shape):
        r = self.rng
        t = shape.type_name if shape is not None else "string"
        roll = r.random()
        if roll < 0.3:
            return r.choice(WRONG_TYPES)
        if t in ("integer", "long"):
            return r.choice(BAD_NUMBERS + ["12", "NaN", "1e3"])
        if t == "boolean":
            return r.choice(["true", "yes", 1, 0, None, "TRUE"])
        if t == "list":
            member = shape.member
            kind = r.random()
            if kind < 0.4:
                return [self.valid(member) for _ in range(r.choice([51, 60, 120]))]
            if kind < 0.7:
                return [r.choice(BAD_STRINGS[:30]) for _ in range(r.randint(1, 4))]
            return []
        if t == "structure":
            return r.choice([{}, {"zzUnknown": 1}, "not-an-object", [1]])
        return r.choice(BAD_STRINGS)

    def slots(self, value, shape, path=()):
        """Every (container, key, shape) in the generated value, for mutation."""
        out = []
        if isinstance(value, dict) and shape is not None and shape.type_name == "structure":
            for k, v in value.items():
                ms = shape.members.get(k)
                out.append((value, k, ms))
                out.extend(self.slots(v, ms, path + (k,)))
        elif isinstance(value, list) and shape is not None and shape.type_name == "list":
            for i, v in enumerate(value):
                out.append((value, i, shape.member))
                out.extend(self.slots(v, shape.member, path + (i,)))
        return out

    def mutate(self, op, params):
        r = self.rng
        shape = op.input_shape
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            kind = r.random()
            slots = self.slots(params, shape)
            if kind < 0.15 and shape is not None and shape.required_members:
                params.pop(r.choice(shape.required_members), None)            # missing required member
            elif kind < 0.25:
                containers = [params] + [c[k] for c, k, s in slots if isinstance(c[k], dict)]
                r.choice(containers)["zz" + r.choice(["Extra", "unknown", "__proto__", ""])] = \
                    r.choice(WRONG_TYPES + BAD_STRINGS[:10])                   # extra member
            elif kind < 0.35 and shape is not None:
                # A member that was not generated, with a bad value.
                absent = [m for m in shape.members if m not in params]
                if absent:
                    m = r.choice(absent)
                    params[m] = self.bad_value(shape.members[m])
            elif slots:
                c, k, s = r.choice(slots)
                c[k] = self.bad_value(s)
        return params


# ---------------------------------------------------------------------------------------------
# Sending and checking
# ---------------------------------------------------------------------------------------------

TRANSPORT_ERRORS = (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError,
                    botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError,
                    botocore.exceptions.HTTPClientError)


def _check(op, status, error_type, body: bytes, allowed):
    """None when the answer follows the rules, else what is wrong."""
    if status >= 500:
        return f"server error {status} {error_type}"
    if status == 200:
        try:
            doc = json.loads(body.decode("utf-8")) if body else {}
        except ValueError:
            return "200 with a body that is not JSON"
        return None if isinstance(doc, dict) else "200 with a body that is not a JSON object"
    if not 400 <= status < 500:
        return f"unexpected status {status}"
    if error_type not in allowed:
        return f"{status} {error_type!r} is not an error the model lists for {op.name}: {sorted(allowed)}"
    try:
        doc = json.loads(body.decode("utf-8"))
    except ValueError:
        return f"{status} {error_type} with a body that is not JSON"
    if not isinstance(doc, dict) or not isinstance(doc.get("message"), str) or not doc["message"].strip():
        return f"{status} {error_type} without a message"
    return None


def _scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)) or v is None:
        return json.dumps(v)
    return str(v)


def send_raw(ctx, op, params, rng):
    """Serializes like rest-json, but without any client-side check; returns (status, type, body)."""
    params = dict(params)
    path = op.http["requestUri"]
    query, headers, body = [], {}, {}
    shape = op.input_shape
    members = shape.members if shape is not None else {}
    for name, ms in members.items():
        loc = ms.serialization.get("location")
        wire = ms.serialization.get("name", name)
        if loc == "uri":
            v = params.pop(name, None)
            text = "" if v is None else _scalar(v)
            # Mostly encoded as a client would; sometimes with '/' and '%' left raw (path tricks). The
            # query and header parts stay canonically encoded: botocore signs a hand-made URL as it
            # stands, while SigV4 servers re-encode it, so anything else fails the signature, rightly.
            # Dot segments always go encoded: left raw, the HTTP library resolves them after botocore
            # signed the unresolved path, and the signature would fail for a reason of the client's.
            dots = any(seg in (".", "..") for seg in text.split("/"))
            enc = quote(text, safe="") if dots or rng.random() < 0.9 else quote(text, safe="/%")
            path = path.replace("{" + wire + "}", enc).replace("{" + wire + "+}", enc)
        elif loc == "querystring":
            if name in params:
                v = params.pop(name)
                for item in (v if isinstance(v, list) and v else [v]):
                    query.append(f"{quote(wire, safe='')}={quote(_scalar(item), safe='')}")
        elif loc == "header":
            if name in params:
                # Non-Latin-1 text goes out as its UTF-8 bytes (what a careless client would send).
                headers[wire] = _scalar(params.pop(name)).encode("utf-8", "surrogatepass").decode("latin-1")
    body = params                                   # what is left: body members, unknown extras
    if rng.random() < 0.1:
        query.append(f"{quote(rng.choice(['zz', 'maxResults', 'suspend', '']), safe='')}="
                     f"{quote(rng.choice(BAD_STRINGS[:25]), safe='')}")
    if query:
        path += "?" + "&".join(query)
    has_body_members = any(not ms.serialization.get("location") for ms in members.values())
    data = None
    if has_body_members or body:
        data = json.dumps(body, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
        if rng.random() < 0.05:
            data = data[:rng.randrange(len(data) + 1)]          # truncated
    r = ctx["ep"].raw(op.http["method"], path, data, headers)
    return r.status_code, r.headers.get("x-amzn-ErrorType"), r.content


def send_boto3(client, op, params):
    """Returns (status, type, body) or raises SkipCase when botocore refused to serialize."""
    method = getattr(client, xform_name(op.name))
    try:
        r = method(**params)
    except botocore.exceptions.ClientError as e:
        meta = e.response["ResponseMetadata"]
        hdrs = meta.get("HTTPHeaders", {})
        body = json.dumps({"message": e.response.get("Error", {}).get("Message")}).encode()
        return meta["HTTPStatusCode"], hdrs.get("x-amzn-errortype"), body
    except botocore.exceptions.HTTPClientError as e:
        if "Invalid header" in str(e):
            raise SkipCase(repr(e)) from e          # urllib3 refused to send a header value
        raise
    except TRANSPORT_ERRORS:
        raise
    except Exception as e:  # noqa: BLE001 - botocore could not serialize this input: not sent
        raise SkipCase(repr(e)) from e
    r.pop("ResponseMetadata", None)
    return 200, None, json.dumps(r, default=str).encode()


class SkipCase(Exception):
    pass


def run_case(i, ctx, client, allowed_by_op):
    rng = random.Random(f"{SEED}:{i}")
    op = MODEL.operation_model(OPERATIONS[i % len(OPERATIONS)])
    gen = Gen(rng, ctx, op.name)
    valid = rng.random() < 0.35
    params = gen.params(op)
    if not valid:
        params = gen.mutate(op, params)
    mode = "boto3" if rng.random() < 0.5 else "raw"
    token = params.get("clientToken")
    if token is not None and not (_scalar(token).isascii() and str(token).isascii()):
        # Non-ASCII header values meet a known signature bug (test_hostile.py::
        # test_non_ascii_header_value_is_verified_over_its_bytes); keep them out of the fuzz.
        params["clientToken"] = "not ascii, was: " + _scalar(token).encode("ascii", "backslashreplace").decode()[:40]
    desc = f"case {i} (seed {SEED}) {op.name} {'valid' if valid else 'mutated'} via {mode}: " \
           f"{repr(params)[:600]}"
    try:
        if mode == "boto3":
            status, etype, body = send_boto3(client, op, params)
        else:
            status, etype, body = send_raw(ctx, op, params, rng)
    except SkipCase:
        return "skipped", None
    except (TRANSPORT_ERRORS + (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                                requests.exceptions.ChunkedEncodingError)) as e:
        return "failed", f"{desc}\n  -> no answer: {e!r}"        # the server dropped it, or died
    except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, UnicodeError, ValueError):
        return "skipped", None                         # requests refused to send it
    problem = _check(op, status, etype, body, allowed_by_op[op.name])
    if problem:
        return "failed", f"{desc}\n  -> {problem}: {body[:300]!r}"
    return ("ok" if status == 200 else "refused"), None


def test_contract_fuzz(fuzz_server, ctx):
    allowed_by_op = {name: {e.name for e in MODEL.operation_model(name).error_shapes} for name in OPERATIONS}
    assert len(OPERATIONS) == 44
    print(f"\ntest_fuzz seed={SEED} (repeat with WICKR_FUZZ_SEED={SEED})")
    indices = [int(ONLY_CASE)] if ONLY_CASE else list(range(CASES))
    deadline = time.monotonic() + SECONDS
    lock = threading.Lock()
    tally = {"ok": 0, "refused": 0, "skipped": 0, "failed": 0}
    per_op = {name: 0 for name in OPERATIONS}
    failures = []

    def worker(w):
        client = rh.new_client(ctx["url"], FUZZ_CONFIG)
        for i in indices[w::WORKERS]:
            if time.monotonic() > deadline:
                return
            outcome, failure = run_case(i, ctx, client, allowed_by_op)
            with lock:
                tally[outcome] += 1
                per_op[OPERATIONS[i % len(OPERATIONS)]] += outcome != "skipped"
                if failure:
                    failures.append(failure)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(w,), name=f"fuzz-{w}", daemon=True) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 120)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "a fuzz worker hung"
    done = sum(tally.values())
    print(f"test_fuzz: {done} cases in {elapsed:.1f}s: {tally}; fewest sent for one operation: "
          f"{min(per_op.values())} ({min(per_op, key=per_op.get)})")
    assert fuzz_server.proc.poll() is None, "the server died during the fuzz run"
    assert not failures, f"{len(failures)} cases broke the rules; first ones:\n" + "\n".join(failures[:8])
    if not ONLY_CASE:
        assert done >= min(CASES, MIN_CASES), f"only {done} cases ran within {SECONDS}s"
        assert min(per_op.values()) >= 10, f"some operations were barely exercised: {per_op}"
        assert tally["ok"] >= 200 and tally["refused"] >= 1000, \
            f"the generator lost its balance (too few successes or refusals): {tally}"
    # Still serving, with its state intact.
    client = ctx["ep"].client()
    assert client.get_network(networkId=ctx["nid"])["networkId"] == ctx["nid"]
