"""BatchToggleUserSuspendStatus: semantics, validation, effects, idempotency."""
import json

import pytest

import wlhelpers as wl
from wlhelpers import assert_error, assert_validation, expect_error, toggle_raw


def _suspended(client, network, uid):
    return client.get_user(networkId=network, userId=uid)["suspended"]


def _ids(items):
    return sorted(i["userId"] for i in items or [])


@pytest.fixture
def trio(client, network, group):
    return [u["userId"] for u in wl.create_users(client, network, 3, group)]


def test_suspend_and_unsuspend(client, network, trio):
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=trio[:2])
    assert _ids(r["successful"]) == sorted(trio[:2])
    assert not r.get("failed")
    assert _suspended(client, network, trio[0]) is True
    assert _suspended(client, network, trio[1]) is True
    assert _suspended(client, network, trio[2]) is False
    listed = {u["userId"]: u["suspended"] for u in wl.all_users(client, network)}
    assert listed == {trio[0]: True, trio[1]: True, trio[2]: False}
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=False, userIds=[trio[0]])
    assert _ids(r["successful"]) == [trio[0]]
    assert _suspended(client, network, trio[0]) is False
    assert _suspended(client, network, trio[1]) is True


def test_raw_wire_format(ep, client, network, trio):
    r = toggle_raw(ep, network, "true", [trio[0]])
    assert r.status_code == 200, r.text
    assert r.headers.get("x-amzn-RequestId")
    body = r.json()
    assert body["successful"] == [{"userId": trio[0]}]
    assert _suspended(client, network, trio[0]) is True
    r = toggle_raw(ep, network, "false", [trio[0]])
    assert r.status_code == 200, r.text
    assert _suspended(client, network, trio[0]) is False


def test_each_distinct_id_once_and_duplicates_processed_once(client, network, trio):
    unknown = "9999999990"
    r = client.batch_toggle_user_suspend_status(
        networkId=network, suspend=True,
        userIds=[trio[0], trio[0], trio[1], unknown, unknown, trio[0]])
    succ = [s["userId"] for s in r["successful"]]
    fail = [f["userId"] for f in r["failed"]]
    assert sorted(succ) == sorted([trio[0], trio[1]])
    assert fail == [unknown]
    assert not set(succ) & set(fail)
    assert r["failed"][0].get("reason")
    assert r["failed"][0].get("field")


def test_user_of_other_network_fails_without_leaking(client, network, trio):
    other = wl.new_network(client)
    foreign = wl.create_users(client, other, 1)[0]["userId"]
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                                userIds=[trio[0], foreign])
    assert _ids(r["successful"]) == [trio[0]]
    assert [f["userId"] for f in r["failed"]] == [foreign]
    assert r["failed"][0].get("reason")
    assert other not in json.dumps(wl.strip_meta(r))
    assert _suspended(client, other, foreign) is False


def test_resuspend_is_success_and_pending_users_can_be_suspended(client, network, trio):
    assert client.get_user(networkId=network, userId=trio[0])["status"] == 1
    client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[trio[0]])
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[trio[0]])
    assert _ids(r["successful"]) == [trio[0]]
    assert not r.get("failed")
    assert _suspended(client, network, trio[0]) is True
    # unsuspending a user that is not suspended is also fine
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=False, userIds=[trio[1]])
    assert _ids(r["successful"]) == [trio[1]]
    assert _suspended(client, network, trio[1]) is False


def test_message_says_success_or_partial_success(client, network, group):
    """AWS examples BatchToggleUserSuspendStatus#1/#2; an all-failed batch also says "partial success"
    (our choice, docs/AWS-EXAMPLES.md)."""
    ids = [u["userId"] for u in wl.create_users(client, network, 3, group)]
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=ids)
    assert (r["message"], r["failed"]) == ("success", [])
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=False,
                                                userIds=ids[:2] + ["9999999991"])
    assert r["message"] == "partial success"
    assert r["failed"] == [{"userId": "9999999991", "field": "username", "reason": "User not found"}]
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=False, userIds=["9999999991"])
    assert (r["message"], r["successful"]) == ("partial success", [])


