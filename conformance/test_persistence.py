"""State kept in --data-dir survives a restart."""
import pytest

import wlhelpers as wl
from wlhelpers import assert_error, toggle_raw


def test_state_survives_restart(log_dir, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()

    first = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="persist-a").start()
    try:
        ep = first.endpoint()
        c = ep.client()
        nid = wl.new_network(c, name="persisted")
        c.update_network(networkId=nid, networkName="persisted-2")
        group = wl.default_group_id(c, nid)
        users = wl.create_users(c, nid, 4, group, names=[("A", "One"), ("B", "Two"),
                                                         ("C", "Three"), ("D", "Four")])
        ids = [u["userId"] for u in users]
        wl.sign_in_ok(ep, nid, ids[1], users[1]["inviteCode"], device_type="Linux")
        token = f"persist-{wl.uid_tag()}"
        original = toggle_raw(ep, nid, "true", [ids[0], "9999999989"], token=token)
        assert original.status_code == 200, original.text
        c.batch_delete_user(networkId=nid, userIds=[ids[3]])
        west = ep.client(region="eu-west-1")
        wnid = wl.new_network(west, name="west-persisted")
    finally:
        exited = first.stop()
    assert exited, "server did not exit after SIGTERM\n" + first.log_tail()

    second = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="persist-b").start()
    try:
        ep = second.endpoint()
        c = ep.client()
        g = c.get_network(networkId=nid)
        assert g["networkName"] == "persisted-2"
        assert g["networkArn"] == f"arn:aws:wickr:us-east-1:000000000000:network/{nid}"
        assert wl.default_group_id(c, nid) == group
        assert ep.client(region="eu-west-1").get_network(networkId=wnid)["networkName"] == "west-persisted"

        listed = {u["userId"]: u for u in wl.all_users(c, nid)}
        assert sorted(listed) == sorted(ids[:3])
        assert listed[ids[0]]["suspended"] is True
        assert listed[ids[1]]["suspended"] is False and listed[ids[1]]["status"] == 2
        assert listed[ids[2]]["status"] == 1
        u0 = c.get_user(networkId=nid, userId=ids[0])
        assert u0["suspended"] is True and u0["firstName"] == "A"
        with wl.expect_error(c, "BadRequestError"):
            c.get_user(networkId=nid, userId=ids[3])
        devices = c.list_devices_for_user(networkId=nid, userId=ids[1])["devices"]
        assert len(devices) == 1

        # pending user's invitation still valid, suspended user still blocked
        wl.sign_in_ok(ep, nid, ids[2], users[2]["inviteCode"])
        assert_error(wl.sign_in(ep, nid, ids[0], device_type="iOS"), "ForbiddenError",
                     mentions="suspended")

        # the idempotency token survived too
        replay = toggle_raw(ep, nid, "true", [ids[0], "9999999989"], token=token)
        assert replay.status_code == 200, replay.text
        assert replay.content == original.content
        mismatch = toggle_raw(ep, nid, "false", [ids[0]], token=token)
        assert_error(mismatch, "BadRequestError", mentions="token")
        assert c.get_user(networkId=nid, userId=ids[0])["suspended"] is True

        # new ids never collide with persisted ones
        new_nid = wl.new_network(c)
        assert new_nid != nid
        new_uid = wl.create_users(c, nid, 1, group)[0]["userId"]
        assert new_uid not in ids
    finally:
        second.stop()


def test_in_memory_servers_do_not_share_state(client, server_factory):
    nid = wl.new_network(client)  # on the shared --in-memory server
    other = server_factory("--in-memory", name="mem-b").endpoint().client()
    assert wl.all_networks(other) == []
    with wl.expect_error(other, "ResourceNotFoundError"):
        other.get_network(networkId=nid)
