"""Wire-level behaviour: routing, error envelope, body parsing, limits."""
import json
import re

import botocore.session
import pytest
from botocore.exceptions import ClientError

import wlhelpers as wl
from wlhelpers import assert_error, assert_validation

MODEL = botocore.session.get_session().get_service_model("wickr")
OPERATIONS = list(MODEL.operation_names)

ROUTE_MISS_RE = re.compile(
    r"\b(no|unknown|unsupported)\b[^.]{0,40}\b(operation|route|handler)\b", re.I)
WRONG_METHOD_RE = re.compile(r"method[^.]{0,40}not (allowed|supported)", re.I)


def test_health_is_unsigned_and_has_request_id(ep):
    r = ep.raw("GET", "/_local/health", sign=False)
    assert r.status_code == 200, r.text
    assert r.headers.get("x-amzn-RequestId")


def test_successful_api_response_has_request_id(client, raw):
    r = client.list_networks()
    assert r["ResponseMetadata"]["RequestId"]
    rr = raw("GET", "/networks")
    assert rr.status_code == 200
    assert rr.headers.get("x-amzn-RequestId")
    assert isinstance(rr.json().get("networks"), list)


def test_request_ids_are_unique(raw):
    ids = {raw("GET", "/networks").headers.get("x-amzn-RequestId") for _ in range(5)}
    ids.discard(None)
    assert len(ids) == 5


@pytest.mark.parametrize("method,path", [
    ("GET", "/definitely-not-a-route"),
    ("GET", "/networks/12345678/no-such-thing"),
    ("POST", "/networks/12345678/users/1/2/3/4"),
    ("DELETE", "/"),
])
def test_unknown_route_is_json_404(raw, method, path):
    r = raw(method, path, {} if method == "POST" else None)
    assert_error(r, "ResourceNotFoundError")
    assert "json" in r.headers.get("Content-Type", "").lower(), r.headers
    assert "<html" not in r.text.lower()


@pytest.mark.parametrize("method,path", [
    ("PUT", "/networks"),
    ("DELETE", "/networks"),
    ("POST", "/networks/{nid}"),
    ("PUT", "/networks/{nid}/users"),
    ("DELETE", "/networks/{nid}/security-groups"),
])
def test_wrong_method_on_known_path_is_400(raw, network, method, path):
    r = raw(method, path.format(nid=network), {} if method in ("PUT", "POST") else None)
    assert_error(r, "BadRequestError")


BAD_BODIES = {
    "malformed": b'{"networkName": "x", accessLevel: STANDARD}',
    "truncated": b'{"networkName": "abc", "accessLevel": "STAN',
    "array": b'["networkName", "accessLevel"]',
    "string": b'"hello"',
    "number": b"42",
    "null": b"null",
    "invalid-utf8": b'{"networkName": "\xff\xfe\xc3", "accessLevel": "STANDARD"}',
    "deeply-nested": b'{"networkName": "n", "accessLevel": "STANDARD", "x": ' + b"[" * 50000
                     + b"]" * 50000 + b"}",
    "trailing-garbage": b'{"networkName": "n", "accessLevel": "STANDARD"} xyz',
    "empty-object-then-more": b'{}{}',
}


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_bad_json_body_is_400(raw, kind):
    r = raw("POST", "/networks", BAD_BODIES[kind])
    assert_error(r, "BadRequestError")


@pytest.mark.parametrize("kind", ["malformed", "truncated", "array", "invalid-utf8"])
def test_bad_json_body_on_toggle_is_400(raw, network, kind):
    r = raw("PATCH", f"/networks/{network}/users/toggleSuspend?suspend=true", BAD_BODIES[kind])
    assert_error(r, "BadRequestError")


def test_body_over_one_mib_is_400(raw, client):
    before = {n["networkId"] for n in wl.all_networks(client)}
    pad = "a" * (1024 * 1024 + 10)
    body = json.dumps({"networkName": "too-big", "accessLevel": "STANDARD", "pad": pad})
    r = raw("POST", "/networks", body)
    assert_error(r, "BadRequestError")
    names = [n["networkName"] for n in wl.all_networks(client) if n["networkId"] not in before]
    assert "too-big" not in names


