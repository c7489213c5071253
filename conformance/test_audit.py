"""The audit trail: GET /_local/audit and GET /_local/audit/export, read after real boto3 calls."""
import datetime
import json
from urllib.parse import urlencode

import botocore.config
import pytest

import wlhelpers as wl
from wlhelpers import ACCOUNT_A, ACCOUNT_B, assert_error, assert_validation

TOGGLE = "BatchToggleUserSuspendStatus"


def _path(base, params):
    q = urlencode({k: v for k, v in params.items() if v is not None})
    return base + ("?" + q if q else "")


def audit_page(ep, region=wl.DEFAULT_REGION, access_key="test", secret_key="test", **params):
    r = ep.raw("GET", _path("/_local/audit", params), region=region, access_key=access_key,
               secret_key=secret_key)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert isinstance(body["events"], list), body
    return body


def audit(ep, region=wl.DEFAULT_REGION, page_size=None, **params):
    """Every event the filters select, following nextToken."""
    events, token = [], None
    while True:
        body = audit_page(ep, region, maxResults=page_size, nextToken=token, **params)
        if page_size is not None:
            assert len(body["events"]) <= page_size
        events += body["events"]
        token = body.get("nextToken")
        if not token:
            return events


def export(ep, region=wl.DEFAULT_REGION, **params):
    r = ep.raw("GET", _path("/_local/audit/export", params), region=region)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/x-ndjson"
    assert r.headers.get("x-amzn-RequestId")
    if not r.text:
        return []
    assert r.text.endswith("\n")
    return [json.loads(line) for line in r.text.split("\n")[:-1]]


def fresh_client(ep, region=wl.DEFAULT_REGION, **config):
    """A client of its own, so event hooks registered on it stay out of the other tests."""
    import boto3
    return boto3.client("wickr", endpoint_url=ep.url, region_name=region, aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=botocore.config.Config(**(config or {"retries": {"total_max_attempts": 1}})))


def _capture_client_tokens(client, operation):
    """The X-Client-Token of every request boto3 sends for the operation (retries included)."""
    sent = []

    def before_send(request, **_):
        sent.append(request.headers.get("X-Client-Token"))
        if isinstance(sent[-1], bytes):
            sent[-1] = sent[-1].decode()

    client.meta.events.register(f"before-send.wickr.{operation}", before_send)
    return sent