def test_user_of_another_network_fails_as_not_found(client, network, group):
    """AWS example BatchToggleUserSuspendStatus#2: a user of another network is "User not found", like an
    unknown id, and stays as it was."""
    other = wl.new_network(client)
    theirs = wl.create_users(client, other, 1)[0]["userId"]
    mine = wl.create_users(client, network, 1, group)[0]["userId"]
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[mine, theirs, mine])
    assert r["successful"] == [{"userId": mine}]
    assert r["failed"] == [{"userId": theirs, "field": "username", "reason": "User not found"}]
    assert client.get_user(networkId=other, userId=theirs)["suspended"] is False


def test_unknown_network_is_404(client):
    nid = wl.unused_network_id(client)
    with expect_error(client, "ResourceNotFoundError"):
        client.batch_toggle_user_suspend_status(networkId=nid, suspend=True, userIds=["1"])


# ---------------------------------------------------------------------------
# whole-request validation: nothing changes
# ---------------------------------------------------------------------------

def _unchanged(client, network, ids):
    for uid in ids:
        assert _suspended(client, network, uid) is False, f"user {uid} was changed"


@pytest.mark.parametrize("suspend,field", [(None, "suspend"), ("maybe", "suspend"),
                                           ("", "suspend"), ("1", "suspend"), ("yes", "suspend")])
def test_bad_suspend_parameter(ep, client, network, trio, suspend, field):
    assert_validation(toggle_raw(ep, network, suspend, trio), field)
    _unchanged(client, network, trio)


@pytest.mark.parametrize("bad", ["123", "1234567", "123456789", "abcdefgh"])
def test_bad_network_id(ep, bad):
    assert_validation(toggle_raw(ep, bad, "true", ["1"]), "networkId")


def test_user_ids_missing(ep, client, network, trio):
    r = ep.raw("PATCH", f"/networks/{network}/users/toggleSuspend?suspend=true", {})
    assert_validation(r, "userIds")
    r = ep.raw("PATCH", f"/networks/{network}/users/toggleSuspend?suspend=true", {"userIds": None})
    assert_validation(r, "userIds")
    _unchanged(client, network, trio)


def test_user_ids_empty(ep, client, network):
    assert_validation(toggle_raw(ep, network, "true", []), "userIds")
    with expect_error(client, "ValidationError", field="userIds"):
        client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[])


def test_user_ids_51_items(ep, client, network, group):
    ids = [u["userId"] for u in wl.create_users(client, network, 51, group)]
    assert_validation(toggle_raw(ep, network, "true", ids), "userIds")
    _unchanged(client, network, ids[:3] + ids[-2:])
    # the limit is inclusive: 50 is accepted
    r = client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=ids[:50])
    assert len(r["successful"]) == 50


@pytest.mark.parametrize("bad", ["12a", "abc", "12345678901", "", " 1", "-1", "1.5"])
def test_bad_user_id_element(ep, client, network, trio, bad):
    r = toggle_raw(ep, network, "true", trio + [bad])
    assert_validation(r, "userIds[3]")
    _unchanged(client, network, trio)


def test_bad_user_id_element_via_boto3(client, network, trio):
    with expect_error(client, "ValidationError", field="userIds[1]"):
        client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                                userIds=[trio[0], "not-a-number"])
    _unchanged(client, network, trio)


@pytest.mark.parametrize("token", ["t" * 65, "has space", "semi;colon", "slash/token", "dot.token"])
def test_bad_client_token(ep, client, network, trio, token):
    assert_validation(toggle_raw(ep, network, "true", trio, token=token), "clientToken")
    _unchanged(client, network, trio)


def test_client_token_charset_and_length_accepted(ep, client, network, trio):
    token = ("aZ09-_:" * 10)[:64]
    r = toggle_raw(ep, network, "true", [trio[0]], token=token)
    assert r.status_code == 200, r.text
    assert _suspended(client, network, trio[0]) is True


