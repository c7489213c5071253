"""Driven by the contract itself (botocore's model of the service, plus the rules its prose states,
which the project keeps in supplement.json):

* every constrained input member, violated on purpose through a client that does not validate,
  gets 422 ValidationError naming that member, and every required member left out gets the same;
* every operation of the model is routed and implemented: a valid call through boto3 succeeds.
  A new operation in the contract that the server does not serve makes these tests fail.
"""
import json
import re
import uuid
from pathlib import Path

import boto3
import botocore.session
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

import wlhelpers as wl

MODEL = botocore.session.get_session().get_service_model("wickr")
OPERATIONS = sorted(MODEL.operation_names)
SUPPLEMENT = json.loads((wl.REPO_ROOT / "src/main/resources/io/wickrlocal/contract/supplement.json").read_text())


def _limits(owner, member_name, shape):
    """(min, max) of a member: the model's own, narrowed by the supplement's rules."""
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    for key in (f"{owner.name}.{member_name}", f"*.{member_name}"):
        rule = SUPPLEMENT["memberConstraints"].get(key)
        if rule:
            lo = max(lo, rule["min"]) if lo is not None and "min" in rule else rule.get("min", lo)
            hi = min(hi, rule["max"]) if hi is not None and "max" in rule else rule.get("max", hi)
    return lo, hi


def _valid(shape, member_name="", owner=None):
    """A value that satisfies every constraint of the shape."""
    lo, hi = _limits(owner, member_name, shape) if owner is not None else (
        shape.metadata.get("min"), shape.metadata.get("max"))
    t = shape.type_name
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        pattern = shape.metadata.get("pattern", "")
        if "0-9" in pattern:
            return "1" * max(lo or 1, min(hi or 8, 8))
        if member_name == "clientToken":
            return "tok-" + uuid.uuid4().hex[:12]
        base = "valid-" + member_name
        if hi is not None:
            base = base[:hi]
        if lo is not None and len(base) < lo:
            base = base + "x" * (lo - len(base))
        return base
    if t in ("integer", "long"):
        if lo is not None:
            return lo
        return 1 if member_name != "maxResults" else 10
    if t == "boolean":
        return True
    if t == "timestamp":
        return 1_700_000_000
    if t == "list":
        return [_valid(shape.member, member_name)]
    if t == "structure":
        return {m: _valid(s, m, shape) for m, s in shape.members.items() if m in shape.required_members}
    return None


def _violations(shape, member_name, owner):
    """(label, bad value) pairs, each breaking one constraint of the member."""
    lo, hi = _limits(owner, member_name, shape)
    t = shape.type_name
    location = owner.members[member_name].serialization.get("location")
    out = []
    if t == "string":
        if shape.enum:
            out.append(("enum", "NOT_ONE_OF_THEM"))
        pattern = shape.metadata.get("pattern")
        if lo is not None and lo > 0 and location != "uri":
            out.append(("min length", ""))
        if hi is not None:
            filler = "1" if pattern and "0-9" in pattern else "a"
            out.append(("max length", filler * (hi + 1)))
        if pattern and pattern not in ("[\\S\\s]*",):
            bad = {"[0-9]+": "12a", "[0-9]{8}": "1234567a", "[\\S]+": "has space",
                   "[a-zA-Z0-9-_:]+": "bad token!"}.get(pattern)
            assert bad is not None, f"no violation known for pattern {pattern}"
            if hi is not None and len(bad) > hi:
                bad = bad[-hi:] if pattern != "[0-9]{8}" else bad
            out.append(("pattern", bad))
    elif t in ("integer", "long"):
        if lo is not None:
            out.append(("below range", lo - 1))
        if hi is not None:
            out.append(("above range", hi + 1))
    elif t == "list":
        if lo is not None and lo > 0:
            out.append(("too few items", []))
        if hi is not None:
            out.append(("too many items", [_valid(shape.member, member_name)] * (hi + 1)))
    return out