def test_chunked_body_over_one_mib_is_400(raw, client):
    pad = "c" * (1100 * 1024)
    body = json.dumps({"networkName": "too-big-chunked", "accessLevel": "STANDARD", "pad": pad})
    r = raw("POST", "/networks", body, chunked=True)
    assert_error(r, "BadRequestError")
    assert "too-big-chunked" not in [n["networkName"] for n in wl.all_networks(client)]


def test_small_chunked_body_is_accepted(raw, client):
    name = f"chk-{wl.uid_tag()}"
    r = raw("POST", "/networks", {"networkName": name, "accessLevel": "STANDARD"}, chunked=True)
    assert r.status_code == 200, r.text
    assert r.json()["networkName"] == name


def test_body_just_under_limit_is_not_rejected_for_size(raw, network):
    # ~900 KiB of JSON is within the 1 MiB limit: the request must get a
    # normal answer (here: an unknown extra member next to a valid rename).
    pad = "b" * (900 * 1024)
    r = raw("PATCH", f"/networks/{network}", {"networkName": "renamed-big", "pad": pad})
    assert r.status_code in (200, 422), r.text[:300]


@pytest.mark.parametrize("path_tpl,body,field", [
    ("/networks/{nid}/users/toggleSuspend?suspend=true", {"userIds": "12"}, "userIds"),
    ("/networks/{nid}/users", {"users": {}}, "users"),
    ("/networks/{nid}/users", {"users": "x"}, "users"),
    ("/networks/{nid}/users/batch-delete", {"userIds": {"a": 1}}, "userIds"),
    ("/networks/{nid}/users/toggleSuspend?suspend=maybe", {"userIds": ["1"]}, "suspend"),
])
def test_wrong_member_type_is_422(raw, network, path_tpl, body, field):
    method = "POST" if path_tpl.endswith("/users") or "batch-delete" in path_tpl else "PATCH"
    r = raw(method, path_tpl.format(nid=network), body)
    assert_validation(r, field)


def test_create_network_wrong_types_are_422(raw):
    assert_validation(raw("POST", "/networks", {"networkName": 5, "accessLevel": "STANDARD"}),
                      "networkName")
    assert_validation(raw("POST", "/networks", {"networkName": "x", "accessLevel": ["STANDARD"]}),
                      "accessLevel")


def test_query_integer_wrong_type_is_422(raw):
    assert_validation(raw("GET", "/networks?maxResults=ten"), "maxResults")


def test_boto3_error_mapping(client):
    with wl.expect_error(client, "ValidationError", field="maxResults"):
        client.list_networks(maxResults=0)
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.get_network(networkId=wl.unused_network_id(client))


# ---------------------------------------------------------------------------
# Every contract operation is routed
# ---------------------------------------------------------------------------

def _fake_value(shape, name, ctx):
    special = {
        "networkId": ctx["nid"], "userId": ctx["uid"], "groupId": ctx["gid"],
        "botId": "1234567", "usernameHash": "abcdef0123",
        "networkName": "routed-net",
        "users": [{"username": f"routed-{wl.uid_tag()}@example.com",
                   "securityGroupIds": [ctx["gid"]]}],
        "userIds": [ctx["uid"]], "unames": ["no-such-uname"],
        "username": f"routed-{wl.uid_tag()}", "appIds": ["no-such-app"],
    }
    if name in special:
        return special[name]
    t = shape.type_name
    if t == "string":
        return shape.enum[0] if shape.enum else "x"
    if t in ("integer", "long"):
        return 1
    if t == "boolean":
        return False
    if t == "list":
        return [_fake_value(shape.member, "", ctx)]
    if t == "structure":
        return {m: _fake_value(shape.members[m], m, ctx) for m in shape.required_members}
    if t == "map":
        return {}
    if t == "timestamp":
        return 0
    raise AssertionError(f"unhandled shape type {t}")


