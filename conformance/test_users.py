"""User management operations."""
import hashlib
import re
import time

import pytest

import wlhelpers as wl
from wlhelpers import assert_validation, expect_error


def _item(username, group, **kw):
    d = {"username": username, "securityGroupIds": [group]}
    d.update(kw)
    return d


# ---------------------------------------------------------------------------
# BatchCreateUser
# ---------------------------------------------------------------------------

def test_batch_create_user_success_fields(client, network, group):
    tag = wl.uid_tag()
    users = [_item(f"a-{tag}@example.com", group, firstName="Ada", lastName="Lovelace"),
             _item(f"b-{tag}@example.com", group)]
    r = client.batch_create_user(networkId=network, users=users)
    assert not r.get("failed"), r
    ok = r["successful"]
    assert sorted(u["username"] for u in ok) == sorted(u["username"] for u in users)
    for u in ok:
        assert wl.USER_ID_RE.match(u["userId"]), u
        assert u["status"] == 1
        assert isinstance(u.get("inviteCode"), str) and u["inviteCode"], u
        # The members AWS example BatchCreateUser#1 shows, and no others.
        assert set(u) == {"userId", "username", "firstName", "lastName", "status", "inviteCode",
                          "isInviteExpired", "codeValidation"}, u
    assert "message" not in r
    assert len({u["userId"] for u in ok}) == 2
    assert ok[0]["inviteCode"] != ok[1]["inviteCode"]


def test_batch_create_duplicate_username_in_network(client, network, group):
    tag = wl.uid_tag()
    existing = f"dup-{tag}@example.com"
    client.batch_create_user(networkId=network, users=[_item(existing, group)])
    fresh = f"fresh-{tag}@example.com"
    r = client.batch_create_user(networkId=network, users=[_item(existing, group), _item(fresh, group)])
    assert [u["username"] for u in r["successful"]] == [fresh]
    assert len(r["failed"]) == 1
    f = r["failed"][0]
    assert f.get("field") and f.get("reason"), f
    names = [u["username"] for u in wl.all_users(client, network)]
    assert names.count(existing) == 1 and names.count(fresh) == 1


def test_batch_create_duplicate_username_within_batch(client, network, group):
    tag = wl.uid_tag()
    same = f"twice-{tag}@example.com"
    other = f"once-{tag}@example.com"
    r = client.batch_create_user(networkId=network,
                                 users=[_item(same, group), _item(other, group), _item(same, group)])
    ok = sorted(u["username"] for u in r["successful"])
    assert ok == sorted([same, other])
    assert len(r["failed"]) == 1
    assert r["failed"][0].get("field") and r["failed"][0].get("reason")
    names = [u["username"] for u in wl.all_users(client, network)]
    assert names.count(same) == 1


def test_concurrent_creates_of_same_username_yield_one_user(client, network, group):
    from concurrent.futures import ThreadPoolExecutor
    name = f"race-{wl.uid_tag()}@example.com"

    def create(_):
        return client.batch_create_user(networkId=network, users=[_item(name, group)])
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(create, range(8)))
    assert sum(len(r["successful"]) for r in results) == 1
    assert sum(len(r.get("failed") or []) for r in results) == 7
    assert [u["username"] for u in wl.all_users(client, network)].count(name) == 1


def test_batch_create_unknown_security_group(client, network, group):
    tag = wl.uid_tag()
    good = f"good-{tag}@example.com"
    bad = f"bad-{tag}@example.com"
    r = client.batch_create_user(networkId=network, users=[
        _item(bad, "no-such-group-xyz"), _item(good, group)])
    assert [u["username"] for u in r["successful"]] == [good]
    assert len(r["failed"]) == 1
    assert r["failed"][0].get("field") and r["failed"][0].get("reason")
    assert bad not in [u["username"] for u in wl.all_users(client, network)]