def _cases():
    for op_name in OPERATIONS:
        op = MODEL.operation_model(op_name)
        shape = op.input_shape
        if shape is None:
            continue
        for member_name, member in shape.members.items():
            for label, value in _violations(member, member_name, shape):
                yield pytest.param(op_name, member_name, value, id=f"{op_name}-{member_name}-{label}")
            if member_name in shape.required_members and member.serialization.get("location") != "uri":
                yield pytest.param(op_name, member_name, None, id=f"{op_name}-{member_name}-missing")
        # one level down: constrained members of structures inside lists (users[0].username, ...)
        for member_name, member in shape.members.items():
            if member.type_name == "list" and member.member.type_name == "structure":
                inner = member.member
                for inner_name, inner_member in inner.members.items():
                    for label, value in _violations(inner_member, inner_name, inner):
                        yield pytest.param(op_name, f"{member_name}[0].{inner_name}", value,
                                           id=f"{op_name}-{member_name}.{inner_name}-{label}")
                    if inner_name in inner.required_members:
                        yield pytest.param(op_name, f"{member_name}[0].{inner_name}", None,
                                           id=f"{op_name}-{member_name}.{inner_name}-missing")


@pytest.fixture(scope="module")
def lax_client(ep):
    """A boto3 client that sends whatever it is given: the server alone must refuse bad input."""
    return boto3.client("wickr", endpoint_url=ep.url, region_name=wl.DEFAULT_REGION, aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))


@pytest.mark.parametrize("op_name,path,bad", list(_cases()))
def test_every_constraint_is_enforced_by_the_server(lax_client, op_name, path, bad):
    op = MODEL.operation_model(op_name)
    params = _valid(op.input_shape)
    for m, s in op.input_shape.members.items():
        if s.serialization.get("location") == "uri":
            params[m] = _valid(s, m, op.input_shape)
    top = path.split("[")[0]
    if "[0]." in path:
        inner = path.split(".", 1)[1]
        params[top] = [dict(_valid(op.input_shape.members[top].member))]
        if bad is None:
            params[top][0].pop(inner, None)
        else:
            params[top][0][inner] = bad
    elif bad is None:
        params.pop(path, None)
    else:
        params[path] = bad
    with pytest.raises(ClientError) as e:
        getattr(lax_client, xform_name(op_name))(**params)
    err = e.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 422, err
    assert err["Error"]["Code"] == "ValidationError", err
    fields = [r["field"] for r in err.get("reasons", [])]
    assert path in fields or any(f.startswith(path + "[") for f in fields), f"{path} not in {fields}"


def test_the_constraint_cases_cover_the_contract():
    """Guards the generator above: the famous rules are among its cases."""
    ids = {p.id for p in _cases()}
    for expected in ("BatchToggleUserSuspendStatus-userIds-too many items",
                     "BatchToggleUserSuspendStatus-suspend-missing",
                     "BatchToggleUserSuspendStatus-clientToken-pattern",
                     "BatchToggleUserSuspendStatus-networkId-pattern",
                     "ListUsers-maxResults-above range",
                     "CreateNetwork-networkName-max length",
                     "BatchCreateUser-users.username-missing",
                     "BatchCreateUser-users-too many items",
                     "ListUsers-sortDirection-enum"):
        assert expected in ids


# --------------------------------------------------------------------------------------------
# Every operation, called validly through boto3, succeeds.
# --------------------------------------------------------------------------------------------

class World:
    """What the valid calls need: a network with a group, users (one signed in), a bot, the data
    retention bot, a guest, and a loopback OpenID discovery server."""

    def __init__(self, client, ep, discovery_url):
        self.client, self.ep, self.discovery = client, ep, discovery_url
        self.net = wl.new_network(client)
        self.group = wl.default_group_id(client, self.net)
        users = wl.create_users(client, self.net, 3)
        self.user, self.other, self.spare = (u["userId"] for u in users)
        self.device = wl.sign_in_ok(ep, self.net, self.user, users[0]["inviteCode"])["deviceId"]
        self.uname = wl.uname(users[0]["username"])

    def fresh_network(self):
        # PREMIUM: only such a network may have a data retention bot (live-observations #46).
        return wl.new_network(self.client, access_level="PREMIUM")

    def bot(self):
        return self.client.create_bot(networkId=self.net, username=f"b{uuid.uuid4().hex[:8]}bot",
                                      groupId=self.group, challenge="Bot-password-1")["botId"]

    def guest(self):
        r = self.ep.raw("POST", f"/_local/networks/{self.net}/guest-activity",
                        {"username": f"guest-{uuid.uuid4().hex[:6]}@elsewhere.example"})
        assert r.status_code == 200, r.text
        return r.json()["usernameHash"]

    def registered_retention_bot(self, net):
        self.client.create_data_retention_bot(networkId=net)
        challenge = self.client.create_data_retention_bot_challenge(networkId=net)["challenge"]
        r = self.ep.raw("POST", f"/_local/networks/{net}/data-retention-bots/sign-in", {"challenge": challenge})
        assert r.status_code == 200, r.text