@pytest.fixture(scope="module")
def routing_ctx(client, ep):
    nid = wl.new_network(client)
    gid = wl.default_group_id(client, nid)
    uid = wl.create_users(client, nid, 1, gid)[0]["userId"]
    miss = ep.raw("GET", "/zz-no-such-route-zz")
    assert miss.status_code == 404
    wrong = ep.raw("PUT", "/networks", {})
    return {"nid": nid, "gid": gid, "uid": uid,
            "miss_msg": miss.json().get("message", ""),
            "wrong_msg": wrong.json().get("message", "") if wrong.status_code == 400 else ""}


@pytest.mark.parametrize("op_name", OPERATIONS)
def test_every_operation_is_routed(client, routing_ctx, op_name):
    op = MODEL.operation_model(op_name)
    ctx = dict(routing_ctx)
    if op_name == "DeleteNetwork":
        ctx["nid"] = wl.new_network(client)
    params = {}
    if op.input_shape is not None:
        for m in op.input_shape.required_members:
            params[m] = _fake_value(op.input_shape.members[m], m, ctx)
    # keep the shared user and default group alive for the other operations
    if op_name == "BatchDeleteUser":
        params["userIds"] = ["999999999"]
    if op_name == "DeleteSecurityGroup":
        params["groupId"] = "no-such-group"
    from botocore import xform_name
    method = getattr(client, xform_name(op_name))
    try:
        method(**params)
        return
    except ClientError as e:
        err = e.response
    code = err["Error"]["Code"]
    status = err["ResponseMetadata"]["HTTPStatusCode"]
    msg = err["Error"].get("Message") or ""
    assert status < 500, f"{op_name}: {status} {err}"
    assert code in ("BadRequestError", "ValidationError", "ResourceNotFoundError",
                    "ForbiddenError"), f"{op_name}: unexpected {code} {err}"
    assert msg.strip(), err
    if code == "ResourceNotFoundError":
        assert not ROUTE_MISS_RE.search(msg), f"{op_name} is not routed: {msg!r}"
        assert msg != ctx["miss_msg"], f"{op_name} is not routed: {msg!r}"
    if code == "BadRequestError":
        assert not WRONG_METHOD_RE.search(msg), f"{op_name} method not routed: {msg!r}"
        if ctx["wrong_msg"]:
            assert msg != ctx["wrong_msg"], f"{op_name} method not routed: {msg!r}"
        if "not implemented" in msg.lower():
            assert op_name in msg, f"not-implemented message must name {op_name}: {msg!r}"


def _body_ops():
    for name in OPERATIONS:
        op = MODEL.operation_model(name)
        if op.input_shape is None:
            continue
        body_members = [m for m, s in op.input_shape.members.items()
                        if not s.serialization.get("location")]
        if body_members:
            yield name


def _path_for(op, ctx):
    path = op.http["requestUri"]
    for k, v in {"networkId": ctx["nid"], "userId": ctx["uid"], "groupId": ctx["gid"],
                 "botId": "1234567", "usernameHash": "abcdef0123"}.items():
        path = path.replace("{" + k + "}", v)
    qs = []
    for m, s in op.input_shape.members.items():
        if s.serialization.get("location") == "querystring" and m in op.input_shape.required_members:
            qs.append(f"{s.serialization['name']}=true")
    return path + ("?" + "&".join(qs) if qs else "")


@pytest.mark.parametrize("op_name", list(_body_ops()))
def test_garbage_bodies_never_500(raw, routing_ctx, op_name):
    op = MODEL.operation_model(op_name)
    path = _path_for(op, routing_ctx)
    for body in (b"{", b"[1,2]", b"\xff\xfe", b'"str"'):
        r = raw(op.http["method"], path, body)
        assert_error(r, "BadRequestError")
    # every body member with the wrong JSON type
    for m, s in op.input_shape.members.items():
        if s.serialization.get("location"):
            continue
        wrong = {"string": 12345, "list": "not-a-list", "structure": "not-an-object",
                 "boolean": "maybe", "integer": "NaN", "long": "NaN", "map": [1]}.get(s.type_name, [])
        r = raw(op.http["method"], path, {m: wrong})
        assert r.status_code in (400, 422), f"{op_name}.{m}: {r.status_code} {r.text[:300]}"
        assert_error(r, "ValidationError" if r.status_code == 422 else "BadRequestError")