def test_batch_create_limits(client, network, group):
    tag = wl.uid_tag()
    with expect_error(client, "ValidationError", field="users"):
        client.batch_create_user(networkId=network, users=[
            _item(f"u{i}-{tag}@example.com", group) for i in range(51)])
    with expect_error(client, "ValidationError", field="users"):
        client.batch_create_user(networkId=network, users=[])
    assert wl.all_users(client, network) == []
    # exactly 50 is fine
    r = client.batch_create_user(networkId=network, users=[
        _item(f"v{i}-{tag}@example.com", group) for i in range(50)])
    assert len(r["successful"]) == 50


def test_batch_create_missing_username_is_422(raw, network, group):
    r = raw("POST", f"/networks/{network}/users",
            {"users": [{"username": "ok@example.com", "securityGroupIds": [group]},
                       {"securityGroupIds": [group]}]})
    assert_validation(r, "users[1].username")


def test_batch_create_unknown_network(client, group):
    nid = wl.unused_network_id(client)
    with expect_error(client, "ResourceNotFoundError"):
        client.batch_create_user(networkId=nid, users=[_item("x@example.com", group)])


# ---------------------------------------------------------------------------
# GetUser / UpdateUser
# ---------------------------------------------------------------------------

def test_get_user(client, network, group):
    u = wl.create_users(client, network, 1, group, names=[("Grace", "Hopper")])[0]
    g = client.get_user(networkId=network, userId=u["userId"])
    assert g["userId"] == u["userId"]
    assert g["username"] == u["username"]
    assert g["firstName"] == "Grace" and g["lastName"] == "Hopper"
    assert g["status"] == 1
    assert g["suspended"] is False
    assert g["securityGroupIds"] == [group]


def test_get_unknown_user(client, network):
    """AWS example GetUser#4 (chosen over GetUser#3, see docs/AWS-EXAMPLES.md)."""
    with expect_error(client, "BadRequestError", mentions="Invalid userId."):
        client.get_user(networkId=network, userId="9999999999")


def test_user_of_other_network_not_visible(client, network):
    other = wl.new_network(client)
    u = wl.create_users(client, other, 1)[0]
    with expect_error(client, "BadRequestError", mentions="Invalid userId."):
        client.get_user(networkId=network, userId=u["userId"])


@pytest.mark.parametrize("bad", ["abc", "12345678901", "1a"])
def test_get_user_malformed_id(raw, network, bad):
    assert_validation(raw("GET", f"/networks/{network}/users/{bad}"), "userId")


def test_update_user_changes_only_what_is_sent(client, network, group):
    u = wl.create_users(client, network, 1, group, names=[("Alan", "Turing")])[0]
    r = client.update_user(networkId=network, userId=u["userId"], userDetails={"firstName": "Alonzo"})
    assert r["userId"] == u["userId"]
    assert r["networkId"] == network
    assert r["suspended"] is False
    assert r["status"] == 1
    # Groups and invitation appear in the answer only when sent (AWS examples UpdateUser#1/#2).
    assert "securityGroupIds" not in r and "inviteCode" not in r and "codeValidation" not in r, r
    g = client.get_user(networkId=network, userId=u["userId"])
    assert (g["firstName"], g["lastName"], g["username"]) == ("Alonzo", "Turing", u["username"])
    client.update_user(networkId=network, userId=u["userId"], userDetails={"lastName": "Church"})
    g = client.get_user(networkId=network, userId=u["userId"])
    assert (g["firstName"], g["lastName"]) == ("Alonzo", "Church")
    new_name = f"renamed-{wl.uid_tag()}@example.com"
    r = client.update_user(networkId=network, userId=u["userId"],
                           userDetails={"username": new_name, "securityGroupIds": [group]})
    assert r["securityGroupIds"] == [group]
    g = client.get_user(networkId=network, userId=u["userId"])
    assert (g["firstName"], g["lastName"], g["username"]) == ("Alonzo", "Church", new_name)
    assert g["securityGroupIds"] == [group]


