"""Guest users: recording activity (/_local), listing, the monthly history, blocking, the block list."""
import datetime
import hashlib
import re
import time

import pytest

import wlhelpers as wl
from wlhelpers import assert_error, assert_validation, expect_error

DAY = 86400


def _record(ep, network, username, when=None, **kw):
    body = {"username": username}
    if when is not None:
        body["time"] = when
    return ep.raw("POST", f"/_local/networks/{network}/guest-activity", body, **kw)


def _record_ok(ep, network, username, when=None):
    r = _record(ep, network, username, when)
    assert r.status_code == 200, f"{r.status_code} {r.text[:500]}"
    assert r.headers.get("x-amzn-RequestId")
    return r.json()


def _period(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m")


def _guests(client, network, **kw):
    return client.get_paginator("list_guest_users").paginate(
        networkId=network, **kw).build_full_result().get("guestlist", [])


def _blocked(client, network, **kw):
    return client.get_paginator("list_blocked_guest_users").paginate(
        networkId=network, **kw).build_full_result().get("blocklist", [])


def test_activity_answers_hash_of_lower_cased_name_and_period(client, ep, network):
    now = int(time.time())
    name = f"Guest-{wl.uid_tag()}@Partner.example"
    body = _record_ok(ep, network, name)
    assert body["usernameHash"] == hashlib.sha256(name.lower().encode()).hexdigest()
    assert body["billingPeriod"] in {_period(now), _period(int(time.time()))}
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}", body["billingPeriod"])
    again = _record_ok(ep, network, name.lower(), now - 40 * DAY)
    assert again["usernameHash"] == body["usernameHash"]
    items = _guests(client, network)
    assert sorted(i["billingPeriod"] for i in items) == sorted({body["billingPeriod"], _period(now - 40 * DAY)})
    assert {i["usernameHash"] for i in items} == {body["usernameHash"]}


def test_activity_input_rules(ep, client, network):
    assert_validation(ep.raw("POST", f"/_local/networks/{network}/guest-activity", {}), "username")
    assert_validation(_record(ep, network, ""), "username")
    assert_validation(_record(ep, network, "x@y.example", int(time.time()) + 3600), "time")
    assert_validation(_record(ep, network, "x@y.example", "yesterday"), "time")
    assert_error(_record(ep, wl.unused_network_id(client), "x@y.example"), "ResourceNotFoundError")
    member = wl.create_users(client, network, 1)[0]["username"]
    assert_validation(_record(ep, network, member.upper()), "username")
    assert _guests(client, network) == []


def test_activity_of_another_region_network_is_not_found(ep, network):
    assert_error(_record(ep, network, "x@y.example", region="eu-west-1"), "ResourceNotFoundError")


def test_list_guest_users_filters(client, ep, network):
    now = int(time.time())
    past = now - 45 * DAY
    tag = wl.uid_tag()
    _record_ok(ep, network, f"ann-{tag}@alpha.example", now)
    _record_ok(ep, network, f"ann-{tag}@alpha.example", past)
    _record_ok(ep, network, f"bob-{tag}@beta.example", past)
    alpha = _guests(client, network, username="ALPHA")
    assert [g["username"] for g in alpha] == [f"ann-{tag}@alpha.example"] * 2
    in_past = _guests(client, network, billingPeriod=_period(past))
    assert sorted(g["username"] for g in in_past) == sorted([f"ann-{tag}@alpha.example", f"bob-{tag}@beta.example"])
    assert {g["billingPeriod"] for g in in_past} == {_period(past)}
    assert _guests(client, network, billingPeriod="1999-01") == []


@pytest.mark.parametrize("bad", ["2024-13", "2024_01", "202401", "Jan 2024"])
def test_list_guest_users_malformed_billing_period(client, network, bad):
    with expect_error(client, "ValidationError", field="billingPeriod"):
        client.list_guest_users(networkId=network, billingPeriod=bad)