def _valid_calls(w: World):
    """For each operation, a function making one valid call (setting up what it needs)."""
    c, net = w.client, w.net
    return {
        "BatchCreateUser": lambda: c.batch_create_user(networkId=net, users=[
            {"username": f"new-{uuid.uuid4().hex[:8]}@example.com", "securityGroupIds": [w.group]}]),
        "BatchDeleteUser": lambda: c.batch_delete_user(networkId=net, userIds=[w.spare]),
        "BatchLookupUserUname": lambda: c.batch_lookup_user_uname(networkId=net, unames=[w.uname]),
        "BatchReinviteUser": lambda: c.batch_reinvite_user(networkId=net, userIds=[w.other]),
        "BatchResetDevicesForUser": lambda: c.batch_reset_devices_for_user(networkId=net, userId=w.user,
                                                                           appIds=[w.device]),
        "BatchToggleUserSuspendStatus": lambda: c.batch_toggle_user_suspend_status(networkId=net, suspend=False,
                                                                                   userIds=[w.user]),
        "CreateBot": lambda: w.bot(),
        "CreateDataRetentionBot": lambda: c.create_data_retention_bot(networkId=w.fresh_network()),
        "CreateDataRetentionBotChallenge": lambda: (lambda n: (c.create_data_retention_bot(networkId=n),
                                                               c.create_data_retention_bot_challenge(networkId=n)))(
            w.fresh_network()),
        "CreateNetwork": lambda: c.create_network(networkName="valid", accessLevel="PREMIUM"),
        "CreateSecurityGroup": lambda: c.create_security_group(networkId=net, name=f"g-{uuid.uuid4().hex[:6]}",
                                                               securityGroupSettings={"federationMode": 0}),
        "DeleteBot": lambda: c.delete_bot(networkId=net, botId=w.bot()),
        "DeleteDataRetentionBot": lambda: (lambda n: (c.create_data_retention_bot(networkId=n),
                                                      c.delete_data_retention_bot(networkId=n)))(w.fresh_network()),
        "DeleteNetwork": lambda: c.delete_network(networkId=w.fresh_network()),
        "DeleteSecurityGroup": lambda: c.delete_security_group(networkId=net, groupId=c.create_security_group(
            networkId=net, name=f"d-{uuid.uuid4().hex[:6]}", securityGroupSettings={})["securityGroup"]["id"]),
        "GetBot": lambda: c.get_bot(networkId=net, botId=w.bot()),
        "GetBotsCount": lambda: c.get_bots_count(networkId=net),
        "GetDataRetentionBot": lambda: c.get_data_retention_bot(networkId=net),
        "GetGuestUserHistoryCount": lambda: c.get_guest_user_history_count(networkId=net),
        "GetNetwork": lambda: c.get_network(networkId=net),
        "GetNetworkSettings": lambda: c.get_network_settings(networkId=net),
        "GetOidcInfo": lambda: (c.register_oidc_config(networkId=net, companyId="UE1-acme", issuer=w.discovery,
                                                       scopes="openid email"), c.get_oidc_info(networkId=net)),
        "GetOpentdfConfig": lambda: (c.register_opentdf_config(networkId=net, clientId="cid", clientSecret="s3cret",
                                                               domain="tdf.example.com", provider="virtru"),
                                     c.get_opentdf_config(networkId=net)),
        "GetSecurityGroup": lambda: c.get_security_group(networkId=net, groupId=w.group),
        "GetUser": lambda: c.get_user(networkId=net, userId=w.user),
        "GetUsersCount": lambda: c.get_users_count(networkId=net),
        "ListBlockedGuestUsers": lambda: c.list_blocked_guest_users(networkId=net),
        "ListBots": lambda: c.list_bots(networkId=net),
        "ListDevicesForUser": lambda: c.list_devices_for_user(networkId=net, userId=w.user),
        "ListGuestUsers": lambda: c.list_guest_users(networkId=net),
        "ListNetworks": lambda: c.list_networks(),
        "ListSecurityGroupUsers": lambda: c.list_security_group_users(networkId=net, groupId=w.group),
        "ListSecurityGroups": lambda: c.list_security_groups(networkId=net),
        "ListUsers": lambda: c.list_users(networkId=net),
        "RegisterOidcConfig": lambda: c.register_oidc_config(networkId=net, companyId="UE1-acme", issuer=w.discovery,
                                                             scopes="openid email"),
        "RegisterOidcConfigTest": lambda: c.register_oidc_config_test(networkId=net, issuer=w.discovery,
                                                                      scopes="openid"),
        "RegisterOpentdfConfig": lambda: c.register_opentdf_config(networkId=net, clientId="cid",
                                                                   clientSecret="s3cret", domain="tdf.example.com",
                                                                   provider="virtru", dryRun=True),
        "UpdateBot": lambda: c.update_bot(networkId=net, botId=w.bot(), displayName="Renamed"),
        "UpdateDataRetention": lambda: (lambda n: (w.registered_retention_bot(n),
                                                   c.update_data_retention(networkId=n, actionType="ENABLE")))(
            w.fresh_network()),
        "UpdateGuestUser": lambda: c.update_guest_user(networkId=net, usernameHash=w.guest(), block=True),
        "UpdateNetwork": lambda: c.update_network(networkId=net, networkName="renamed"),
        "UpdateNetworkSettings": lambda: c.update_network_settings(networkId=net,
                                                                   settings={"enableClientMetrics": True}),
        "UpdateSecurityGroup": lambda: c.update_security_group(networkId=net, groupId=w.group, name="Everyone"),
        "UpdateUser": lambda: c.update_user(networkId=net, userId=w.user, userDetails={"firstName": "Ada"}),
    }