def test_update_unknown_user(client, network):
    """AWS example UpdateUser#4 (chosen over UpdateUser#3, see docs/AWS-EXAMPLES.md)."""
    with expect_error(client, "BadRequestError", mentions="Invalid userId."):
        client.update_user(networkId=network, userId="9999999998", userDetails={"firstName": "X"})


# ---------------------------------------------------------------------------
# ListUsers
# ---------------------------------------------------------------------------

@pytest.fixture
def people(client, network, group):
    names = [("Zoe", "Adams"), ("adam", "Baker"), ("Yuri", "Clark"),
             ("Adam", "Zed"), ("Bob", "Adamson"), ("Carol", "Young")]
    users = wl.create_users(client, network, len(names), group, names=names, prefix="Person")
    return users


def test_list_users_items(client, network, people):
    items = client.list_users(networkId=network, maxResults=100)["users"]
    assert sorted(u["userId"] for u in items) == sorted(u["userId"] for u in people)
    for u in items:
        assert u["username"] and u["firstName"] and u["lastName"]
        assert u["status"] == 1 and u["suspended"] is False
        assert wl.USER_ID_RE.match(u["userId"])


def test_list_users_filter_first_name_case_insensitive(client, network, people):
    got = {u["firstName"] for u in client.list_users(networkId=network, firstName="ADA")["users"]}
    assert got == {"adam", "Adam"}


def test_list_users_filter_last_name_substring(client, network, people):
    got = {u["lastName"] for u in client.list_users(networkId=network, lastName="dam")["users"]}
    assert got == {"Adams", "Adamson"}


def test_list_users_filter_username(client, network, people):
    target = people[2]["username"]
    got = [u["username"] for u in
           client.list_users(networkId=network, username=target.upper()[2:12])["users"]]
    assert target in got
    got = [u["username"] for u in client.list_users(networkId=network, username="person")["users"]]
    assert len(got) == len(people)
    assert client.list_users(networkId=network, username="no-such-substring")["users"] == []


def test_list_users_filter_status(client, ep, network, people):
    u = people[0]
    wl.sign_in_ok(ep, network, u["userId"], u["inviteCode"])
    active = client.list_users(networkId=network, status=2)["users"]
    assert [x["userId"] for x in active] == [u["userId"]]
    assert active[0]["status"] == 2
    pending = client.list_users(networkId=network, status=1, maxResults=100)["users"]
    assert sorted(x["userId"] for x in pending) == sorted(p["userId"] for p in people[1:])


def test_list_users_filter_group(client, network, group, people):
    got = client.list_users(networkId=network, groupId=group, maxResults=100)["users"]
    assert len(got) == len(people)
    assert client.list_users(networkId=network, groupId="no-such-group")["users"] == []


def test_list_users_sort_single_field(client, network, people):
    asc = [u["lastName"] for u in client.list_users(
        networkId=network, sortFields="lastName", sortDirection="ASC")["users"]]
    assert asc == sorted(asc, key=str.lower) and len(asc) == len(people)
    desc = [u["lastName"] for u in client.list_users(
        networkId=network, sortFields="lastName", sortDirection="DESC")["users"]]
    assert desc == list(reversed(asc))
    by_name = [u["username"] for u in client.list_users(
        networkId=network, sortFields="username", sortDirection="ASC")["users"]]
    assert by_name == sorted(by_name, key=str.lower)


def test_list_users_sort_multiple_fields(client, network, group):
    names = [("Ann", "Smith"), ("Bea", "Jones"), ("Ann", "Jones"), ("Bea", "Adams"), ("Ann", "Brown")]
    wl.create_users(client, network, len(names), group, names=names)
    got = [(u["firstName"], u["lastName"]) for u in client.list_users(
        networkId=network, sortFields="firstName+lastName", sortDirection="ASC")["users"]]
    assert got == sorted(names)
    got = [(u["firstName"], u["lastName"]) for u in client.list_users(
        networkId=network, sortFields="lastName+firstName", sortDirection="ASC")["users"]]
    assert got == sorted(names, key=lambda n: (n[1], n[0]))