def test_list_guest_users_paginator_sorted_each_once(client, ep, network):
    now = int(time.time())
    tag = wl.uid_tag()
    names = [f"g{i:02d}-{tag}@other.example" for i in range(12)]
    for n in names:
        _record_ok(ep, network, n, now)
        _record_ok(ep, network, n, now - 60 * DAY)
    pages = list(client.get_paginator("list_guest_users").paginate(
        networkId=network, sortFields="username", sortDirection="ASC", PaginationConfig={"PageSize": 5}))
    assert len(pages) == 5
    assert all(len(p["guestlist"]) <= 5 for p in pages)
    rows = [(g["username"], g["billingPeriod"]) for p in pages for g in p["guestlist"]]
    assert len(rows) == 24 and len(set(rows)) == 24
    assert rows == sorted(rows)
    # Without a sortDirection the order is ascending (AWS example ListGuestUsers#2).
    first = client.list_guest_users(networkId=network, maxResults=3)
    assert len(first["guestlist"]) == 3 and first.get("nextToken")
    assert first["guestlist"][0]["billingPeriod"] == _period(now - 60 * DAY)
    assert [g["username"] for g in first["guestlist"]] == names[:3]
    newest = client.list_guest_users(networkId=network, sortFields="billingPeriod", sortDirection="DESC")
    assert [(g["billingPeriod"], g["username"]) for g in newest["guestlist"]] \
        == [(_period(now), n) for n in reversed(names[2:])]
    with expect_error(client, "ValidationError", field="nextToken"):
        client.list_guest_users(networkId=network, username="g01", nextToken=first["nextToken"])
    with expect_error(client, "ValidationError", field="sortFields"):
        client.list_guest_users(networkId=network, sortFields="admin")


def _month(epoch, back=0):
    """The history month ('YYYY_MM') `back` months before the month of `epoch`."""
    d = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    y, m = divmod(d.year * 12 + d.month - 1 - back, 12)
    return f"{y:04d}_{m + 1:02d}"


def _in_month(epoch, back):
    """Noon on the 1st of the month `back` months before the month of `epoch` (epoch seconds)."""
    y, m = (int(x) for x in _month(epoch, back).split("_"))
    return int(datetime.datetime(y, m, 1, 12, tzinfo=datetime.timezone.utc).timestamp())


def test_guest_history_count(client, ep, network):
    """AWS examples GetGuestUserHistoryCount#1/#2: the current month and the five before it, newest
    first, counts as text, months without guests left out."""
    now = int(time.time())
    tag = wl.uid_tag()
    for n in ("a", "b"):
        _record_ok(ep, network, f"{n}-{tag}@x.example", now)
        _record_ok(ep, network, f"{n}-{tag}@x.example", now)
    _record_ok(ep, network, f"a-{tag}@x.example", _in_month(now, 2))
    _record_ok(ep, network, f"c-{tag}@x.example", _in_month(now, 5))
    _record_ok(ep, network, f"d-{tag}@x.example", _in_month(now, 6))
    history = client.get_guest_user_history_count(networkId=network)["history"]
    if _month(now) != _month(int(time.time())):
        pytest.skip("the month changed during the test")
    assert history == [{"month": _month(now), "count": "2"}, {"month": _month(now, 2), "count": "1"},
                       {"month": _month(now, 5), "count": "1"}]
    assert client.get_guest_user_history_count(networkId=wl.new_network(client))["history"] == []


def test_block_refuses_activity_and_unblock_restores(client, ep, network):
    name = f"eve-{wl.uid_tag()}@rival.example"
    guest = _record_ok(ep, network, name)
    r = client.update_guest_user(networkId=network, usernameHash=guest["usernameHash"], block=True)
    assert r["message"] == "success"
    assert_error(_record(ep, network, name.upper()), "ForbiddenError", mentions="blocked")
    assert len(_guests(client, network)) == 1
    other = wl.new_network(client)
    _record_ok(ep, other, name)
    client.update_guest_user(networkId=network, usernameHash=guest["usernameHash"], block=False)
    _record_ok(ep, network, name, int(time.time()) - 60 * DAY)
    assert len(_guests(client, network)) == 2


