"""The data retention bot: one per network; challenges that replace each other; registration
through the /_local sign-in; enabling, disabling and acknowledging the public key message; delete."""
import pytest

import wlhelpers as wl
from wlhelpers import assert_error

FLAGS = ("botExists", "isBotActive", "isDataRetentionBotRegistered", "isDataRetentionServiceEnabled",
         "isPubkeyMsgAcked")


@pytest.fixture
def net(client):
    # Only a PREMIUM network may have a data retention bot (live-observations #46).
    return wl.new_network(client, access_level="PREMIUM")


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
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/find.go findDataRetentionBotByID()
    (live-observations #47): without a bot GetDataRetentionBot is a 200 with botExists false, not an
    error. botName is the name it would get (AWS example GetDataRetentionBot#2)."""
    got = client.get_data_retention_bot(networkId=net)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {k: got[k] for k in FLAGS} == _expect()
    assert got["botName"] == f"compliance_{net}_bot"


def test_a_standard_network_may_not_have_one(client):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/data_retention_bot_test.go header
    comment (live-observations #46): on a STANDARD network CreateDataRetentionBot answers "Action not
    permitted with current access level" (the error type is our choice: ForbiddenError)."""
    standard = wl.new_network(client)
    with wl.expect_error(client, "ForbiddenError") as ei:
        client.create_data_retention_bot(networkId=standard)
    assert ei.value.response["Error"]["Message"] == "Action not permitted with current access level"
    assert client.get_data_retention_bot(networkId=standard)["botExists"] is False


def test_the_state_right_after_create_and_challenge(client, net):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/data_retention_bot_test.go
    TestAccWickrDataRetentionBot_computedFields / _challenge (live-observations #48): after
    CreateDataRetentionBot and CreateDataRetentionBotChallenge, with no daemon, the bot exists with its
    name, is not registered, the service is not enabled and the public key message is not acknowledged;
    the challenge is a non-empty string that only CreateDataRetentionBotChallenge answers."""
    client.create_data_retention_bot(networkId=net)
    challenge = client.create_data_retention_bot_challenge(networkId=net)["challenge"]
    assert isinstance(challenge, str) and challenge
    got = wl.strip_meta(client.get_data_retention_bot(networkId=net))
    assert got == {"botName": f"compliance_{net}_bot", "botExists": True, "isBotActive": False,
                   "isDataRetentionBotRegistered": False, "isDataRetentionServiceEnabled": False,
                   "isPubkeyMsgAcked": False}


def test_create_once_per_network(client, net):
    """AWS examples CreateDataRetentionBot#1 and #2: a second create is "Users already exist in this
    network." and changes nothing."""
    assert client.create_data_retention_bot(networkId=net)["message"] == "successfully provisioned data retention bot"
    got = client.get_data_retention_bot(networkId=net)
    assert got["botName"] == f"compliance_{net}_bot"
    assert _flags(client, net) == _expect(exists=True)
    with wl.expect_error(client, "BadRequestError") as ei:
        client.create_data_retention_bot(networkId=net)
    assert ei.value.response["Error"]["Message"] == "Users already exist in this network."
    assert _flags(client, net) == _expect(exists=True)


def test_unknown_network_is_not_found(client):
    missing = wl.unused_network_id(client)
    for call in (client.get_data_retention_bot, client.create_data_retention_bot):
        with wl.expect_error(client, "ResourceNotFoundError"):
            call(networkId=missing)


def test_operations_on_a_missing_bot_are_not_found(client, ep, net):
    with wl.expect_error(client, "ResourceNotFoundError"):
        client.create_data_retention_bot_challenge(networkId=net)
    with wl.expect_error(client, "ResourceNotFoundError") as ei:
        client.update_data_retention(networkId=net, actionType="DISABLE")
    assert ei.value.response["Error"]["Message"] == "Data retention bot not found or not registered"
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


def test_every_action_needs_registration(client, ep, net):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/data_retention_bot.go schema comment
    (live-observations #49): ENABLE, DISABLE and PUBKEY_MSG_ACK before the bot registered fail with
    "Data retention bot not found or not registered" (the error type is our choice: BadRequestError)."""
    client.create_data_retention_bot(networkId=net)
    client.create_data_retention_bot_challenge(networkId=net)
    for action in ("ENABLE", "DISABLE", "PUBKEY_MSG_ACK"):
        with wl.expect_error(client, "BadRequestError") as ei:
            client.update_data_retention(networkId=net, actionType=action)
        assert ei.value.response["Error"]["Message"] == "Data retention bot not found or not registered"
    assert _flags(client, net) == _expect(exists=True)


def test_full_lifecycle(client, ep, net):
    _register(client, ep, net)
    assert _flags(client, net) == _expect(exists=True, registered=True)
    """The messages are AWS examples UpdateDataRetention#1-#3; a repeat answers the same."""
    enabled = "data retention service enabled"
    assert client.update_data_retention(networkId=net, actionType="ENABLE")["message"] == enabled
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=True)
    assert client.update_data_retention(networkId=net, actionType="ENABLE")["message"] == enabled
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=True)
    assert client.update_data_retention(networkId=net, actionType="PUBKEY_MSG_ACK")["message"] \
        == "pubkey message was acknowledged"
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=True, acked=True)
    assert client.update_data_retention(networkId=net, actionType="DISABLE")["message"] \
        == "data retention service disabled"
    assert _flags(client, net) == _expect(exists=True, registered=True, enabled=False, acked=True)


def test_unknown_action_is_422(ep, net):
    r = ep.raw("PATCH", f"/networks/{net}/data-retention-bots", {"actionType": "PAUSE"})
    wl.assert_validation(r, "actionType")


def test_delete_removes_everything(client, ep, net):
    _register(client, ep, net)
    client.update_data_retention(networkId=net, actionType="ENABLE")
    assert client.delete_data_retention_bot(networkId=net)["message"] \
        == "deleted data retention bot and all associated data from the database"
    assert _flags(client, net) == _expect()
    client.create_data_retention_bot(networkId=net)
    assert _flags(client, net) == _expect(exists=True)


def test_its_name_is_reserved_for_ordinary_bots(client, net):
    with wl.expect_error(client, "ValidationError", field="username"):
        client.create_bot(networkId=net, username=f"compliance_{net}_bot",
                          groupId=wl.default_group_id(client, net), challenge="pw")
