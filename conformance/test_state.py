"""Reset, snapshots and seed files, from the outside: the packaged jar started with --seed, reset and
snapshots through SigV4-signed raw requests, and every read compared with boto3 across two servers."""
import json
import os
import subprocess
import time

import pytest

import wlhelpers as wl
from wlhelpers import ACCOUNT_A, ACCOUNT_B, assert_error, assert_validation

PASS = {"X-Wickr-Local-Passphrase": "conformance passphrase"}

SEED = """\
# A seed as a team would write it.
networks:
  - name: Seeded drill
    accessLevel: PREMIUM
    securityGroups:
      - name: Responders
        settings:
          lockoutThreshold: 4
    users:
      - username: alice@example.com
        firstName: Alice
        lastName: Ng
        groups: [Responders]
      - username: bob@example.com
        suspended: true
    bots:
      - username: pagerbot
        displayName: Pager
        group: Responders
        password: Pager-password-1
accounts:
  - accountId: "000000000000"
    region: eu-west-1
    networks:
      - name: West team
"""


def _groups(c, network_id, listed):
    """A listed user's security groups (GetUser shows them; ListUsers does not)."""
    return c.get_user(networkId=network_id, userId=listed["userId"])["securityGroupIds"]


def _reads(c, network_id):
    """Every boto3 read of one network, keyed by call."""
    out = {}

    def read(name, **kw):
        try:
            out[(name, json.dumps(kw, sort_keys=True))] = wl.strip_meta(getattr(c, name)(networkId=network_id, **kw))
        except c.exceptions.ResourceNotFoundError as e:
            out[(name, json.dumps(kw, sort_keys=True))] = e.response["Error"]["Code"]
        return out[(name, json.dumps(kw, sort_keys=True))]

    read("get_network")
    for g in read("list_security_groups", maxResults=100)["securityGroups"]:
        read("get_security_group", groupId=g["id"])
        read("list_security_group_users", groupId=g["id"], maxResults=100)
    users = read("list_users", maxResults=100)["users"]
    for u in users:
        read("get_user", userId=u["userId"])
        read("list_devices_for_user", userId=u["userId"], maxResults=100)
    if users:
        read("batch_lookup_user_uname", unames=[wl.uname(u["username"]) for u in users])
    read("get_users_count")
    for b in read("list_bots", maxResults=100)["bots"]:
        read("get_bot", botId=b["botId"])
    for name in ("get_bots_count", "get_data_retention_bot", "get_guest_user_history_count",
                 "get_network_settings", "get_oidc_info", "get_opentdf_config"):
        read(name)
    read("list_guest_users", maxResults=100)
    read("list_blocked_guest_users", maxResults=100)
    return out


def _all_reads(ep, region="us-east-1"):
    c = ep.client(region=region)
    networks = wl.strip_meta(c.list_networks(maxResults=100))
    out = {("list_networks", region): networks}
    for n in networks["networks"]:
        out.update({(n["networkId"],) + k: v for k, v in _reads(c, n["networkId"]).items()})
        for u in wl.all_users(c, n["networkId"]):
            out[("sessions", n["networkId"], u["userId"])] = wl.sessions(ep, n["networkId"], u["userId"],
                                                                         region=region)
    return out


