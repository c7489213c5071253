"""The tenant boundary, tried as a second account would try it (issue #11).

A server with two ordinary credentials (accounts A and B) and an operator. Every request here is
what a real client sends, or a raw signed request changed after signing the way an attacker who
captured it would change it; each must be refused with a 4xx and leave A's state as it was.
"""
import json
import socket
import subprocess
import time

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
import requests

import wlhelpers as wl
from wlhelpers import ACCOUNT_A, ACCOUNT_B, OPERATOR, assert_error, assert_validation

PASS_A = {"X-Wickr-Local-Passphrase": "account A's long passphrase"}
PASS_B = {"X-Wickr-Local-Passphrase": "account B chose this one"}


@pytest.fixture(scope="module")
def tenants(server_factory):
    srv = server_factory("--in-memory", "--credential", ":".join(ACCOUNT_A), "--credential", ":".join(ACCOUNT_B),
                         "--credential", wl.operator_flag(), name="tenants")
    return srv.endpoint()


def _as(account):
    return {"access_key": account[0], "secret_key": account[1]}


def _state_of_a(ep):
    """Everything account A can read: what must not change whatever B does."""
    a = ep.client(**{"access_key": ACCOUNT_A[0], "secret_key": ACCOUNT_A[1]})
    out = {"networks": wl.strip_meta(a.list_networks())}
    for n in out["networks"]["networks"]:
        nid = n["networkId"]
        out[nid] = {"users": wl.all_users(a, nid), "oidc": wl.strip_meta(a.get_oidc_info(networkId=nid)),
                    "count": wl.strip_meta(a.get_users_count(networkId=nid))}
    return out


@pytest.fixture(scope="module")
def network_a(tenants):
    a = tenants.client(access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    nid = wl.new_network(a, "A's network")
    wl.create_users(a, nid, 3)
    a.register_oidc_config(networkId=nid, companyId="UE1-acme", issuer="https://idp.example.com",
                           scopes="openid", secret="A's client secret")
    return nid


def test_another_account_cannot_take_over_through_all_accounts(tenants, network_a):
    before = _state_of_a(tenants)
    # The attack of the issue: B exports every account under a passphrase of its own choosing ...
    r = tenants.raw("GET", "/_local/snapshot?allAccounts=true", headers=PASS_B, **_as(ACCOUNT_B))
    body = assert_error(r, "ForbiddenError", 403, mentions="operator role")
    assert "A's client secret" not in r.text and network_a not in r.text and ACCOUNT_A[2] not in json.dumps(body)
    # ... wipes the server ...
    assert_error(tenants.raw("POST", "/_local/reset", {"allAccounts": True}, **_as(ACCOUNT_B)), "ForbiddenError", 403)
    # ... and imports A's state as its own.
    exported = tenants.raw("GET", "/_local/snapshot", headers=PASS_A, **_as(ACCOUNT_A))
    assert exported.status_code == 200, exported.text
    doc = exported.json()
    r = tenants.raw("POST", "/_local/snapshot?allAccounts=true", doc, headers=PASS_A, **_as(ACCOUNT_B))
    assert_error(r, "ForbiddenError", 403, mentions="operator role")
    r = tenants.raw("POST", "/_local/snapshot", doc, headers=PASS_A, **_as(ACCOUNT_B))
    assert_error(r, "BadRequestError", 400, mentions=ACCOUNT_A[2])
    assert _state_of_a(tenants) == before
    b = tenants.client(access_key=ACCOUNT_B[0], secret_key=ACCOUNT_B[1])
    assert b.list_networks()["networks"] == []
    with wl.expect_error(b, "ResourceNotFoundError"):
        b.get_oidc_info(networkId=network_a)


def test_the_operator_still_reaches_every_account(tenants, network_a):
    r = tenants.raw("GET", "/_local/snapshot?allAccounts=true", headers=PASS_A, **_as(OPERATOR))
    assert r.status_code == 200, r.text
    assert {a["accountId"] for a in r.json()["accounts"]} >= {ACCOUNT_A[2]}
    assert "A's client secret" not in r.text


def _signed(ep, method, path, body=b"", headers=None, account=ACCOUNT_A, unsigned_payload=False):
    """A botocore-signed request, prepared but not sent: (url, headers, body)."""
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    req = botocore.awsrequest.AWSRequest(method=method, url=ep.url + path, data=body, headers=hdrs)
    if unsigned_payload:
        req.context["payload_signing_enabled"] = False
        req.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(account[0], account[1]), "wickr",
                            wl.DEFAULT_REGION).add_auth(req)
    prepared = req.prepare()
    return prepared.url, dict(prepared.headers.items()), prepared.body