# ---------------------------------------------------------------------------
# effects on sessions and devices
# ---------------------------------------------------------------------------

def test_suspension_ends_sessions_and_marks_devices(client, ep, network, group):
    u = wl.create_users(client, network, 1, group)[0]
    uid = u["userId"]
    wl.sign_in_ok(ep, network, uid, u["inviteCode"], device_type="iOS")
    wl.sign_in_ok(ep, network, uid, device_type="Windows")
    assert len(wl.sessions(ep, network, uid)) == 2
    client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[uid])
    assert wl.sessions(ep, network, uid) == []
    devices = client.list_devices_for_user(networkId=network, userId=uid)["devices"]
    assert len(devices) == 2
    assert all(d["suspend"] is True for d in devices), devices
    listed = wl.find_user(client, network, uid)
    assert listed["suspended"] is True

    r = wl.sign_in(ep, network, uid, device_type="iOS")
    assert_error(r, "ForbiddenError", mentions="suspended")
    assert wl.sessions(ep, network, uid) == []

    client.batch_toggle_user_suspend_status(networkId=network, suspend=False, userIds=[uid])
    devices = client.list_devices_for_user(networkId=network, userId=uid)["devices"]
    assert all(d["suspend"] is False for d in devices), devices
    wl.sign_in_ok(ep, network, uid, device_type="Android")
    assert len(wl.sessions(ep, network, uid)) == 1


def test_suspended_pending_user_cannot_sign_in_with_code(client, ep, network, group):
    u = wl.create_users(client, network, 1, group)[0]
    client.batch_toggle_user_suspend_status(networkId=network, suspend=True, userIds=[u["userId"]])
    r = wl.sign_in(ep, network, u["userId"], u["inviteCode"])
    assert_error(r, "ForbiddenError", mentions="suspended")
    assert client.get_user(networkId=network, userId=u["userId"])["status"] == 1


# ---------------------------------------------------------------------------
# idempotency (X-Client-Token)
# ---------------------------------------------------------------------------

def test_same_token_replays_without_rerunning(ep, client, network, trio):
    token = f"tok-{wl.uid_tag()}"
    first = toggle_raw(ep, network, "true", [trio[0], "9999999992"], token=token)
    assert first.status_code == 200, first.text
    assert _suspended(client, network, trio[0]) is True
    undo = toggle_raw(ep, network, "false", [trio[0]], token=f"undo-{wl.uid_tag()}")
    assert undo.status_code == 200
    assert _suspended(client, network, trio[0]) is False
    again = toggle_raw(ep, network, "true", [trio[0], "9999999992"], token=token)
    assert again.status_code == 200, again.text
    assert again.content == first.content
    assert _suspended(client, network, trio[0]) is False


def test_concurrent_requests_with_same_token_run_once(ep, client, network, group):
    from concurrent.futures import ThreadPoolExecutor
    ids = [u["userId"] for u in wl.create_users(client, network, 3, group)]
    token = f"conc-{wl.uid_tag()}"
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda _: toggle_raw(ep, network, "true", ids, token=token), range(10)))
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    assert len({r.content for r in results}) == 1
    assert _ids(results[0].json()["successful"]) == sorted(ids)


def test_same_token_replay_via_boto3(client, network, trio):
    token = f"b3-{wl.uid_tag()}"
    a = client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                                userIds=[trio[1]], clientToken=token)
    client.batch_toggle_user_suspend_status(networkId=network, suspend=False, userIds=[trio[1]])
    b = client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                                userIds=[trio[1]], clientToken=token)
    assert wl.strip_meta(a) == wl.strip_meta(b)
    assert _suspended(client, network, trio[1]) is False


def test_replay_returns_original_even_after_user_deleted(client, network, trio):
    token = f"del-{wl.uid_tag()}"
    a = client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                                userIds=[trio[2]], clientToken=token)
    client.batch_delete_user(networkId=network, userIds=[trio[2]])
    b = client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                                userIds=[trio[2]], clientToken=token)
    assert wl.strip_meta(a) == wl.strip_meta(b)


