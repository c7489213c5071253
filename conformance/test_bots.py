"""Bots: create (username rules, uniqueness among bots and users), the /_local sign-in that
activates them, update (display name, group, password, suspension), delete, counts, and ListBots
with its filters, sort fields and paginator."""
import time

import pytest

import wlhelpers as wl
from wlhelpers import assert_error


@pytest.fixture
def net(client):
    return wl.new_network(client)


@pytest.fixture
def grp(client, net):
    return wl.default_group_id(client, net)


def _bot(client, net, grp, username, password="pw-1", **kw):
    return client.create_bot(networkId=net, username=username, groupId=grp, challenge=password, **kw)


def _sign_in(ep, net, bot_id, password):
    return ep.raw("POST", f"/_local/networks/{net}/bots/{bot_id}/sign-in", {"challenge": password})


def _sign_in_ok(ep, net, bot_id, password):
    r = _sign_in(ep, net, bot_id, password)
    assert r.status_code == 200, r.text
    assert r.json()["sessionId"]
    return r.json()


def test_create_then_get_shows_a_pending_bot(client, net, grp):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/bot.go Create() and bot_test.go
    TestAccWickrBot_basic / TestAccWickrBot_suspend (live-observations #42): CreateBot answers few
    fields (AWS example CreateBot#1: no message); GetBot then shows hasChallenge true, a status and
    suspended false, never the challenge itself."""
    created = wl.strip_meta(_bot(client, net, grp, "Deploy-Bot", displayName="Deployments"))
    assert wl.USER_ID_RE.match(created["botId"]) and len(created["botId"]) == 10
    assert created == {"botId": created["botId"], "networkId": net, "groupId": grp, "username": "Deploy-Bot",
                       "displayName": "Deployments"}
    got = wl.strip_meta(client.get_bot(networkId=net, botId=created["botId"]))
    assert got["status"] == 1 and got["suspended"] is False and got["hasChallenge"] is True
    assert got["groupId"] == grp and got["displayName"] == "Deployments"
    assert len(got["uname"]) == 64
    assert "lastLogin" not in got and "challenge" not in got


def test_display_name_defaults_to_username(client, net, grp):
    created = _bot(client, net, grp, "plainbot")
    assert created["displayName"] == "plainbot"
    assert client.get_bot(networkId=net, botId=created["botId"])["displayName"] == "plainbot"


def test_username_must_end_in_bot(client, net, grp):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/bot.go schema (live-observations
    #40): a bot's username ends in "bot"; the reason is AWS example CreateBot#3's."""
    with wl.expect_error(client, "ValidationError", field="username") as ei:
        _bot(client, net, grp, "robot-helper")
    assert ei.value.response["reasons"] == [{"field": "username", "reason": "Invalid username format"}]
    _bot(client, net, grp, "Helper_BOT")


def test_username_unique_among_bots_and_users(client, net, grp):
    """AWS example CreateBot#2: a taken username is a ValidationError "username is unavailable"."""
    _bot(client, net, grp, "twinbot")
    with wl.expect_error(client, "ValidationError", field="username") as ei:
        _bot(client, net, grp, "TwinBot")
    assert ei.value.response["reasons"] == [{"field": "username", "reason": "username is unavailable"}]
    client.batch_create_user(networkId=net, users=[{"username": "peoplebot", "securityGroupIds": [grp]}])
    with wl.expect_error(client, "ValidationError", field="username"):
        _bot(client, net, grp, "peoplebot")
    other = wl.new_network(client)
    _bot(client, other, wl.default_group_id(client, other), "twinbot")


def test_create_needs_a_group_of_this_network(client, net):
    other = wl.new_network(client)
    with wl.expect_error(client, "ValidationError", field="groupId"):
        _bot(client, net, wl.default_group_id(client, other), "lostbot")


def test_unknown_network_and_bot_are_not_found(client, net, grp):
    with wl.expect_error(client, "ResourceNotFoundError"):
        _bot(client, wl.unused_network_id(client), grp, "nobot")
    for call in (lambda: client.get_bot(networkId=net, botId="1234567890"),
                 lambda: client.update_bot(networkId=net, botId="1234567890", displayName="x"),
                 lambda: client.delete_bot(networkId=net, botId="1234567890")):
        with wl.expect_error(client, "ResourceNotFoundError") as ei:
            call()
        assert ei.value.response["Error"]["Message"] == "Bot not found"


def test_a_deleted_bot_is_404_bot_not_found(client, net, grp):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/find.go findBotByID() and bot.go
    Delete(), verified 2026-04-22 (live-observations #39): GetBot and DeleteBot of a deleted bot answer
    HTTP 404 with the message "Bot not found". (We keep the modeled error type; docs/AWS-EXAMPLES.md.)"""
    bot_id = _bot(client, net, grp, "gonebot")["botId"]
    client.delete_bot(networkId=net, botId=bot_id)
    for call in (lambda: client.get_bot(networkId=net, botId=bot_id),
                 lambda: client.delete_bot(networkId=net, botId=bot_id)):
        with wl.expect_error(client, "ResourceNotFoundError") as ei:
            call()
        assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert ei.value.response["Error"]["Message"] == "Bot not found"


def test_bot_of_another_network_is_not_visible(client, net, grp):
    bot_id = _bot(client, net, grp, "privatebot")["botId"]
    other = wl.new_network(client)
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.get_bot(networkId=other, botId=bot_id)


@pytest.mark.parametrize("bad", ["abc", "12345678901", "-1"])
def test_malformed_bot_id_is_422(ep, net, bad):
    wl.assert_validation(ep.raw("GET", f"/networks/{net}/bots/{bad}"))


def test_sign_in_activates_and_records_last_login(client, ep, net, grp):
    bot_id = _bot(client, net, grp, "activebot", "right-pw")["botId"]
    assert_error(_sign_in(ep, net, bot_id, "wrong-pw"), "ForbiddenError")
    assert client.get_bot(networkId=net, botId=bot_id)["status"] == 1
    _sign_in_ok(ep, net, bot_id, "right-pw")
    got = client.get_bot(networkId=net, botId=bot_id)
    assert got["status"] == 2 and got["pubkey"]
    # Epoch seconds, written as text (AWS examples GetBot#1, ListBots#1).
    assert got["lastLogin"].isdigit() and abs(int(got["lastLogin"]) - time.time()) < 300
    _sign_in_ok(ep, net, bot_id, "right-pw")
    assert client.get_bot(networkId=net, botId=bot_id)["pubkey"] == got["pubkey"]


def test_suspend_locks_the_bot_out_until_unsuspended(client, ep, net, grp):
    bot_id = _bot(client, net, grp, "lockbot", "pw")["botId"]
    _sign_in_ok(ep, net, bot_id, "pw")
    assert client.update_bot(networkId=net, botId=bot_id, suspend=True)["message"] == "success"
    assert client.get_bot(networkId=net, botId=bot_id)["suspended"] is True
    assert_error(_sign_in(ep, net, bot_id, "pw"), "ForbiddenError", mentions="suspended")
    client.update_bot(networkId=net, botId=bot_id, displayName="Still locked")
    assert client.get_bot(networkId=net, botId=bot_id)["suspended"] is True
    client.update_bot(networkId=net, botId=bot_id, suspend=False)
    _sign_in_ok(ep, net, bot_id, "pw")


def test_update_changes_only_what_is_sent(client, ep, net, grp):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/bot_test.go (live-observations
    #44): UpdateBot rotates the challenge and changes the display name in place."""
    bot_id = _bot(client, net, grp, "editbot", "old-pw", displayName="Before")["botId"]
    group2 = client.create_security_group(networkId=net, name="Bots", securityGroupSettings={})["securityGroup"]["id"]
    client.update_bot(networkId=net, botId=bot_id, groupId=group2)
    got = client.get_bot(networkId=net, botId=bot_id)
    assert got["groupId"] == group2 and got["displayName"] == "Before"
    with wl.expect_error(client, "ValidationError", field="groupId"):
        client.update_bot(networkId=net, botId=bot_id, groupId="nosuchgroup1")
    client.update_bot(networkId=net, botId=bot_id, challenge="new-pw")
    assert client.get_bot(networkId=net, botId=bot_id)["hasChallenge"] is True
    assert_error(_sign_in(ep, net, bot_id, "old-pw"), "ForbiddenError")
    _sign_in_ok(ep, net, bot_id, "new-pw")
    got = client.get_bot(networkId=net, botId=bot_id)
    assert got["groupId"] == group2 and got["displayName"] == "Before" and got["status"] == 2
    assert client.update_bot(networkId=net, botId=bot_id, displayName="After")["message"] == "success"
    assert client.get_bot(networkId=net, botId=bot_id)["displayName"] == "After"


def test_delete_and_counts(client, ep, net, grp):
    ids = [_bot(client, net, grp, f"count{i}bot")["botId"] for i in range(3)]
    _sign_in_ok(ep, net, ids[0], "pw-1")
    count = wl.strip_meta(client.get_bots_count(networkId=net))
    assert count == {"pending": 2, "active": 1, "total": 3}
    assert client.delete_bot(networkId=net, botId=ids[0])["message"] == "success"
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.get_bot(networkId=net, botId=ids[0])
    assert_error(_sign_in(ep, net, ids[0], "pw-1"), "ResourceNotFoundError")
    assert wl.strip_meta(client.get_bots_count(networkId=net)) == {"pending": 2, "active": 0, "total": 2}


def test_a_suspended_bot_counts_in_total_only(client, ep, net, grp):
    """AWS example GetBotsCount#1 (15 bots, 12 active, 2 pending): a suspended bot is neither active
    nor pending, but it is one of the network's bots."""
    active, pending = (_bot(client, net, grp, f"{n}bot")["botId"] for n in ("active", "pending"))
    _sign_in_ok(ep, net, active, "pw-1")
    client.update_bot(networkId=net, botId=active, suspend=True)
    client.update_bot(networkId=net, botId=pending, suspend=True)
    assert wl.strip_meta(client.get_bots_count(networkId=net)) == {"pending": 0, "active": 0, "total": 2}
    client.update_bot(networkId=net, botId=active, suspend=False)
    assert wl.strip_meta(client.get_bots_count(networkId=net)) == {"pending": 0, "active": 1, "total": 2}


@pytest.fixture
def fleet(client, ep, net, grp):
    names = ["deltabot", "alphabot", "Charliebot", "bravobot", "echo_bot"]
    ids = {n: _bot(client, net, grp, n, displayName=n.upper())["botId"] for n in names}
    _sign_in_ok(ep, net, ids["bravobot"], "pw-1")
    return ids


def _names(resp):
    return [b["username"] for b in resp["bots"]]


def test_list_default_order_is_username_descending(client, net, fleet):
    r = client.list_bots(networkId=net)
    assert _names(r) == ["echo_bot", "deltabot", "Charliebot", "bravobot", "alphabot"]
    assert "nextToken" not in r
    item = r["bots"][0]
    assert set(item) >= {"botId", "displayName", "username", "uname", "status", "groupId", "hasChallenge", "suspended"}


def test_list_filters(client, net, grp, fleet):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/bots_data_source.go
    (live-observations #45): ListBots filters by displayName, groupId, status and username, and a
    filter that matches nothing is an empty list, not an error."""
    assert _names(client.list_bots(networkId=net, username="CHARLIE")) == ["Charliebot"]
    assert _names(client.list_bots(networkId=net, displayName="alpha")) == ["alphabot"]
    assert _names(client.list_bots(networkId=net, status=2)) == ["bravobot"]
    assert len(client.list_bots(networkId=net, status=1)["bots"]) == 4
    assert len(client.list_bots(networkId=net, groupId=grp)["bots"]) == 5
    assert client.list_bots(networkId=net, groupId="nosuchgroup1")["bots"] == []
    with wl.expect_error(client, "ValidationError", field="status"):
        client.list_bots(networkId=net, status=3)


def test_list_sort_fields(client, net, fleet):
    r = client.list_bots(networkId=net, sortFields="status+username", sortDirection="ASC")
    assert _names(r) == ["alphabot", "Charliebot", "deltabot", "echo_bot", "bravobot"]
    r = client.list_bots(networkId=net, sortFields="displayName", sortDirection="ASC")
    assert _names(r) == ["alphabot", "bravobot", "Charliebot", "deltabot", "echo_bot"]
    assert _names(client.list_bots(networkId=net, sortFields="firstName", sortDirection="ASC")) == _names(r)
    with wl.expect_error(client, "ValidationError", field="sortFields"):
        client.list_bots(networkId=net, sortFields="lastName")


def test_list_paginator_returns_each_bot_once(client, net, fleet):
    pages = list(client.get_paginator("list_bots").paginate(networkId=net, PaginationConfig={"PageSize": 2}))
    assert [len(p["bots"]) for p in pages] == [2, 2, 1]
    names = [b["username"] for p in pages for b in p["bots"]]
    assert names == ["echo_bot", "deltabot", "Charliebot", "bravobot", "alphabot"]


@pytest.mark.parametrize("n", [0, 101])
def test_list_max_results_range(ep, net, n):
    wl.assert_validation(ep.raw("GET", f"/networks/{net}/bots?maxResults={n}"), "maxResults")


def test_sign_in_needs_a_challenge(ep, client, net, grp):
    bot_id = _bot(client, net, grp, "emptybot")["botId"]
    wl.assert_validation(ep.raw("POST", f"/_local/networks/{net}/bots/{bot_id}/sign-in", {}), "challenge")
