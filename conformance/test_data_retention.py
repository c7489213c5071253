"""The data retention bot: one per network; challenges that replace each other; registration
through the /_local sign-in; enabling, disabling and acknowledging the public key message; delete."""
import pytest

import wlhelpers as wl
from wlhelpers import assert_error

FLAGS = ("botExists", "isBotActive", "isDataRetentionBotRegistered", "isDataRetentionServiceEnabled",
         "isPubkeyMsgAcked")


@pytest.fixture
def net(client):
    return wl.new_network(client)


def _flags(client, net):
    got = client.get_data_retention_bot(networkId=net)
    return {k: got[k] for k in FLAGS}


def _expect(exists=False, registered=False, enabled=False, acked=False):
    return {"botExists": exists, "isBotActive": registered, "isDataRetentionBotRegistered": registered,
            "isDataRetentionServiceEnabled": enabled, "isPubkeyMsgAcked": acked}


def _sign_in(ep, net, challenge):
    return ep.raw("POST", f"/_local/networks/{net}/data-retention-bots/sign-in", {"challenge": challenge})


def _register(client, ep, net):
    client.create_data_retention_bot(networkId=net)
    challenge = client.create_data_retention_bot_challenge(networkId=net)["challenge"]
    r = _sign_in(ep, net, challenge)
    assert r.status_code == 200, r.text
    assert r.json()["sessionId"]


def test_no_bot_is_a_200_with_every_flag_false(client, net):
    got = client.get_data_retention_bot(networkId=net)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {k: got[k] for k in FLAGS} == _expect()


def test_create_once_per_network(client, net):
    assert client.create_data_retention_bot(networkId=net)["message"]
    got = client.get_data_retention_bot(networkId=net)
    assert got["botName"] == f"compliance_{net}_bot"
    assert _flags(client, net) == _expect(exists=True)
    with wl.expect_error(client, "BadRequestError"):
        client.create_data_retention_bot(networkId=net)


def test_unknown_network_is_not_found(client):
    missing = wl.unused_network_id(client)
    for call in (client.get_data_retention_bot, client.create_data_retention_bot):
        with wl.expect_error(client, "ResourceNotFoundError"):
            call(networkId=missing)


def test_operations_on_a_missing_bot_are_not_found(client, ep, net):
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.create_data_retention_bot_challenge(networkId=net)
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.update_data_retention(networkId=net, actionType="DISABLE")
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.delete_data_retention_bot(networkId=net)
    assert_error(_sign_in(ep, net, "anything"), "ResourceNotFoundError")


def test_each_challenge_replaces_the_previous_one(client, ep, net):
    client.create_data_retention_bot(networkId=net)
    first = client.create_data_retention_bot_challenge(networkId=net)["challenge"]
    second = client.create_data_retention_bot_challenge(networkId=net)["challenge"]
    assert first and second and first != second
    assert_error(_sign_in(ep, net, first), "ForbiddenError")
    assert _flags(client, net) == _expect(exists=True)
    assert _sign_in(ep, net, second).status_code == 200
    assert _flags(client, net) == _expect(exists=True, registered=True)


def test_enable_and_ack_need_registration(client, ep, net):
    client.create_data_retention_bot(networkId=net)
    with wl.expect_error(client, "BadRequestError", mentions="regist"):
        client.update_data_retention(networkId=net, actionType="ENABLE")
    with wl.expect_error(client, "BadRequestError", mentions="regist"):
        client.update_data_retention(networkId=net, actionType="PUBKEY_MSG_ACK")
    assert _flags(client, net) == _expect(exists=True)


def test_full_lifecycle(client, ep, net):
    _register(client, ep, net)
    assert _flags(client, net) == _expect(exists=True, registered=True)
    assert client.update_data_retention(networkId=net, actionType="ENABLE")["message"]
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=True)
    client.update_data_retention(networkId=net, actionType="ENABLE")
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=True)
    client.update_data_retention(networkId=net, actionType="PUBKEY_MSG_ACK")
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=True, acked=True)
    client.update_data_retention(networkId=net, actionType="DISABLE")
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=False, acked=True)


def test_unknown_action_is_422(ep, net):
    r = ep.raw("PATCH", f"/networks/{net}/data-retention-bots", {"actionType": "PAUSE"})
    wl.assert_validation(r, "actionType")


def test_delete_removes_everything(client, ep, net):
    _register(client, ep, net)
    client.update_data_retention(networkId=net, actionType="ENABLE")
    assert client.delete_data_retention_bot(networkId=net)["message"]
    assert _flags(client, net) == _expect()
    client.create_data_retention_bot(networkId=net)
    assert _flags(client, net) == _expect(exists=True)


def test_its_name_is_reserved_for_ordinary_bots(client, net):
    with wl.expect_error(client, "ValidationError", field="username"):
        client.create_bot(networkId=net, username=f"compliance_{net}_bot",
                          groupId=wl.default_group_id(client, net), challenge="pw")