def test_list_users_sort_by_status(client, ep, network, people):
    u = people[3]
    wl.sign_in_ok(ep, network, u["userId"], u["inviteCode"])
    asc = [x["status"] for x in client.list_users(
        networkId=network, sortFields="status", sortDirection="ASC")["users"]]
    assert asc == [1] * (len(people) - 1) + [2]
    desc = client.list_users(networkId=network, sortFields="status+username",
                             sortDirection="DESC")["users"]
    assert desc[0]["userId"] == u["userId"]


def test_list_users_unknown_sort_field(client, network, people):
    with expect_error(client, "ValidationError", field="sortFields"):
        client.list_users(networkId=network, sortFields="shoeSize")
    with expect_error(client, "ValidationError", field="sortFields"):
        client.list_users(networkId=network, sortFields="username+shoeSize")


def test_list_users_max_results(client, network, group):
    wl.create_users(client, network, 12, group)
    r = client.list_users(networkId=network)
    assert len(r["users"]) == 10 and r.get("nextToken")
    r2 = client.list_users(networkId=network, nextToken=r["nextToken"])
    assert len(r2["users"]) == 2 and not r2.get("nextToken")
    assert len(client.list_users(networkId=network, maxResults=1)["users"]) == 1
    assert len(client.list_users(networkId=network, maxResults=100)["users"]) == 12
    for bad in (0, 101):
        with expect_error(client, "ValidationError", field="maxResults"):
            client.list_users(networkId=network, maxResults=bad)


def test_list_users_paginator_each_once(client, network, group):
    created = wl.create_users(client, network, 23, group)
    pages = list(client.get_paginator("list_users").paginate(
        networkId=network, sortFields="username", sortDirection="ASC",
        PaginationConfig={"PageSize": 5}))
    assert len(pages) == 5
    ids = [u["userId"] for p in pages for u in p["users"]]
    assert sorted(ids) == sorted(u["userId"] for u in created)
    names = [u["username"] for p in pages for u in p["users"]]
    assert names == sorted(names, key=str.lower)


def test_list_users_bad_next_token(client, network, group):
    wl.create_users(client, network, 3, group)
    token = client.list_users(networkId=network, maxResults=1)["nextToken"]
    with expect_error(client, "ValidationError", field="nextToken"):
        client.list_users(networkId=network, nextToken="garbage-token")
    other = wl.new_network(client)
    wl.create_users(client, other, 3)
    with expect_error(client, "ValidationError", field="nextToken"):
        client.list_users(networkId=other, maxResults=1, nextToken=token)
    with expect_error(client, "ValidationError", field="nextToken"):
        client.list_users(networkId=network, maxResults=1, nextToken=token,
                          sortFields="lastName", sortDirection="ASC")


# ---------------------------------------------------------------------------
# BatchDeleteUser / GetUsersCount / BatchReinviteUser / BatchLookupUserUname
# ---------------------------------------------------------------------------

def test_batch_delete_user(client, network, group):
    users = wl.create_users(client, network, 3, group)
    ids = [u["userId"] for u in users]
    r = client.batch_delete_user(networkId=network, userIds=[ids[0], ids[2], "9999999997"])
    assert sorted(s["userId"] for s in r["successful"]) == sorted([ids[0], ids[2]])
    # AWS example BatchDeleteUser#2.
    assert r["failed"] == [{"userId": "9999999997", "field": "username", "reason": "User not found"}]
    assert r["message"] == "partial success"
    for gone in (ids[0], ids[2]):
        with expect_error(client, "BadRequestError"):
            client.get_user(networkId=network, userId=gone)
    assert [u["userId"] for u in wl.all_users(client, network)] == [ids[1]]
    again = client.batch_delete_user(networkId=network, userIds=[ids[0]])
    assert [f["userId"] for f in again["failed"]] == [ids[0]]
    assert not again.get("successful")
    assert again["message"] == "partial success"


