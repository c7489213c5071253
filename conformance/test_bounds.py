"""Bounded state, through the real jar: --max-client-tokens and --audit-max-events given on the command line."""
import time

import botocore.config
import pytest

import wlhelpers as wl
from wlhelpers import ACCOUNT_A, ACCOUNT_B, assert_error, toggle_raw

TOGGLE = "BatchToggleUserSuspendStatus"


def audit(ep, region=wl.DEFAULT_REGION, **params):
    events, token = [], None
    while True:
        query = "&".join(f"{k}={v}" for k, v in sorted({**params, "maxResults": 100,
                                                         **({"nextToken": token} if token else {})}.items()))
        r = ep.raw("GET", "/_local/audit?" + query, region=region)
        assert r.status_code == 200, r.text
        events += r.json()["events"]
        token = r.json().get("nextToken")
        if not token:
            return events


def test_at_the_bound_a_new_token_is_refused_and_a_repeat_answered(server_factory):
    srv = server_factory("--in-memory", "--max-client-tokens", "3", "--credential", ":".join(ACCOUNT_A),
                         "--credential", ":".join(ACCOUNT_B), name="tokens")
    ep = srv.endpoint()
    a = ep.client(access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    net = wl.new_network(a)
    users = [u["userId"] for u in wl.create_users(a, net, 2)]  # boto3 gave BatchCreateUser a token: 1 of 3
    first = a.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=users[:1], clientToken="t-1")
    a.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=users[1:], clientToken="t-2")

    with pytest.raises(a.exceptions.RateLimitError) as refused:
        a.batch_toggle_user_suspend_status(networkId=net, suspend=False, userIds=users, clientToken="t-3")
    err = refused.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 429
    message = err["Error"]["Message"]
    assert f"Account {ACCOUNT_A[2]} holds 3 client tokens from the last 24 hours" in message, message
    assert "still gets its first answer" in message and "next room frees up at" in message, message
    assert all(a.get_user(networkId=net, userId=u)["suspended"] for u in users), "the refused call changed nothing"

    again = a.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=users[:1], clientToken="t-1")
    assert wl.strip_meta(again) == wl.strip_meta(first)
    r = toggle_raw(ep, net, "false", users, token="t-3", access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    assert_error(r, "RateLimitError", mentions=["3 client tokens"])
    r = toggle_raw(ep, net, "false", users, access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    assert r.status_code == 200, "a call without a token is not bounded: " + r.text

    west = ep.client(region="eu-west-1", access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    west_net = wl.new_network(west)
    with pytest.raises(west.exceptions.RateLimitError):
        west.batch_toggle_user_suspend_status(networkId=west_net, suspend=True, userIds=["1"], clientToken="w-1")
    b = ep.client(access_key=ACCOUNT_B[0], secret_key=ACCOUNT_B[1])
    theirs = wl.new_network(b)
    assert b.batch_toggle_user_suspend_status(networkId=theirs, suspend=True, userIds=["1"],
                                              clientToken="t-3")["failed"], "another account has its own bound"


def test_a_restart_with_a_smaller_audit_bound_keeps_the_newest_events(log_dir, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    first = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="audit-a").start()
    try:
        ep = first.endpoint()
        c, west = ep.client(), ep.client(region="eu-west-1")
        for i in range(6):
            wl.new_network(c if i % 2 else west)
            time.sleep(0.002)
        net = wl.new_network(c)
        wl.create_users(c, net, 3)
        everything = sorted(audit(ep) + audit(ep, "eu-west-1"), key=lambda e: (e["epochMillis"], e["eventId"]))
        assert len(everything) == 10
    finally:
        assert first.stop(), first.log_tail()

    second = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir), "--audit-max-events", "4"],
                              name="audit-b").start()
    try:
        ep = second.endpoint()
        deadline = time.monotonic() + 60
        while len(audit(ep)) + len(audit(ep, "eu-west-1")) > 4:
            assert time.monotonic() < deadline, "the housekeeping did not apply the bound\n" + second.log_tail()
            time.sleep(0.5)
        left = audit(ep) + audit(ep, "eu-west-1")
        assert sorted(e["eventId"] for e in left) == sorted(e["eventId"] for e in everything[-4:])
        assert [e["operation"] for e in audit(ep)] == ["CreateNetwork", "BatchCreateUser", "BatchCreateUser",
                                                        "BatchCreateUser"]
        assert audit(ep, "eu-west-1") == []
    finally:
        second.stop()


@pytest.mark.parametrize("flag,value,why", [("--max-client-tokens", "0", "must be between 1 and 10000000"),
                                            ("--audit-retention", "0", "must be between 1 and 36500"),
                                            ("--audit-max-events", "lots", "must be a number")])
def test_a_bound_out_of_range_stops_the_start(flag, value, why):
    import subprocess
    r = subprocess.run([wl.java_cmd(), "-jar", str(wl.jar_path()), flag, value], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2, r
    assert f"{flag} {why}" in r.stderr, r.stderr
