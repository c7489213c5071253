"""Scenes for the examples of the bots, data retention bot and guests operations (see replay.py).

Bots sign in, the data retention bot registers and guests are active through the /_local extension
(README "The `/_local` extension"); guest blocks with a given admin and time come in through a
snapshot import, the only way to set who blocked and when.
"""
import calendar
import datetime

import replay
from replay import Scene

SCENES, scene = replay.registry()

UNAME = r"[0-9a-f]{64}"
PUBKEY = r"[A-Za-z0-9+/]+={0,2}"
EPOCH = r"[0-9]{10}"
HASH = r"[0-9a-f]{64}"



# --- builders -----------------------------------------------------------------------------------

def _group(stage, net, name):
    return stage.client.create_security_group(networkId=net, name=name, securityGroupSettings={})["securityGroup"]["id"]


def _bot(stage, net, username, group, display_name=None, sign_in=True, password="Replay-bot-password-1"):
    kw = {"displayName": display_name} if display_name else {}
    bot_id = stage.client.create_bot(networkId=net, username=username, groupId=group, challenge=password,
                                     **kw)["botId"]
    if sign_in:
        r = stage.raw("POST", f"/_local/networks/{net}/bots/{bot_id}/sign-in", {"challenge": password})
        assert r.status_code == 200, r.text
    return bot_id


def _retention_bot(stage, net, register=True):
    stage.client.create_data_retention_bot(networkId=net)
    challenge = stage.client.create_data_retention_bot_challenge(networkId=net)["challenge"]
    if register:
        r = stage.raw("POST", f"/_local/networks/{net}/data-retention-bots/sign-in", {"challenge": challenge})
        assert r.status_code == 200, r.text


def _guest(stage, net, username, when=None):
    body = {"username": username}
    if when is not None:
        body["time"] = int(when)
    r = stage.raw("POST", f"/_local/networks/{net}/guest-activity", body)
    assert r.status_code == 200, r.text
    return r.json()["usernameHash"]