def test_batch_delete_user_validation(client, network, group):
    u = wl.create_users(client, network, 1, group)[0]
    with expect_error(client, "ValidationError", field="userIds"):
        client.batch_delete_user(networkId=network, userIds=[])
    with expect_error(client, "ValidationError", field="userIds"):
        client.batch_delete_user(networkId=network, userIds=[u["userId"]] + [str(i + 1) for i in range(50)])
    assert client.get_user(networkId=network, userId=u["userId"])["userId"] == u["userId"]


def test_get_users_count(client, ep, network, group):
    c = client.get_users_count(networkId=network)
    for k in ("pending", "active", "rejected", "remaining", "total"):
        assert isinstance(c[k], int), c
    assert (c["pending"], c["active"], c["total"]) == (0, 0, 0)
    users = wl.create_users(client, network, 3, group)
    c = client.get_users_count(networkId=network)
    assert (c["pending"], c["active"], c["total"]) == (3, 0, 3)
    wl.sign_in_ok(ep, network, users[0]["userId"], users[0]["inviteCode"])
    c2 = client.get_users_count(networkId=network)
    assert (c2["pending"], c2["active"], c2["total"]) == (2, 1, 3)
    assert c2["total"] == c2["pending"] + c2["active"]
    client.batch_delete_user(networkId=network, userIds=[users[1]["userId"]])
    c3 = client.get_users_count(networkId=network)
    assert (c3["pending"], c3["active"], c3["total"]) == (1, 1, 2)


def test_batch_reinvite_user(client, ep, network, group):
    users = wl.create_users(client, network, 2, group)
    pending, active = users
    wl.sign_in_ok(ep, network, active["userId"], active["inviteCode"])
    r = client.batch_reinvite_user(networkId=network,
                                   userIds=[pending["userId"], active["userId"], "9999999996"])
    assert [s["userId"] for s in r["successful"]] == [pending["userId"]]
    assert sorted(f["userId"] for f in r["failed"]) == sorted([active["userId"], "9999999996"])
    for f in r["failed"]:
        assert f.get("reason"), f
    # the old invitation no longer works ...
    old = wl.sign_in(ep, network, pending["userId"], pending["inviteCode"])
    wl.assert_error(old, "ForbiddenError")
    # ... and ListUsers shows the new code, which does
    listed = wl.find_user(client, network, pending["userId"])
    new_code = listed.get("inviteCode")
    assert new_code and new_code != pending["inviteCode"], listed
    wl.sign_in_ok(ep, network, pending["userId"], new_code)


def test_batch_lookup_user_uname(client, network, group):
    users = wl.create_users(client, network, 2, group)
    # The README's rule: SHA-256 (hex) of the lower-cased username.
    unames = [hashlib.sha256(u["username"].lower().encode()).hexdigest() for u in users]
    r = client.batch_lookup_user_uname(networkId=network, unames=unames + ["no-such-uname"])
    got = {s["uname"]: s["username"] for s in r["successful"]}
    assert got == {unames[0]: users[0]["username"], unames[1]: users[1]["username"]}
    # AWS example BatchLookupUserUname#2.
    assert r["failed"] == [{"uname": "no-such-uname", "field": "uname", "reason": "Uname not found"}]
    assert r["message"] == "partial success"


# ---------------------------------------------------------------------------
# ListDevicesForUser
# ---------------------------------------------------------------------------