def test_update_guest_user_unknown_hash_or_network(client, ep, network):
    foreign = _record_ok(ep, wl.new_network(client), "far@away.example")["usernameHash"]
    with expect_error(client, "ResourceNotFoundError"):
        client.update_guest_user(networkId=network, usernameHash=foreign, block=True)
    with expect_error(client, "ResourceNotFoundError"):
        client.update_guest_user(networkId=wl.unused_network_id(client), usernameHash=foreign, block=True)


def test_update_guest_user_wire_validation(ep, network):
    guest = _record_ok(ep, network, "wire@away.example")["usernameHash"]
    path = f"/networks/{network}/guest-users/{guest}"
    assert_validation(ep.raw("PATCH", path, {}), "block")
    assert_validation(ep.raw("PATCH", path, {"block": "yes"}), "block")
    r = ep.raw("PATCH", path, {"block": True})
    assert r.status_code == 200, r.text
    assert r.json()["message"]


def test_block_list_items_and_repeats(client, ep, network):
    """AWS examples UpdateGuestUser#1-#3 and ListBlockedGuestUsers#1: "success", a second block is
    refused and keeps the first, and a block's time is written 'YYYY-MM-DD HH:MM:SS' (UTC)."""
    name = f"dan-{wl.uid_tag()}@away.example"
    guest = _record_ok(ep, network, name)["usernameHash"]
    assert client.update_guest_user(networkId=network, usernameHash=guest, block=False)["message"] == "success"
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    assert client.update_guest_user(networkId=network, usernameHash=guest, block=True)["message"] == "success"
    first = _blocked(client, network)
    with expect_error(client, "BadRequestError") as ei:
        client.update_guest_user(networkId=network, usernameHash=guest, block=True)
    assert ei.value.response["Error"]["Message"] == "This user is already blocked in your network"
    items = _blocked(client, network)
    assert items == first and len(items) == 1
    item = items[0]
    assert item["username"] == name and item["usernameHash"] == guest and item["admin"] == "test"
    assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", item["modified"])
    modified = datetime.datetime.strptime(item["modified"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    assert before - datetime.timedelta(seconds=5) <= modified <= before + datetime.timedelta(seconds=60)
    client.update_guest_user(networkId=network, usernameHash=guest, block=False)
    assert _blocked(client, network) == []


def test_block_list_filters_sorts_and_pages(server_factory):
    srv = server_factory("--in-memory", "--credential", "AKIDALICE:s1:000000000000",
                         "--credential", "AKIDBOB:s2:000000000000", name="guests-admins")
    alice = srv.endpoint().client(access_key="AKIDALICE", secret_key="s1")
    bob = srv.endpoint().client(access_key="AKIDBOB", secret_key="s2")
    network = wl.new_network(alice)
    names = [f"u{i:02d}@{'one' if i % 2 == 0 else 'two'}.example" for i in range(9)]
    for i, n in enumerate(names):
        r = _record(srv.endpoint(), network, n, access_key="AKIDALICE", secret_key="s1")
        assert r.status_code == 200, r.text
        admin = alice if i % 2 == 0 else bob
        admin.update_guest_user(networkId=network, usernameHash=r.json()["usernameHash"], block=True)
    by_admin = _blocked(alice, network, admin="alice")
    assert sorted(b["username"] for b in by_admin) == names[0::2]
    assert {b["admin"] for b in by_admin} == {"AKIDALICE"}
    two = _blocked(alice, network, username="TWO.example")
    assert sorted(b["username"] for b in two) == names[1::2]
    pages = list(alice.get_paginator("list_blocked_guest_users").paginate(
        networkId=network, sortFields="username", sortDirection="ASC", PaginationConfig={"PageSize": 4}))
    assert [len(p["blocklist"]) for p in pages] == [4, 4, 1]
    assert [b["username"] for p in pages for b in p["blocklist"]] == names
    admins = [b["admin"] for b in _blocked(alice, network, sortFields="admin", sortDirection="DESC")]
    assert admins == sorted(admins, reverse=True)
    with expect_error(alice, "ValidationError", field="sortFields"):
        alice.list_blocked_guest_users(networkId=network, sortFields="billingPeriod")
