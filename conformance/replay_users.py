"""Scenes for the examples of the user operations (see replay.py)."""
import calendar
import hashlib
import time

import replay
from replay import Scene

SCENES, scene = replay.registry()

USER_ID = r"[0-9]{10}"
INVITE_CODE = r"[A-Za-z0-9]{10}"
EPOCH = r"[0-9]{10}"



def rewrite(stage, edit):
    """Builds what the API cannot: exports the account (GET /_local/snapshot), lets `edit` change the
    document (admin flags, device times...), resets the account and imports the document again."""
    r = stage.raw("GET", "/_local/snapshot")
    assert r.status_code == 200, r.text
    doc = r.json()
    edit(doc)
    r = stage.raw("POST", "/_local/reset", {})
    assert r.status_code == 200, r.text
    r = stage.raw("POST", "/_local/snapshot", doc)
    assert r.status_code == 200, r.text


def snapshot_users(doc):
    """Every user of the snapshot document, by userId."""
    return {u["userId"]: u for a in doc["accounts"] for n in a["networks"] for u in n["users"]}


def utc(text):
    """Epoch seconds of "YYYY-MM-DD HH:MM:SS" in UTC."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def active(stage, net, user, devices=1, device_type="iOS"):
    """Signs a just-created user in `devices` times (the first sign-in accepts the invitation); the device ids."""
    ids = [stage.sign_in(net, user["userId"], invite_code=user["inviteCode"], device_type=device_type)["deviceId"]]
    for _ in range(devices - 1):
        ids.append(stage.sign_in(net, user["userId"], device_type=device_type)["deviceId"])
    return ids


# --- BatchCreateUser ---------------------------------------------------------------------------

@scene("BatchCreateUser#1")
def _create_two(stage):
    net = stage.network()
    return Scene(ids={"12345678": net, "BCTY8Qhe": stage.default_group(net)},
                 generated={"output.successful[*].userId": USER_ID, "output.successful[1].inviteCode": INVITE_CODE})


@scene("BatchCreateUser#2")
def _create_one_taken(stage):
    net = stage.network()
    stage.users(net, [{"username": "existing.user@example.com"}])
    return Scene(ids={"12345678": net, "BCTY8Qhe": stage.default_group(net)},
                 generated={"output.successful[*].userId": USER_ID, "output.successful[*].inviteCode": INVITE_CODE})


# --- BatchDeleteUser ---------------------------------------------------------------------------

@scene("BatchDeleteUser#1")
def _delete_two(stage):
    net = stage.network()
    a, b = stage.users(net, [{"username": "a@example.com"}, {"username": "b@example.com"}])
    return Scene(ids={"12345678": net, "123": a["userId"], "456": b["userId"]})


@scene("BatchDeleteUser#2")
def _delete_one_unknown(stage):
    net = stage.network()
    a, gone = stage.users(net, [{"username": "a@example.com"}, {"username": "gone@example.com"}])
    stage.client.batch_delete_user(networkId=net, userIds=[gone["userId"]])
    return Scene(ids={"12345678": net, "123": a["userId"], "456": gone["userId"]})


# --- BatchLookupUserUname ----------------------------------------------------------------------

def uname(username):
    """A user's uname, by the rule the README documents: SHA-256 (hex) of the lower-cased username."""
    return hashlib.sha256(username.lower().encode()).hexdigest()


@scene("BatchLookupUserUname#1")
def _lookup_two(stage):
    net = stage.network()
    stage.users(net, [{"username": "john.doe@example.com"}, {"username": "john.doe2@example.com"}])
    return Scene(ids={"12345678": net, "a1b2c3d4e5f6": uname("john.doe@example.com"),
                      "g7h8i9j0k1l2": uname("john.doe2@example.com")})


@scene("BatchLookupUserUname#2")
def _lookup_one_unknown(stage):
    net = stage.network()
    stage.users(net, [{"username": "john.doe@example.com"}])
    return Scene(ids={"12345678": net, "a1b2c3d4e5f6": uname("john.doe@example.com")})


# --- BatchReinviteUser -------------------------------------------------------------------------

@scene("BatchReinviteUser#1")
def _reinvite_two(stage):
    net = stage.network()
    a, b = stage.users(net, [{"username": "a@example.com"}, {"username": "b@example.com"}])
    return Scene(ids={"12345678": net, "12345": a["userId"], "67890": b["userId"]})


@scene("BatchReinviteUser#2")
def _reinvite_one_unknown(stage):
    net = stage.network()
    a, = stage.users(net, [{"username": "a@example.com"}])
    return Scene(ids={"12345678": net, "12345": a["userId"]})


@scene("BatchReinviteUser#3")
def _reinvite_active(stage):
    net = stage.network()
    a, = stage.users(net, [{"username": "a@example.com"}])
    active(stage, net, a)
    return Scene(ids={"12345678": net, "54321": a["userId"]})


# --- BatchResetDevicesForUser ------------------------------------------------------------------