def test_list_devices_for_user(client, ep, network, group):
    u = wl.create_users(client, network, 1, group)[0]
    assert client.list_devices_for_user(networkId=network, userId=u["userId"])["devices"] == []
    types = ["iOS", "Android", "Linux"]
    wl.sign_in_ok(ep, network, u["userId"], u["inviteCode"], device_type=types[0])
    for t in types[1:]:
        wl.sign_in_ok(ep, network, u["userId"], device_type=t)
    devices = client.list_devices_for_user(networkId=network, userId=u["userId"])["devices"]
    assert len(devices) == 3
    # Kinds and times as AWS examples ListDevicesForUser#1/#2 write them.
    assert sorted(d["type"] for d in devices) == ["desktop", "mobile", "mobile"]
    for d in devices:
        assert d["appId"], d
        for when in (d["created"], d["lastLogin"]):
            assert re.fullmatch(r"[A-Z][a-z]+ [0-9]{1,2}(st|nd|rd|th) [0-9]{4}, [0-9]{1,2}:[0-9]{2}:[0-9]{2} [ap]m", when), d
        assert d["statusText"] == "Active"
        assert d["suspend"] is False
    assert len({d["appId"] for d in devices}) == 3

    first = client.list_devices_for_user(networkId=network, userId=u["userId"], maxResults=2)
    assert len(first["devices"]) == 2 and first.get("nextToken")
    second = client.list_devices_for_user(networkId=network, userId=u["userId"],
                                          maxResults=2, nextToken=first["nextToken"])
    assert len(second["devices"]) == 1 and not second.get("nextToken")
    pages = client.get_paginator("list_devices_for_user").paginate(
        networkId=network, userId=u["userId"], PaginationConfig={"PageSize": 1})
    ids = [d["appId"] for p in pages for d in p["devices"]]
    assert sorted(ids) == sorted(d["appId"] for d in devices)


def test_list_devices_unknown_user(client, network):
    """AWS example ListDevicesForUser#3."""
    with expect_error(client, "BadRequestError", mentions="Invalid userId."):
        client.list_devices_for_user(networkId=network, userId="9999999995")


def test_last_login_set_by_sign_in(client, ep, network, group):
    u = wl.create_users(client, network, 1, group)[0]
    before = int(time.time()) - 5
    wl.sign_in_ok(ep, network, u["userId"], u["inviteCode"])
    g = client.get_user(networkId=network, userId=u["userId"])
    assert isinstance(g.get("lastLogin"), int), g
    assert before <= g["lastLogin"] <= int(time.time()) + 5
    assert g["status"] == 2


def test_reset_devices_of_an_unknown_network_user_or_device(client, ep, network, group):
    """AWS examples BatchResetDevicesForUser#2/#3: an unknown network is ForbiddenError "Invalid networkId."
    in this operation (a network of another account alike), an unknown user "Invalid userId.", an unknown
    device a failed item."""
    u = wl.create_users(client, network, 1, group)[0]
    device = wl.sign_in_ok(ep, network, u["userId"], u["inviteCode"])["deviceId"]
    with expect_error(client, "ForbiddenError", mentions="Invalid networkId."):
        client.batch_reset_devices_for_user(networkId=wl.unused_network_id(client), userId=u["userId"],
                                            appIds=[device])
    with expect_error(client, "BadRequestError", mentions="Invalid userId."):
        client.batch_reset_devices_for_user(networkId=network, userId="9999999994", appIds=[device])
    r = client.batch_reset_devices_for_user(networkId=network, userId=u["userId"], appIds=[device, "no-such-app"])
    assert r["message"] == "partial success"
    assert r["successful"] == [{"appId": device}]
    assert r["failed"] == [{"appId": "no-such-app", "field": "appId", "reason": "Invalid app ID."}]


def test_reinvite_reasons_have_no_field(client, ep, network, group):
    """AWS examples BatchReinviteUser#2/#3: lower-case reasons, no field, no message."""
    pending, accepted = wl.create_users(client, network, 2, group)
    wl.sign_in_ok(ep, network, accepted["userId"], accepted["inviteCode"])
    r = client.batch_reinvite_user(networkId=network, userIds=[pending["userId"], accepted["userId"], "9999999993"])
    assert "message" not in r
    assert r["successful"] == [{"userId": pending["userId"]}]
    assert r["failed"] == [{"userId": accepted["userId"], "reason": "user cannot be reinvited"},
                           {"userId": "9999999993", "reason": "user not found in current network"}]