@pytest.mark.parametrize("change", ["suspend", "userIds"])
def test_same_token_different_parameters(ep, client, network, trio, change):
    token = f"diff-{change}-{wl.uid_tag()}"
    ok = toggle_raw(ep, network, "true", [trio[0]], token=token)
    assert ok.status_code == 200
    if change == "suspend":
        r = toggle_raw(ep, network, "false", [trio[0]], token=token)
    else:
        r = toggle_raw(ep, network, "true", [trio[0], trio[1]], token=token)
    body = assert_error(r, "BadRequestError", mentions="token")
    assert "different" in body["message"].lower() or "parameter" in body["message"].lower(), body
    assert _suspended(client, network, trio[0]) is True
    assert _suspended(client, network, trio[1]) is False


def test_same_token_other_network_is_a_mismatch(client, network, trio):
    # Within one account+region+operation the network id is one of the
    # parameters, so reusing the token for another network is a mismatch.
    token = f"net-{wl.uid_tag()}"
    client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                            userIds=[trio[0]], clientToken=token)
    other = wl.new_network(client)
    ou = wl.create_users(client, other, 1)[0]["userId"]
    with expect_error(client, "BadRequestError", mentions="token"):
        client.batch_toggle_user_suspend_status(networkId=other, suspend=True,
                                                userIds=[ou], clientToken=token)
    assert _suspended(client, other, ou) is False


def test_token_independent_across_regions(make_client):
    token = f"reg-{wl.uid_tag()}"
    east, west = make_client(region="us-east-1"), make_client(region="eu-west-1")
    en = wl.new_network(east)
    eu = wl.create_users(east, en, 1)[0]["userId"]
    wn = wl.new_network(west)
    wu = wl.create_users(west, wn, 2)
    east.batch_toggle_user_suspend_status(networkId=en, suspend=True, userIds=[eu], clientToken=token)
    r = west.batch_toggle_user_suspend_status(networkId=wn, suspend=True,
                                              userIds=[w["userId"] for w in wu], clientToken=token)
    assert _ids(r["successful"]) == sorted(w["userId"] for w in wu)
    assert all(_suspended(west, wn, w["userId"]) for w in wu)


def test_token_independent_across_operations(client, network, trio):
    token = f"op-{wl.uid_tag()}"
    client.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                            userIds=[trio[0]], clientToken=token)
    r = client.batch_reinvite_user(networkId=network, userIds=[trio[1]], clientToken=token)
    assert _ids(r["successful"]) == [trio[1]]
    r = client.batch_delete_user(networkId=network, userIds=[trio[2]], clientToken=token)
    assert _ids(r["successful"]) == [trio[2]]


def test_token_independent_across_accounts(multi_ep):
    from wlhelpers import ACCOUNT_A, ACCOUNT_B
    a = multi_ep.client(access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    b = multi_ep.client(access_key=ACCOUNT_B[0], secret_key=ACCOUNT_B[1])
    token = f"acct-{wl.uid_tag()}"
    an = wl.new_network(a)
    au = wl.create_users(a, an, 1)[0]["userId"]
    bn = wl.new_network(b)
    bu = [u["userId"] for u in wl.create_users(b, bn, 2)]
    ra = a.batch_toggle_user_suspend_status(networkId=an, suspend=True, userIds=[au], clientToken=token)
    rb = b.batch_toggle_user_suspend_status(networkId=bn, suspend=True, userIds=bu, clientToken=token)
    assert _ids(ra["successful"]) == [au]
    assert _ids(rb["successful"]) == sorted(bu)
    assert all(_suspended(b, bn, u) for u in bu)


def test_rejected_request_does_not_consume_token(ep, client, network, trio):
    token = f"rej-{wl.uid_tag()}"
    assert_validation(toggle_raw(ep, network, "true", [trio[0], "bad!"], token=token), "userIds[1]")
    r = toggle_raw(ep, network, "false", [trio[1]], token=token)
    assert r.status_code == 200, r.text