APP_D = "d3135a42dcb6437780b16c3ca9581fe64e6822773cd6b965d25fc9929c89aca6"
APP_E = "e4246b53edc7548891c27d4da0692fe75f7933884de7c076e36gca030d90bdb7"
APP_F = "f5357c64fde8659002c38e5db1804gf86g8044995ef8d187f47hdb141e01dce8"
APP_G = "g6468d75gef9760113d49f6ec2915hg97h9155aa6fg9e298g58iec252f12edf9"


@scene("BatchResetDevicesForUser#1")
def _reset_two(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "a@example.com"}])
    d, e = active(stage, net, u, devices=2)
    return Scene(ids={"12345678": net, "12345": u["userId"], APP_D: d, APP_E: e})


@scene("BatchResetDevicesForUser#2")
def _reset_one_unknown(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "a@example.com"}])
    d, = active(stage, net, u)
    return Scene(ids={"12345678": net, "12345": u["userId"], APP_D: d})


@scene("BatchResetDevicesForUser#3")
def _reset_unknown_network(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "a@example.com"}])
    active(stage, net, u)
    return Scene(ids={"12345": u["userId"]})


# --- BatchToggleUserSuspendStatus --------------------------------------------------------------

@scene("BatchToggleUserSuspendStatus#1")
def _toggle_all_found(stage):
    net = stage.network()
    a, b = stage.users(net, [{"username": "a@example.com"}, {"username": "b@example.com"}])
    return Scene(ids={"12345678": net, "123": a["userId"], "456": b["userId"]})


@scene("BatchToggleUserSuspendStatus#2")
def _toggle_one_of_another_network(stage):
    net, other = stage.network(), stage.network("Other Network")
    a, = stage.users(net, [{"username": "a@example.com"}])
    elsewhere, = stage.users(other, [{"username": "b@example.com"}])
    stage.client.batch_toggle_user_suspend_status(networkId=net, userIds=[a["userId"]], suspend=True)
    return Scene(ids={"12345678": net, "123": a["userId"], "456": elsewhere["userId"]})


# --- GetUser -----------------------------------------------------------------------------------

def _signed_in_at(stage, net, user, login, admin=False):
    """`user` active with one device and one session that started at `login` (epoch seconds)."""
    active(stage, net, user)

    def edit(doc):
        u = snapshot_users(doc)[user["userId"]]
        u["isAdmin"] = admin
        u["lastLoginAt"] = login
        for d in u["devices"]:
            d["lastLoginAt"] = login
            d["createdAt"] = min(d["createdAt"], login)
        for s in u["sessions"]:
            s["startedAt"] = login
    rewrite(stage, edit)


@scene("GetUser#1")
def _get_active(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "john.doe@example.com", "firstName": "John", "lastName": "Doe"}])
    _signed_in_at(stage, net, u, 1705499000)
    return Scene(ids={"12345678": net, "12345": u["userId"], "BCTY8Qhe": stage.default_group(net)},
                 generated={"output.lastActivity": EPOCH})


@scene("GetUser#2")
def _get_admin_in_range(stage):
    net = stage.network()
    group = stage.client.create_security_group(networkId=net, name="Admins", securityGroupSettings={})
    admin_group = group["securityGroup"]["id"]
    default = stage.default_group(net)
    u, = stage.users(net, [{"username": "jane.admin@example.com", "firstName": "Jane", "lastName": "Admin",
                            "securityGroupIds": [default, admin_group]}])
    _signed_in_at(stage, net, u, 1705350000, admin=True)
    # The two groups are alike in the answer; the example's names stand for ours in the order we list them.
    first, second = stage.client.get_user(networkId=net, userId=u["userId"])["securityGroupIds"]
    return Scene(ids={"12345678": net, "12345": u["userId"], "BCTY8Qhe": first, "ADMIN001": second},
                 generated={"output.lastActivity": EPOCH})


@scene("GetUser#3")
def _get_unknown(stage):
    net = stage.network()
    return Scene(ids={"12345678": net})


SCENES["GetUser#4"] = _get_unknown


# --- GetUsersCount -----------------------------------------------------------------------------

@scene("GetUsersCount#1")
def _count_thirty(stage):
    net = stage.network()
    users = stage.users(net, [{"username": f"user{i:02}@example.com"} for i in range(30)])
    for u in users[:25]:
        stage.sign_in(net, u["userId"], invite_code=u["inviteCode"])
    return Scene(ids={"12345678": net})


@scene("GetUsersCount#2")
def _count_empty(stage):
    return Scene(ids={"87654321": stage.network()})


# --- ListUsers ---------------------------------------------------------------------------------

@scene("ListUsers#1")
def _list_three(stage):
    net = stage.network()
    users = stage.users(net, [
        {"username": "alice.anderson@example.com", "firstName": "Alice", "lastName": "Anderson"},
        {"username": "bob.brown@example.com", "firstName": "Bob", "lastName": "Brown"},
        {"username": "charlie.chen@example.com", "firstName": "Charlie", "lastName": "Chen"}])
    for u in users:
        active(stage, net, u)
    charlie = users[2]["userId"]
    rewrite(stage, lambda doc: snapshot_users(doc)[charlie].update(isAdmin=True))
    return Scene(ids={"12345678": net}, generated={"output.users[*].userId": USER_ID})