def test_a_suspension_shows_one_event_per_user_with_old_and_new_state(ep, network, group):
    client = fresh_client(ep)
    users = [u["userId"] for u in wl.create_users(client, network, 3, group)]
    client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[users[2]])
    tokens = _capture_client_tokens(client, TOGGLE)
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=users)
    request_id = r["ResponseMetadata"]["RequestId"]
    assert request_id

    events = [e for e in audit(ep, networkId=network, operation=TOGGLE) if e["requestId"] == request_id]
    assert [e["userId"] for e in events] == users, events
    for e in events:
        assert e["outcome"] == "Success"
        assert e["operation"] == TOGGLE
        assert e["networkId"] == network
        assert e["accountId"] == wl.DEFAULT_ACCOUNT
        assert e["accessKeyId"] == "test"
        assert e["region"] == wl.DEFAULT_REGION
        assert e["clientToken"] == tokens[-1], "the token boto3 generated and sent"
        assert e["newState"] == {"suspended": True}
        when = datetime.datetime.strptime(e["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
        assert int(when.timestamp() * 1000) == e["epochMillis"]
        assert abs(e["epochMillis"] / 1000 - datetime.datetime.now().timestamp()) < 300
    assert [e["changed"] for e in events] == [True, True, False], "the third was suspended already"
    assert [e["oldState"]["suspended"] for e in events] == [False, False, True]
    assert len({e["eventId"] for e in events}) == 3


def test_a_retry_with_the_same_token_shows_each_change_exactly_once(ep, network, group):
    """boto3 resends with the same client token when an answer is lost; here the first answer is thrown
    away by a retry hook, as if a fault had cut the connection after the server committed."""
    retrying = fresh_client(ep, retries={"mode": "standard", "max_attempts": 3})
    users = [u["userId"] for u in wl.create_users(retrying, network, 3, group)]
    tokens = _capture_client_tokens(retrying, TOGGLE)
    lost = []

    def lose_first_answer(attempts, response, **_):
        if attempts == 1 and response is not None and response[0].status_code == 200:
            lost.append(response[0].headers.get("x-amzn-RequestId"))
            return 0  # retry at once
        return None

    retrying.meta.events.register(f"needs-retry.wickr.{TOGGLE}", lose_first_answer)
    r = retrying.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=users)
    assert r["ResponseMetadata"]["RetryAttempts"] == 1
    assert len(tokens) == 2 and tokens[0] == tokens[1], tokens
    assert len(lost) == 1

    events = audit(ep, networkId=network, operation=TOGGLE)
    for u in users:
        changes = [e for e in events if e.get("userId") == u]
        assert len(changes) == 1, changes
        assert changes[0]["changed"] is True
        assert changes[0]["requestId"] == lost[0]
        assert changes[0]["clientToken"] == tokens[0]
        assert audit(ep, userId=u, operation=TOGGLE) == changes
    replay = [e for e in events if e["requestId"] == r["ResponseMetadata"]["RequestId"]]
    assert len(replay) == 1 and replay[0]["outcome"] == "Replay", replay
    assert "userId" not in replay[0] and "changed" not in replay[0]
    assert replay[0]["ids"]["userIds"] == users


def test_a_refused_call_is_recorded_with_its_error_and_changes_nothing(ep, client, network, group):
    users = [u["userId"] for u in wl.create_users(client, network, 2, group)]
    missing = wl.unused_network_id(client)
    r = wl.toggle_raw(ep, missing, True, users)
    assert_error(r, "ResourceNotFoundError")
    events = [e for e in audit(ep, networkId=missing) if e["requestId"] == r.headers["x-amzn-RequestId"]]
    assert len(events) == 1, events
    assert events[0]["outcome"] == "ResourceNotFoundError"
    assert events[0]["requestId"] == r.headers["x-amzn-RequestId"]
    assert events[0]["ids"]["userIds"] == users

    with pytest.raises(client.exceptions.BadRequestError) as e:
        client.delete_security_group(networkId=network, groupId=group)
    refused = audit(ep, networkId=network, operation="DeleteSecurityGroup")
    assert [x["outcome"] for x in refused] == ["BadRequestError"]
    assert refused[0]["requestId"] == e.value.response["ResponseMetadata"]["RequestId"]
    assert client.get_security_group(networkId=network, groupId=group)["securityGroup"]["id"] == group


def test_filters_pages_and_order(ep):
    region = wl.isolated_region()
    c = ep.client(region=region)
    net = wl.new_network(c)
    other = wl.new_network(c)
    users = [u["userId"] for u in wl.create_users(c, net, 4)]
    c.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=users)
    c.batch_toggle_user_suspend_status(networkId=net, suspend=False, userIds=users[:1])
    c.update_network(networkId=other, networkName="renamed")

    everything = audit(ep, region)
    assert [e["operation"] for e in everything] == (["CreateNetwork"] * 2 + ["BatchCreateUser"] * 4 + [TOGGLE] * 5
                                                    + ["UpdateNetwork"])
    assert [e["epochMillis"] for e in everything] == sorted(e["epochMillis"] for e in everything)
    assert audit(ep, region, page_size=3) == everything
    assert audit(ep, region, page_size=1) == everything
    newest_first = audit(ep, region, page_size=2, sortDirection="DESC")
    assert newest_first == everything[::-1]

    assert [e["operation"] for e in audit(ep, region, userId=users[0])] == ["BatchCreateUser", TOGGLE, TOGGLE]
    assert [e["operation"] for e in audit(ep, region, networkId=other)] == ["CreateNetwork", "UpdateNetwork"]
    toggles = audit(ep, region, operation=TOGGLE, page_size=2)
    assert len(toggles) == 5
    last = everything[-1]["epochMillis"] // 1000
    assert everything[-1] in audit(ep, region, startTime=last)
    assert audit(ep, region, startTime=last + 1) == []
    assert audit(ep, region, endTime=everything[0]["epochMillis"] // 1000 - 1) == []
    iso = datetime.datetime.fromtimestamp(last, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert audit(ep, region, startTime=iso) == audit(ep, region, startTime=last)

    first = audit_page(ep, region, maxResults=2)
    assert len(first["events"]) == 2 and first["nextToken"]
    r = ep.raw("GET", _path("/_local/audit", {"operation": TOGGLE, "nextToken": first["nextToken"]}), region=region)
    assert_validation(r, "nextToken")
    r = ep.raw("GET", _path("/_local/audit", {"nextToken": first["nextToken"]}), region=wl.DEFAULT_REGION)
    assert_validation(r, "nextToken")


def test_the_export_is_the_same_events_as_json_lines(ep):
    region = wl.isolated_region()
    c = ep.client(region=region)
    net = wl.new_network(c)
    users = [u["userId"] for u in wl.create_users(c, net, 3)]
    c.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=users)
    assert export(ep, region) == audit(ep, region)
    assert export(ep, region, operation=TOGGLE, userId=users[1]) == audit(ep, region, operation=TOGGLE,
                                                                         userId=users[1])
    assert len(export(ep, region, operation=TOGGLE)) == 3
    assert export(ep, region, userId="1") == []


def test_names_and_secrets_never_reach_the_trail(ep, client, network, group):
    created = wl.create_users(client, network, 2, group, names=[("Marguerite", "Oyelaran"), ("Thaddeus", "Quill")])
    client.update_user(networkId=network, userId=created[0]["userId"], userDetails={"firstName": "Philippa"})
    client.create_bot(networkId=network, username="auditbot", groupId=group, challenge="Sup3r-secret-pw")
    wl.sign_in_ok(ep, network, created[1]["userId"], created[1]["inviteCode"])
    text = json.dumps(export(ep, networkId=network))
    for secret in ("Marguerite", "Oyelaran", "Thaddeus", "Quill", "Philippa", "Sup3r-secret-pw",
                   created[0]["inviteCode"], created[1]["inviteCode"]):
        assert secret not in text


def test_each_account_and_region_sees_only_its_own_trail(multi_ep):
    region = wl.isolated_region()
    a = multi_ep.client(region=region, access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    net = wl.new_network(a)

    def read(key, in_region, **params):
        r = multi_ep.raw("GET", _path("/_local/audit", params), region=in_region, access_key=key[0],
                         secret_key=key[1])
        assert r.status_code == 200, r.text
        return r.json()["events"]

    mine = read(ACCOUNT_A, region)
    assert [(e["operation"], e["networkId"]) for e in mine] == [("CreateNetwork", net)]
    assert mine[0]["accountId"] == ACCOUNT_A[2] and mine[0]["accessKeyId"] == ACCOUNT_A[0]
    assert mine[0]["region"] == region
    assert read(ACCOUNT_B, region) == []
    assert read(ACCOUNT_A, wl.DEFAULT_REGION, networkId=net) == []


def test_bad_requests_are_refused(ep):
    for path in ("/_local/audit", "/_local/audit/export"):
        assert_error(ep.raw("GET", path, sign=False), "MissingAuthenticationTokenException", 403)
        assert_error(ep.raw("GET", path, secret_key="wrong"), "InvalidSignatureException", 403)
        assert_validation(ep.raw("GET", path + "?userId=12a"), "userId")
        assert_validation(ep.raw("GET", path + "?networkId=1234"), "networkId")
        assert_validation(ep.raw("GET", path + "?operation=NoSuchOperation"), "operation")
        assert_validation(ep.raw("GET", path + "?operation=Create%20Network"), "operation")
        assert_validation(ep.raw("GET", path + "?startTime=soon"), "startTime")
        assert_validation(ep.raw("GET", path + "?startTime=200&endTime=100"), "startTime")
        assert_error(ep.raw("POST", path, {}), "BadRequestError")
    for bad in ("0", "101", "x"):
        assert_validation(ep.raw("GET", "/_local/audit?maxResults=" + bad), "maxResults")
    assert_validation(ep.raw("GET", "/_local/audit?nextToken=not-a-token"), "nextToken")
    assert_validation(ep.raw("GET", "/_local/audit?sortDirection=UP"), "sortDirection")


def test_the_readme_example_runs_as_written(ep, tmp_path):
    import os
    import subprocess
    import sys
    example = wl.REPO_ROOT / "examples" / "audit.py"
    body = example.read_text().split('"""', 2)[2].strip()  # docs/audit.md leaves out the docstring
    assert body in (wl.REPO_ROOT / "docs" / "audit.md").read_text()
    r = subprocess.run([sys.executable, str(example), str(tmp_path / "audit.jsonl")],
                       env={**os.environ, "ENDPOINT": ep.url}, cwd=tmp_path, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3, r.stdout
    assert lines[0].endswith("{'suspended': True} -> {'suspended': True} unchanged")
    assert all(line.endswith("{'suspended': False} -> {'suspended': True} changed") for line in lines[1:])
    exported = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.jsonl"]  # nothing else left behind
    assert [e["operation"] for e in exported] == ["CreateNetwork"] + ["BatchCreateUser"] * 3 + [TOGGLE] * 4