def _seed_file(tmp_path, text, name="seed.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# ------------------------------------------------------------------------------------------------
# Seed files
# ------------------------------------------------------------------------------------------------

def test_seed_is_applied_at_start_and_again_changes_nothing(server_factory, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    seed = _seed_file(tmp_path, SEED)
    first = server_factory("--data-dir", str(data), "--seed", seed, name="seeded-a")
    ep = first.endpoint()
    c = ep.client()
    networks = c.list_networks()["networks"]
    assert [(n["networkName"], n["accessLevel"]) for n in networks] == [("Seeded drill", "PREMIUM")]
    nid = networks[0]["networkId"]
    groups = {g["name"]: g for g in c.list_security_groups(networkId=nid)["securityGroups"]}
    assert sorted(groups) == ["Responders", "default"]
    assert groups["Responders"]["securityGroupSettings"]["lockoutThreshold"] == 4
    users = {u["username"]: u for u in wl.all_users(c, nid)}
    assert sorted(users) == ["alice@example.com", "bob@example.com"]
    assert _groups(c, nid, users["alice@example.com"]) == [groups["Responders"]["id"]]
    assert users["alice@example.com"]["firstName"] == "Alice" and not users["alice@example.com"]["suspended"]
    assert users["bob@example.com"]["suspended"] is True
    assert _groups(c, nid, users["bob@example.com"]) == [groups["default"]["id"]]
    assert c.get_users_count(networkId=nid)["total"] == 2
    bots = c.list_bots(networkId=nid)["bots"]
    assert [(b["username"], b["displayName"], b["groupId"]) for b in bots] == \
        [("pagerbot", "Pager", groups["Responders"]["id"])]
    r = ep.raw("POST", f"/_local/networks/{nid}/bots/{bots[0]['botId']}/sign-in", {"challenge": "Pager-password-1"})
    assert r.status_code == 200, r.text
    assert [n["networkName"] for n in ep.client(region="eu-west-1").list_networks()["networks"]] == ["West team"]
    before = {**_all_reads(ep), **_all_reads(ep, "eu-west-1")}
    assert first.stop()

    # The same file on the same data: nothing changes (bot sign-in above included).
    second = server_factory("--data-dir", str(data), "--seed", seed, name="seeded-b")
    ep2 = second.endpoint()
    assert {**_all_reads(ep2), **_all_reads(ep2, "eu-west-1")} == before
    assert second.stop()


@pytest.mark.parametrize("name,text,expected", [
    ("bad.yaml", SEED.replace("username: bob@example.com", "username: \"\""),
     "bad.yaml line 14, column 19: networks[0].users[1].username: username must not be empty"),
    ("bad.yaml", SEED.replace("accessLevel: PREMIUM", "acessLevel: PREMIUM"),
     "bad.yaml line 4, column 5: networks[0].acessLevel: unknown field 'acessLevel'"),
    ("bad.json", json.dumps({"networks": [{"name": "Ops", "users": [{"username": "a@example.com"}],
                                            "bots": [{"username": "helper", "password": "x"}]}]}, indent=2),
     "bad.json line 12, column 23: networks[0].bots[0].username: Invalid username format"),
])
def test_a_bad_seed_stops_the_start_with_status_2(tmp_path, name, text, expected):
    seed = _seed_file(tmp_path, text, name)
    port = wl.free_port()
    cmd = [wl.java_cmd(), "-jar", str(wl.jar_path()), "--port", str(port), "--seed", seed] + \
        wl.store_args(["--in-memory"])
    started = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert expected in r.stderr, r.stderr
    assert "listening" not in r.stdout, r.stdout
    assert time.monotonic() - started < 30


# ------------------------------------------------------------------------------------------------
# Reset
# ------------------------------------------------------------------------------------------------

def test_reset_takes_the_calling_account_in_every_region_or_everything(server_factory):
    srv = server_factory("--in-memory", "--credential", ":".join(ACCOUNT_A), "--credential", ":".join(ACCOUNT_B),
                         "--credential", wl.operator_flag(), name="reset")
    ep = srv.endpoint()
    key_a, secret_a, _ = ACCOUNT_A
    key_b, secret_b, _ = ACCOUNT_B
    a_east = ep.client(access_key=key_a, secret_key=secret_a)
    a_west = ep.client(region="eu-west-1", access_key=key_a, secret_key=secret_a)
    b = ep.client(access_key=key_b, secret_key=secret_b)
    na = wl.new_network(a_east)
    wl.create_users(a_east, na, 3)
    wl.new_network(a_west)
    nb = wl.new_network(b)
    wl.create_users(b, nb, 2)
    b_before = _all_reads_with(b, nb)

    r = ep.raw("POST", "/_local/reset", {}, access_key=key_a, secret_key=secret_a)
    assert r.status_code == 200, r.text
    assert r.json()["networksDeleted"] == 2
    assert a_east.list_networks()["networks"] == [] and a_west.list_networks()["networks"] == []
    with wl.expect_error(a_east, "ResourceNotFoundError"):
        a_east.get_network(networkId=na)
    assert _all_reads_with(b, nb) == b_before

    unsigned = ep.raw("POST", "/_local/reset", {}, sign=False)
    assert_error(unsigned, "MissingAuthenticationTokenException", 403)
    assert_validation(ep.raw("POST", "/_local/reset", {"allAccounts": "yes"}, access_key=key_a,
                             secret_key=secret_a), "allAccounts")
    # Only the operator reaches beyond its own account.
    refused = ep.raw("POST", "/_local/reset", {"allAccounts": True}, access_key=key_a, secret_key=secret_a)
    assert_error(refused, "ForbiddenError", 403, mentions="operator role")
    assert _all_reads_with(b, nb) == b_before
    r = ep.raw("POST", "/_local/reset", {"allAccounts": True}, access_key=wl.OPERATOR[0], secret_key=wl.OPERATOR[1])
    assert r.status_code == 200 and r.json()["networksDeleted"] == 1, r.text
    assert b.list_networks()["networks"] == []


def _all_reads_with(c, nid):
    return {"networks": wl.strip_meta(c.list_networks()), **{str(k): v for k, v in _reads(c, nid).items()}}


# ------------------------------------------------------------------------------------------------
# Snapshots
# ------------------------------------------------------------------------------------------------

def _populate(ep, tag):
    c = ep.client()
    nid = c.create_network(networkName=f"snap-{tag}", accessLevel="PREMIUM", enablePremiumFreeTrial=True,
                           encryptionKeyArn="arn:aws:kms:us-east-1:111122223333:key/abc")["networkId"]
    default = wl.default_group_id(c, nid)
    team = c.create_security_group(networkId=nid, name="Team", securityGroupSettings={
        "federationMode": 2, "lockoutThreshold": 7, "permittedNetworks": ["12345678"]})["securityGroup"]["id"]
    users = wl.create_users(c, nid, 5, default, names=[("Ann", "A"), ("Ben", "B"), ("Cy", "C"), ("Di", "D"),
                                                       ("Ed", "E")])
    c.update_user(networkId=nid, userId=users[4]["userId"], userDetails={"securityGroupIds": [default, team]})
    wl.sign_in_ok(ep, nid, users[0]["userId"], users[0]["inviteCode"], device_type="Linux")
    wl.sign_in_ok(ep, nid, users[0]["userId"], device_type="iOS")
    wl.sign_in_ok(ep, nid, users[1]["userId"], users[1]["inviteCode"])
    c.batch_toggle_user_suspend_status(networkId=nid, suspend=True, userIds=[users[1]["userId"], users[2]["userId"]])
    bot = c.create_bot(networkId=nid, username=f"snap{tag}bot", groupId=team, challenge="Snap-bot-pass-1")["botId"]
    assert ep.raw("POST", f"/_local/networks/{nid}/bots/{bot}/sign-in",
                  {"challenge": "Snap-bot-pass-1"}).status_code == 200
    c.create_data_retention_bot(networkId=nid)
    challenge = c.create_data_retention_bot_challenge(networkId=nid)["challenge"]
    assert ep.raw("POST", f"/_local/networks/{nid}/data-retention-bots/sign-in",
                  {"challenge": challenge}).status_code == 200
    c.update_data_retention(networkId=nid, actionType="ENABLE")
    r = ep.raw("POST", f"/_local/networks/{nid}/guest-activity", {"username": "visitor@elsewhere.example"})
    c.update_guest_user(networkId=nid, usernameHash=r.json()["usernameHash"], block=True)
    ep.raw("POST", f"/_local/networks/{nid}/guest-activity", {"username": "friend@elsewhere.example"})
    c.update_network_settings(networkId=nid, settings={"enableClientMetrics": True,
                                                       "readReceiptConfig": {"status": "ENABLED"}})
    c.register_oidc_config(networkId=nid, companyId="UE1-acme", issuer="https://idp.example.com", scopes="openid",
                           userId="client-1", secret="oidc-very-secret")
    c.register_opentdf_config(networkId=nid, clientId="tdf", clientSecret="tdf-very-secret",
                              domain="tdf.example.com", provider="virtru")
    return nid


def test_snapshot_round_trip_reproduces_every_read(server_factory):
    one = server_factory("--in-memory", name="snap-source").endpoint()
    two = server_factory("--in-memory", name="snap-target").endpoint()
    _populate(one, "a")
    _populate(one, "b")
    wl.new_network(one.client(region="eu-west-1"), name="west")
    before = {**_all_reads(one), **_all_reads(one, "eu-west-1")}

    exported = one.raw("GET", "/_local/snapshot", headers=PASS)
    assert exported.status_code == 200, exported.text
    doc = exported.json()
    assert doc["format"] == "wickr-local-snapshot" and doc["version"] == 1
    assert sorted((a["accountId"], a["region"], len(a["networks"])) for a in doc["accounts"]) == \
        [("000000000000", "eu-west-1", 1), ("000000000000", "us-east-1", 2)]
    for secret in ("oidc-very-secret", "tdf-very-secret", "Snap-bot-pass-1"):
        assert secret not in exported.text

    # Refused: sealed secrets without the passphrase, another version, a malformed value.
    assert_error(two.raw("POST", "/_local/snapshot", exported.content), "BadRequestError",
                 mentions="passphrase")
    assert_error(two.raw("POST", "/_local/snapshot", {**doc, "version": 2}, headers=PASS), "BadRequestError",
                 mentions="version 2")
    broken = json.loads(exported.text)
    east = next(i for i, a in enumerate(broken["accounts"]) if a["region"] == "us-east-1")
    broken["accounts"][east]["networks"][0]["users"][0]["userId"] = "12ab"
    body = assert_validation(two.raw("POST", "/_local/snapshot", broken, headers=PASS))
    assert f"accounts[{east}].networks[0].users[0].userId" in [r["field"] for r in body["reasons"]], body
    assert_error(two.raw("POST", "/_local/snapshot", b"{not json", headers=PASS), "BadRequestError")
    assert two.client().list_networks()["networks"] == []

    imported = two.raw("POST", "/_local/snapshot", exported.content, headers=PASS)
    assert imported.status_code == 200, imported.text
    assert imported.json()["networks"] == 3
    after = {**_all_reads(two), **_all_reads(two, "eu-west-1")}
    assert after == before
    assert any(v.get("clientSecret") == "tdf-very-secret" for v in after.values() if isinstance(v, dict))

    # The target is no longer empty: a second import is refused, a reset makes room again.
    assert_error(two.raw("POST", "/_local/snapshot", exported.content, headers=PASS), "BadRequestError",
                 mentions="reset")
    assert two.raw("POST", "/_local/reset", {}).status_code == 200
    assert two.raw("POST", "/_local/snapshot", exported.content, headers=PASS).status_code == 200
    assert {**_all_reads(two), **_all_reads(two, "eu-west-1")} == before


def test_snapshot_without_passphrase_leaves_secrets_out(server_factory):
    one = server_factory("--in-memory", name="snap-plain-a").endpoint()
    two = server_factory("--in-memory", name="snap-plain-b").endpoint()
    nid = _populate(one, "p")
    exported = one.raw("GET", "/_local/snapshot")
    assert exported.status_code == 200, exported.text
    assert "secrets" not in exported.json()
    assert "oidc-very-secret" not in exported.text and "tdf-very-secret" not in exported.text
    assert two.raw("POST", "/_local/snapshot", exported.content).status_code == 200
    c = two.client()
    assert "clientSecret" not in c.get_oidc_info(networkId=nid)["openidConnectInfo"]
    assert c.get_opentdf_config(networkId=nid)["clientSecret"] == ""
    assert wl.strip_meta(c.get_users_count(networkId=nid)) == wl.strip_meta(one.client().get_users_count(networkId=nid))


def _readme_block(section):
    readme = (wl.REPO_ROOT / "docs" / "local-api.md").read_text()
    start = readme.index(f"\n## {section}\n")
    block = readme[start:].split("```sh\n", 1)[1].split("```", 1)[0]
    return block


def test_the_readme_examples_run_as_written(server_factory, tmp_path):
    one = server_factory("--in-memory", name="readme-a").endpoint()
    two = server_factory("--in-memory", name="readme-b").endpoint()
    _populate(one, "r")
    env = {**os.environ, "E": one.url, "OTHER": two.url}
    r = subprocess.run(["bash", "-euo", "pipefail", "-c", _readme_block("Snapshots")], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"message": "Imported 1 network(s) with 5 user(s) and 1 bot(s)", "networks": 1,
                                    "users": 5, "bots": 1}
    assert "oidc-very-secret" not in (tmp_path / "snapshot.json").read_text()
    nid = one.client().list_networks()["networks"][0]["networkId"]
    assert two.client().get_oidc_info(networkId=nid)["openidConnectInfo"]["clientSecret"] == "oidc-very-secret"
    r = subprocess.run(["bash", "-euo", "pipefail", "-c", _readme_block("Reset")], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["networksDeleted"] == 1
    assert one.client().list_networks()["networks"] == []