@scene("ListUsers#2")
def _list_pending_of_group(stage):
    net = stage.network()
    default = stage.default_group(net)
    other = stage.client.create_security_group(networkId=net, name="Others", securityGroupSettings={})
    stage.users(net, [{"username": "david.davis@example.com", "firstName": "David", "lastName": "Davis",
                       "inviteCode": "INVITE789"},
                      {"username": "erin.evans@example.com", "firstName": "Erin", "lastName": "Evans",
                       "securityGroupIds": [other["securityGroup"]["id"]]}])
    active_one, = stage.users(net, [{"username": "frank.foster@example.com"}])
    active(stage, net, active_one)
    return Scene(ids={"12345678": net, "BCTY8Qhe": default}, generated={"output.users[*].userId": USER_ID})


@scene("ListUsers#3")
def _list_none(stage):
    return Scene(ids={"12345678": stage.network()})


# --- UpdateUser --------------------------------------------------------------------------------

@scene("UpdateUser#1")
def _update_groups(stage):
    net = stage.network()
    default = stage.default_group(net)
    dept = stage.client.create_security_group(networkId=net, name="Department", securityGroupSettings={})
    u, = stage.users(net, [{"username": "john.doe@example.com", "firstName": "John", "lastName": "Doe"}])
    active(stage, net, u)
    return Scene(ids={"12345678": net, "12345": u["userId"], "BCTY8Qhe": default,
                      "DEPT001": dept["securityGroup"]["id"]},
                 generated={"output.modified": EPOCH})


@scene("UpdateUser#2")
def _update_invitation(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "jane.doe@example.com", "firstName": "Jane", "lastName": "Doe"}])
    active(stage, net, u)
    return Scene(ids={"12345678": net, "12345": u["userId"]},
                 generated={"output.modified": EPOCH, "output.inviteExpiration": EPOCH})


@scene("UpdateUser#3")
def _update_unknown(stage):
    net = stage.network()
    stage.users(net, [{"username": "john.doe@example.com"}])
    return Scene(ids={"12345678": net, "BCTY8Qhe": stage.default_group(net)})


SCENES["UpdateUser#4"] = _update_unknown


# --- ListDevicesForUser ------------------------------------------------------------------------

def _devices(stage, net, user, platforms):
    """Signs the just-created `user` in once per platform, each time on a new device; their ids in order."""
    ids = []
    for i, platform in enumerate(platforms):
        code = user["inviteCode"] if i == 0 else None
        ids.append(stage.sign_in(net, user["userId"], invite_code=code, device_type=platform)["deviceId"])
    return ids


def _device_times(stage, user, times, platforms=None):
    """Sets the devices' times: `times` maps an appId to (created, lastLogin), UTC texts; `platforms` an
    appId to the platform it signed in from."""
    epochs = {d: (utc(c), utc(l)) for d, (c, l) in times.items()}

    def edit(doc):
        u = snapshot_users(doc)[user["userId"]]
        for d in u["devices"]:
            d["createdAt"], d["lastLoginAt"] = epochs[d["appId"]]
            d["type"] = (platforms or {}).get(d["appId"], d["type"])
        u["lastLoginAt"] = max(t[1] for t in epochs.values())
        for s in u["sessions"]:
            s["startedAt"] = epochs[s["appId"]][1]
    rewrite(stage, edit)


@scene("ListDevicesForUser#1")
def _devices_by_app_id(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "john.doe@example.com"}])
    # The example sorts by appId, descending, and shows its d... device (a phone) first: the greater of our
    # two ids stands for it.
    first, second = sorted(_devices(stage, net, u, ["iOS", "iOS"]), reverse=True)
    _device_times(stage, u, {first: ("2024-01-15 14:30:45", "2024-01-20 09:15:30"),
                             second: ("2023-12-10 11:45:20", "2024-01-18 16:20:15")},
                  platforms={first: "iOS", second: "MacOSX"})
    return Scene(ids={"12345678": net, "12345": u["userId"], APP_D: first, APP_E: second})


@scene("ListDevicesForUser#2")
def _devices_second_page(stage):
    net = stage.network()
    u, = stage.users(net, [{"username": "john.doe@example.com"}])
    ids = _devices(stage, net, u, ["iOS"] * 10 + ["Windows", "Android"])
    times = {d: ("2023-11-01 10:00:00", f"2024-01-{22 + i:02} 10:00:00") for i, d in enumerate(ids[:10])}
    times[ids[10]] = ("2024-01-01 12:00:00", "2024-01-21 08:22:00")
    times[ids[11]] = ("2023-12-24 16:00:00", "2024-01-20 09:15:30")
    _device_times(stage, u, times)
    first = stage.client.list_devices_for_user(networkId=net, userId=u["userId"], maxResults=10)
    return Scene(ids={"12345678": net, "12345": u["userId"], APP_F: ids[10], APP_G: ids[11],
                      "v1:pagination:6ba7b810-9dad-11d1-80b4-00c04fd430c8": first["nextToken"]})


@scene("ListDevicesForUser#3")
def _devices_unknown_user(stage):
    net = stage.network()
    return Scene(ids={"12345678": net})