@pytest.fixture(scope="module")
def discovery_url():
    import http.server
    import threading

    class Discovery(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            base = f"http://127.0.0.1:{self.server.server_port}"
            doc = {"issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token",
                   "userinfo_endpoint": base + "/userinfo", "jwks_uri": base + "/jwks",
                   "response_types_supported": ["code"], "subject_types_supported": ["public"],
                   "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": ["openid", "email"]}
            body = json.dumps(doc).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Discovery)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def world(client, ep, discovery_url):
    return World(client, ep, discovery_url)


def test_a_valid_call_is_defined_for_every_operation_of_the_contract(world):
    assert sorted(_valid_calls(world)) == OPERATIONS


@pytest.mark.parametrize("op_name", OPERATIONS)
def test_every_operation_answers_a_valid_call(world, op_name):
    calls = _valid_calls(world)
    assert op_name in calls, f"{op_name} is in the contract but has no valid call here"
    calls[op_name]()


# ---- The bundled contract is the newer Smithy model's; botocore here has the older one ----

BUNDLED = json.loads((wl.REPO_ROOT / "src/main/resources/io/wickrlocal/contract/wickr-2024-02-01.json").read_text())


def test_the_bundled_contract_adds_exactly_the_newer_models_members_to_botocores():
    assert BUNDLED["source"].startswith("aws/aws-sdk-js-v3 codegen/sdk-codegen/aws-models/wickr.json @ ")
    added = set()
    for name, shape in BUNDLED["shapes"].items():
        if name not in MODEL.shape_names:
            continue
        known = MODEL.shape_for(name)
        if shape["type"] == "structure":
            added |= {f"{name}.{m}" for m in shape["members"] if m not in known.members}
    # A new model brings new members: each needs its behaviour, tests and README note before it is listed here.
    assert added == {"SecurityGroupSettings.maxNonSsoSessionMinutes", "NetworkSettings.consentPopup"}
    assert sorted(BUNDLED["operations"]) == OPERATIONS


@pytest.mark.parametrize("path,body,field", [
    ("/networks/{net}/security-groups/{group}", {"securityGroupSettings": {"maxNonSsoSessionMinutes": 525601}},
     "securityGroupSettings.maxNonSsoSessionMinutes"),
    ("/networks/{net}/settings", {"settings": {"consentPopup": {"header": "x"}}}, "settings.consentPopup.enabled"),
    ("/networks/{net}/settings", {"settings": {"consentPopup": {"enabled": True, "closeButtonLabel": "b" * 21}}},
     "settings.consentPopup.closeButtonLabel"),
])
def test_the_newer_models_constraints_are_enforced(client, ep, path, body, field):
    net = wl.new_network(client)
    group = wl.default_group_id(client, net)
    wl.assert_validation(ep.raw("PATCH", path.format(net=net, group=group), body), field)


def test_a_throttled_call_answers_the_models_default_message(server_factory):
    default = BUNDLED["shapes"]["RateLimitError"]["members"]["message"]["default"]
    assert default == "Too many requests sent"
    ep = server_factory("--in-memory", "--throttle", "1:1", name="throttled-message").endpoint()
    assert ep.raw("GET", "/networks?maxResults=10").status_code == 200
    r = ep.raw("GET", "/networks?maxResults=10")
    assert wl.assert_error(r, "RateLimitError", 429)["message"] == default