def _utc(text):
    return calendar.timegm(datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").timetuple())


def _import_blocked(stage, net, blocks):
    """Replaces the account's state by itself plus blocked guests of `net`: (username, admin, "YYYY-MM-DD
    HH:MM:SS" UTC) each, active in the month of their block."""
    r = stage.raw("GET", "/_local/snapshot")
    assert r.status_code == 200, r.text
    doc = r.json()
    network = next(n for a in doc["accounts"] for n in a["networks"] if n["networkId"] == net)
    guests = network.setdefault("guests", [])
    for username, admin, modified in blocks:
        at = _utc(modified)
        period = modified[:7]
        guests.append({"username": username, "firstSeenAt": at, "lastSeenAt": at,
                       "activity": [{"billingPeriod": period, "firstAt": at, "lastAt": at}],
                       "blocked": {"admin": admin, "modifiedAt": at}})
    assert stage.raw("POST", "/_local/reset", {}).status_code == 200
    r = stage.raw("POST", "/_local/snapshot", doc)
    assert r.status_code == 200, r.text


# --- bots ---------------------------------------------------------------------------------------

@scene("CreateBot#1")
def _create_bot(stage):
    net = stage.network()
    group = _group(stage, net, "Analytics")
    return Scene(ids={"12345678": net, "analytics_group": group}, generated={"output.botId": r"[0-9]{10}"})


@scene("CreateBot#2")
def _create_bot_taken(stage):
    net = stage.network()
    group = stage.default_group(net)
    _bot(stage, net, "support_bot", group, sign_in=False)
    return Scene(ids={"12345678": net, "default_group": group})


@scene("CreateBot#3")
def _create_bot_bad_name(stage):
    net = stage.network()
    return Scene(ids={"12345678": net, "default_group": stage.default_group(net)})


@scene("DeleteBot#1")
def _delete_bot(stage):
    net = stage.network()
    bot = _bot(stage, net, "support_bot", stage.default_group(net))
    return Scene(ids={"12345678": net, "98765": bot})


@scene("DeleteBot#2")
@scene("GetBot#2")
@scene("UpdateBot#2")
def _no_such_bot(stage):
    net = stage.network()
    # An active bot of the network, so that 99999 is one it lacks rather than an empty network.
    _bot(stage, net, "support_bot", stage.default_group(net))
    return Scene(ids={"12345678": net})


@scene("GetBot#1")
def _get_bot(stage):
    net = stage.network()
    group = stage.default_group(net)
    bot = _bot(stage, net, "support_bot", group, display_name="Support Bot")
    return Scene(ids={"12345678": net, "98765": bot, "default_group": group},
                 generated={"output.uname": UNAME, "output.pubkey": PUBKEY, "output.lastLogin": EPOCH})


@scene("UpdateBot#1")
def _update_bot(stage):
    net = stage.network()
    bot = _bot(stage, net, "support_bot", stage.default_group(net), display_name="Support Bot")
    return Scene(ids={"12345678": net, "98765": bot, "support_group": _group(stage, net, "Support")})


@scene("GetBotsCount#1")
def _bots_count(stage):
    # 12 active and 2 pending bots, and a suspended one that counts in total only.
    net = stage.network()
    group = stage.default_group(net)
    for i in range(12):
        _bot(stage, net, f"active{i:02d}_bot", group)
    for i in range(2):
        _bot(stage, net, f"pending{i}_bot", group, sign_in=False)
    suspended = _bot(stage, net, "suspended_bot", group)
    stage.client.update_bot(networkId=net, botId=suspended, suspend=True)
    return Scene(ids={"12345678": net})


@scene("GetBotsCount#2")
def _bots_count_all_active(stage):
    net = stage.network()
    group = stage.default_group(net)
    for i in range(12):
        _bot(stage, net, f"active{i:02d}_bot", group)
    return Scene(ids={"12345678": net})


def _two_bots(stage):
    net = stage.network()
    analytics_group = _group(stage, net, "Analytics")
    support_group = _group(stage, net, "Support")
    analytics = _bot(stage, net, "analytics_bot", analytics_group, display_name="Analytics Bot")
    support = _bot(stage, net, "support_bot", support_group, display_name="Support Bot")
    return Scene(ids={"12345678": net, "98765": analytics, "98766": support, "analytics_group": analytics_group,
                      "support_group": support_group},
                 generated={"output.bots[*].uname": UNAME, "output.bots[*].pubkey": PUBKEY,
                            "output.bots[*].lastLogin": EPOCH})


@scene("ListBots#1")
def _list_bots(stage):
    return _two_bots(stage)


@scene("ListBots#2")
def _list_bots_filtered(stage):
    s = _two_bots(stage)
    net = s.ids["12345678"]
    # A pending support bot, which the status filter leaves out.
    _bot(stage, net, "support_desk_bot", s.ids["support_group"], display_name="Support Desk", sign_in=False)
    return s


# --- the data retention bot ---------------------------------------------------------------------

@scene("CreateDataRetentionBot#1")
def _create_retention_bot(stage):
    return Scene(ids={"12345678": stage.network(access_level="PREMIUM")})


@scene("CreateDataRetentionBot#2")
def _create_retention_bot_again(stage):
    net = stage.network(access_level="PREMIUM")
    stage.client.create_data_retention_bot(networkId=net)
    return Scene(ids={"12345678": net})


@scene("CreateDataRetentionBotChallenge#1")
def _retention_challenge(stage):
    net = stage.network(access_level="PREMIUM")
    stage.client.create_data_retention_bot(networkId=net)
    return Scene(ids={"12345678": net}, generated={"output.challenge": r"[A-Za-z0-9]{32}"})


@scene("DeleteDataRetentionBot#1")
@scene("UpdateDataRetention#1")
@scene("UpdateDataRetention#3")
def _registered_retention_bot(stage):
    net = stage.network(access_level="PREMIUM")
    _retention_bot(stage, net)
    return Scene(ids={"12345678": net})


@scene("GetDataRetentionBot#1")
@scene("UpdateDataRetention#2")
def _enabled_retention_bot(stage):
    net = stage.network(access_level="PREMIUM")
    _retention_bot(stage, net)
    stage.client.update_data_retention(networkId=net, actionType="ENABLE")
    return Scene(ids={"12345678": net})


@scene("GetDataRetentionBot#2")
def _get_no_retention_bot(stage):
    return Scene(ids={"12345678": stage.network(access_level="PREMIUM")})


# --- guests -------------------------------------------------------------------------------------

@scene("GetGuestUserHistoryCount#1")
def _guest_history(stage):
    # The example's six months, newest first, are the current month and the five before it here.
    net = stage.network()
    counts = [32, 28, 35, 22, 18, 15]
    now = datetime.datetime.now(datetime.timezone.utc)
    for back, count in enumerate(counts):
        year, month = now.year, now.month - back
        while month < 1:
            year, month = year - 1, month + 12
        # The first of the month at noon (or now, in the current month before then).
        when = datetime.datetime(year, month, 1, 12, tzinfo=datetime.timezone.utc)
        when = min(when, now - datetime.timedelta(seconds=1)) if back == 0 else when
        for i in range(count):
            _guest(stage, net, f"guest{i:02d}@other.example.com", when.timestamp())
    return Scene(ids={"12345678": net}, generated={"output.history[*].month": r"[0-9]{4}_(0[1-9]|1[0-2])"})


@scene("GetGuestUserHistoryCount#2")
@scene("ListGuestUsers#3")
@scene("ListBlockedGuestUsers#3")
def _no_guests(stage):
    net = stage.network()
    return Scene(ids={"87654321": net, "12345678": net})


@scene("ListBlockedGuestUsers#1")
def _blocked_guests(stage):
    net = stage.network()
    _import_blocked(stage, net, [("blocked.user1@example.com", "admin@company.com", "2024-01-15 10:30:00"),
                                 ("blocked.user2@example.com", "admin@company.com", "2024-01-10 14:20:00"),
                                 ("blocked.user3@example.com", "security@company.com", "2024-01-05 09:15:00")])
    return Scene(ids={"12345678": net}, generated={"output.blocklist[*].usernameHash": HASH})


@scene("ListBlockedGuestUsers#2")
def _blocked_guest_by_name(stage):
    net = stage.network()
    _import_blocked(stage, net, [("john.doe@example.com", "admin@company.com", "2023-12-20 16:45:00"),
                                 ("jane.roe@example.com", "admin@company.com", "2023-12-21 08:00:00")])
    return Scene(ids={"12345678": net}, generated={"output.blocklist[*].usernameHash": HASH})


def _guests_two_months(stage):
    net = stage.network()
    for name in ("guest1@example.com", "guest2@example.com"):
        _guest(stage, net, name, _utc("2024-01-10 12:00:00"))
    for name in ("guest3@example.com", "guest4@example.com"):
        _guest(stage, net, name, _utc("2023-12-10 12:00:00"))
    return Scene(ids={"12345678": net}, generated={"output.guestlist[*].usernameHash": HASH})


@scene("ListGuestUsers#1")
def _list_guests(stage):
    return _guests_two_months(stage)


@scene("ListGuestUsers#2")
def _list_guests_of_a_month(stage):
    return _guests_two_months(stage)


def _one_guest(stage, blocked):
    net = stage.network()
    ours = _guest(stage, net, "guest@other.example.com")
    if blocked:
        stage.client.update_guest_user(networkId=net, usernameHash=ours, block=True)
    return Scene(ids={"12345678": net, "032c36d5623781204592a69269ed9480d604484269c8a4c2d39528885a56470d": ours})


@scene("UpdateGuestUser#1")
def _block_guest(stage):
    return _one_guest(stage, blocked=False)


@scene("UpdateGuestUser#2")
@scene("UpdateGuestUser#3")
def _blocked_guest(stage):
    return _one_guest(stage, blocked=True)