def test_an_unsigned_payload_is_refused_so_a_captured_request_cannot_carry_another_body(tenants):
    body = json.dumps({"networkName": "Harmless", "accessLevel": "STANDARD"}).encode()
    url, headers, _ = _signed(tenants, "POST", "/networks", body, unsigned_payload=True)
    assert headers.get("X-Amz-Content-SHA256") == "UNSIGNED-PAYLOAD"
    evil = json.dumps({"networkName": "EVIL", "accessLevel": "PREMIUM"}).encode()
    r = requests.post(url, data=evil, headers=headers, timeout=10)
    assert_error(r, "InvalidSignatureException", 403, mentions="payload must be signed")
    r = requests.post(url, data=body, headers=headers, timeout=10)
    assert_error(r, "InvalidSignatureException", 403, mentions="payload must be signed")
    a = tenants.client(access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    assert not [n for n in a.list_networks()["networks"] if n["networkName"] in ("EVIL", "Harmless")]


def test_a_query_parameter_given_twice_is_refused_not_read_as_one_of_its_values(tenants, network_a):
    a = tenants.client(access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    uid = wl.all_users(a, network_a)[0]["userId"]
    # Signed as ?suspend=false&suspend=true, which the canonical query sorts: sent in the other order
    # it carries the same signature. Either way it must not be read as one of its values.
    for query in ("suspend=false&suspend=true", "suspend=true&suspend=false"):
        r = tenants.raw("PATCH", f"/networks/{network_a}/users/toggleSuspend?{query}", {"userIds": [uid]},
                        **_as(ACCOUNT_A))
        body = assert_validation(r, "suspend")
        assert "2 times" in body["reasons"][0]["reason"]
    assert a.get_user(networkId=network_a, userId=uid)["suspended"] is False


@pytest.mark.parametrize("header", ["X-Wickr-Local-Passphrase", "X-Client-Token", "X-Amz-Security-Token",
                                    "X-Amz-Anything"])
def test_a_control_header_added_after_signing_is_refused_and_named(tenants, header):
    url, headers, _ = _signed(tenants, "GET", "/_local/snapshot")
    headers[header] = "the attacker's value"
    r = requests.get(url, headers=headers, timeout=10)
    assert_error(r, "InvalidSignatureException", 403, mentions=header.lower())
    assert "sealed" not in r.text and "accounts" not in r.text


def test_the_trace_header_needs_no_signature(tenants):
    url, headers, _ = _signed(tenants, "GET", "/networks")
    headers["X-Amzn-Trace-Id"] = "Root=1-5759e988-bd862e3fe1be46a994272793"
    r = requests.get(url, headers=headers, timeout=10)
    assert r.status_code == 200, r.text


def test_session_credentials_are_accepted_when_their_token_is_signed(tenants):
    import boto3
    client = boto3.client("wickr", endpoint_url=tenants.url, region_name=wl.DEFAULT_REGION,
                          aws_access_key_id=ACCOUNT_A[0], aws_secret_access_key=ACCOUNT_A[1],
                          aws_session_token="any-session-token/with+chars=", config=wl._NO_RETRY)
    assert "networks" in client.list_networks()


def test_a_body_larger_than_the_limit_is_refused_before_it_is_sent(tenants):
    """A declared length past what the server reads is answered at once, with nothing read."""
    port = int(tenants.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"POST /networks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100000000\r\n\r\n{")
        answer = s.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 400"), answer
    assert "BadRequestError" in answer and "larger than the limit" in answer


def test_an_unsigned_body_is_refused_without_being_kept(tenants):
    """The signature's header checks come before the body: a caller that cannot sign gets its 403
    while still sending, and the connection answers."""
    r = requests.post(tenants.url + "/networks", data=b"x" * (2 * 1024 * 1024),
                      headers={"Content-Type": "application/json"}, timeout=30)
    assert_error(r, "MissingAuthenticationTokenException", 403)


def _start_on_every_interface(log_dir, *args):
    port = wl.free_port()
    cmd = [wl.java_cmd(), "-jar", str(wl.jar_path()), "--in-memory", "--host", "0.0.0.0", "--port", str(port), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            cwd=str(log_dir))
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/_local/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
    finally:
        proc.terminate()
    out, err = proc.communicate(timeout=20)
    return port, out.decode(), err.decode()


def test_listening_beyond_loopback_is_never_silent(log_dir):
    port, out, err = _start_on_every_interface(log_dir)
    assert f"listening on http://0.0.0.0:{port}" in out, out
    assert "reachable from other machines" in out
    assert "WARNING" in err and "test/test" in err and "anyone who can reach this port" in err, err
    # With credentials of one's own, the address is still said, without the warning.
    port, out, err = _start_on_every_interface(log_dir, "--credential", ":".join(ACCOUNT_A))
    assert f"listening on http://0.0.0.0:{port}" in out and "WARNING" not in err, (out, err)
