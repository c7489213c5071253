"""The /_local network-access extension: sign-in and sessions."""
import pytest

import wlhelpers as wl
from wlhelpers import assert_error, assert_validation


@pytest.fixture
def user(client, network, group):
    return wl.create_users(client, network, 1, group)[0]


def _path(nid, uid, what="sign-in"):
    return f"/_local/networks/{nid}/users/{uid}/{what}"


def test_pending_user_signs_in_with_invite_code(client, ep, network, user):
    body = wl.sign_in_ok(ep, network, user["userId"], user["inviteCode"])
    assert set(body) >= {"sessionId", "deviceId"}
    g = client.get_user(networkId=network, userId=user["userId"])
    assert g["status"] == 2
    listed = wl.find_user(client, network, user["userId"])
    assert listed["status"] == 2


@pytest.mark.parametrize("code", [None, "wrong-code", "0000"])
def test_pending_user_needs_right_code(client, ep, network, user, code):
    r = wl.sign_in(ep, network, user["userId"], code)
    assert_error(r, "ForbiddenError")
    assert client.get_user(networkId=network, userId=user["userId"])["status"] == 1
    assert wl.sessions(ep, network, user["userId"]) == []


def test_active_user_signs_in_without_code_new_device_each_time(client, ep, network, user):
    first = wl.sign_in_ok(ep, network, user["userId"], user["inviteCode"])
    second = wl.sign_in_ok(ep, network, user["userId"])
    third = wl.sign_in_ok(ep, network, user["userId"], device_type="MacOSX")
    assert len({first["deviceId"], second["deviceId"], third["deviceId"]}) == 3
    assert len({first["sessionId"], second["sessionId"], third["sessionId"]}) == 3
    devices = client.list_devices_for_user(networkId=network, userId=user["userId"])["devices"]
    assert len(devices) == 3


def test_sign_in_again_on_known_device(client, ep, network, user):
    first = wl.sign_in_ok(ep, network, user["userId"], user["inviteCode"], device_type="Android")
    again = wl.sign_in_ok(ep, network, user["userId"], device_type="Android",
                          device_id=first["deviceId"])
    assert again["deviceId"] == first["deviceId"]
    devices = client.list_devices_for_user(networkId=network, userId=user["userId"])["devices"]
    assert len(devices) == 1


@pytest.mark.parametrize("device_type", ["iOS", "Android", "MacOSX", "Windows", "Linux"])
def test_valid_device_types(ep, network, user, device_type):
    wl.sign_in_ok(ep, network, user["userId"], user["inviteCode"], device_type=device_type)


@pytest.mark.parametrize("device_type", ["BlackBerry", "", "ios-ish", "Symbian"])
def test_invalid_device_type(client, ep, network, user, device_type):
    r = wl.sign_in(ep, network, user["userId"], user["inviteCode"], device_type=device_type)
    assert_validation(r, "deviceType")
    assert client.get_user(networkId=network, userId=user["userId"])["status"] == 1


def test_missing_device_type(ep, network, user):
    r = ep.raw("POST", _path(network, user["userId"]), {"inviteCode": user["inviteCode"]})
    assert_validation(r, "deviceType")


def test_unknown_user_and_network(client, ep, network, user):
    # As the API answers them: an unknown user id is BadRequestError "Invalid userId." (AWS example
    # GetUser#4), an unknown network ResourceNotFoundError "Network not found" (GetNetwork#2).
    r = wl.sign_in(ep, network, "9999999993", "x")
    assert_error(r, "BadRequestError", mentions="Invalid userId.")
    r = wl.sign_in(ep, wl.unused_network_id(client), user["userId"], user["inviteCode"])
    assert_error(r, "ResourceNotFoundError", mentions="Network not found")
    r = ep.raw("GET", _path(network, "9999999993", "sessions"))
    assert_error(r, "BadRequestError", mentions="Invalid userId.")


def test_sign_in_requires_signature(ep, network, user):
    r = ep.raw("POST", _path(network, user["userId"]),
               {"deviceType": "iOS", "inviteCode": user["inviteCode"]}, sign=False)
    assert_error(r, "MissingAuthenticationTokenException", 403)
    r = ep.raw("GET", _path(network, user["userId"], "sessions"), sign=False)
    assert_error(r, "MissingAuthenticationTokenException", 403)
    r = ep.raw("POST", _path(network, user["userId"]),
               {"deviceType": "iOS", "inviteCode": user["inviteCode"]}, secret_key="nope")
    assert_error(r, "InvalidSignatureException", 403)


def test_sign_in_is_partitioned_by_region(ep, network, user):
    r = wl.sign_in(ep, network, user["userId"], user["inviteCode"], region="eu-west-1")
    assert_error(r, "ResourceNotFoundError")


def test_sign_in_bad_json(ep, network, user):
    r = ep.raw("POST", _path(network, user["userId"]), b'{"deviceType": ')
    assert_error(r, "BadRequestError")


def test_sessions_list(ep, network, user):
    assert wl.sessions(ep, network, user["userId"]) == []
    a = wl.sign_in_ok(ep, network, user["userId"], user["inviteCode"], device_type="Linux")
    b = wl.sign_in_ok(ep, network, user["userId"], device_type="Windows")
    got = wl.sessions(ep, network, user["userId"])
    assert len(got) == 2
    for s in got:
        assert s.get("sessionId") and s.get("deviceId") and s.get("started") is not None, s
    assert {(s["sessionId"], s["deviceId"]) for s in got} == \
        {(a["sessionId"], a["deviceId"]), (b["sessionId"], b["deviceId"])}


def test_local_responses_have_request_id(ep, network, user):
    r = wl.sign_in(ep, network, user["userId"], user["inviteCode"])
    assert r.status_code == 200 and r.headers.get("x-amzn-RequestId")
    r = ep.raw("GET", _path(network, user["userId"], "sessions"))
    assert r.headers.get("x-amzn-RequestId")
    r = wl.sign_in(ep, network, user["userId"], device_type="Nokia")
    assert r.headers.get("x-amzn-RequestId")


def test_deleted_user_cannot_sign_in(client, ep, network, user):
    client.batch_delete_user(networkId=network, userIds=[user["userId"]])
    r = wl.sign_in(ep, network, user["userId"], user["inviteCode"])
    assert_error(r, "BadRequestError", mentions="Invalid userId.")
