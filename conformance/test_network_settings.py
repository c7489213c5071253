"""GetNetworkSettings and UpdateNetworkSettings."""
import json

import pytest

import wlhelpers as wl
from wlhelpers import assert_error, assert_validation, expect_error

# What a new network lists: the two settings AWS's examples GetNetworkSettings#1/#2 always show.
DEFAULTS = {
    "enableClientMetrics": ("false", "boolean"),
    "dataRetention": ("false", "boolean"),
}
NO_POPUP = '{"enabled":false}'


def _values(settings):
    return {s["optionName"]: s["value"] for s in settings}


def _typed(client, network):
    return {s["optionName"]: (s["value"], s["type"]) for s in client.get_network_settings(networkId=network)["settings"]}


def test_defaults_of_a_new_network(client, network):
    settings = client.get_network_settings(networkId=network)["settings"]
    assert [s["optionName"] for s in settings] == list(DEFAULTS)
    assert _typed(client, network) == DEFAULTS


def test_update_changes_only_what_is_sent_and_answers_that(client):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/network_settings_test.go
    (TestAccWickrNetworkSettings_deleteIsNoOp): enableClientMetrics set to true reads back as
    optionName "enableClientMetrics", value "true"."""
    network, other = wl.new_network(client), wl.new_network(client)
    r = client.update_network_settings(networkId=network, settings={
        "enableClientMetrics": True, "readReceiptConfig": {"status": "FORCE_ENABLED"}})
    assert r["settings"] == [{"optionName": "enableClientMetrics", "value": "true", "type": "boolean"},
                             {"optionName": "readReceiptConfig", "value": "FORCE_ENABLED", "type": "string"}]
    assert _values(client.get_network_settings(networkId=network)["settings"]) == {
        "enableClientMetrics": "true", "readReceiptConfig": "FORCE_ENABLED", "dataRetention": "false"}
    r = client.update_network_settings(networkId=network, settings={"enableTrustedDataFormat": True,
                                                                    "enableClientMetrics": False})
    assert _values(r["settings"]) == {"enableClientMetrics": "false", "enableTrustedDataFormat": "true"}
    assert [s["optionName"] for s in client.get_network_settings(networkId=network)["settings"]] == [
        "enableClientMetrics", "readReceiptConfig", "dataRetention", "enableTrustedDataFormat"]
    assert _typed(client, other) == DEFAULTS


@pytest.mark.parametrize("status", ["DISABLED", "ENABLED", "FORCE_ENABLED"])
def test_read_receipt_statuses(client, network, status):
    r = client.update_network_settings(networkId=network, settings={"readReceiptConfig": {"status": status}})
    assert _values(r["settings"])["readReceiptConfig"] == status


def test_data_retention_follows_the_bot_and_is_not_set_here(client, ep):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/network_settings_test.go
    (TestAccWickrNetworkSettings_premiumDataRetention): UpdateNetworkSettings does not accept
    dataRetention; it follows the data retention bot. The refusal's words: AWS example
    UpdateNetworkSettings#6."""
    network = wl.new_network(client, access_level="PREMIUM")
    r = ep.raw("PATCH", f"/networks/{network}/settings",
               {"settings": {"enableClientMetrics": True, "dataRetention": True}})
    assert r.status_code == 422, r.text
    assert r.json() == {"message": "Validation failed", "reasons": [
        {"field": "dataRetention", "reason": "Invalid value for setting dataRetention: expected number"}]}
    assert _typed(client, network) == DEFAULTS
    client.create_data_retention_bot(networkId=network)
    challenge = client.create_data_retention_bot_challenge(networkId=network)["challenge"]
    r = ep.raw("POST", f"/_local/networks/{network}/data-retention-bots/sign-in", {"challenge": challenge})
    assert r.status_code == 200, r.text
    client.update_data_retention(networkId=network, actionType="ENABLE")
    assert _values(client.get_network_settings(networkId=network)["settings"])["dataRetention"] == "true"
    client.update_data_retention(networkId=network, actionType="DISABLE")
    assert _values(client.get_network_settings(networkId=network)["settings"])["dataRetention"] == "false"


@pytest.mark.parametrize("settings,field", [
    ({"readReceiptConfig": {}}, "settings.readReceiptConfig.status"),
    ({"readReceiptConfig": {"status": "SOMETIMES"}}, "settings.readReceiptConfig.status"),
    ({"dataRetention": "true"}, "settings.dataRetention"),
])
def test_update_rejects_invalid_settings(client, ep, network, settings, field):
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": settings})
    assert_validation(r, field)
    assert _typed(client, network) == DEFAULTS


def test_empty_settings_are_a_bad_request(client, ep, network):
    """live: SMonaghan/terraform-provider-aws internal/service/wickr/network_settings.go (Create():
    an empty settings struct causes BadRequestError)."""
    for settings in ({}, {"enableClientMetrics": None}):
        r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": settings})
        assert_error(r, "BadRequestError")
        assert r.json()["message"] == ("settings must set at least one of enableClientMetrics, readReceiptConfig,"
                                       " enableTrustedDataFormat, consentPopup")
    assert _typed(client, network) == DEFAULTS


def test_an_unknown_setting_name_is_a_bad_request(client, ep, network):
    """The wording is AWS example UpdateNetworkSettings#4's."""
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": {"enableClientMetrics": True,
                                                                        "enableClientMetric": True}})
    assert_error(r, "BadRequestError")
    assert r.json()["message"] == "Invalid setting name: enableClientMetric"
    assert _typed(client, network) == DEFAULTS


def test_update_needs_settings(ep, network):
    assert_validation(ep.raw("PATCH", f"/networks/{network}/settings", {}), "settings")


def test_unknown_or_foreign_network_is_not_found(client, ep, network):
    missing = wl.unused_network_id(client)
    with expect_error(client, "ResourceNotFoundError"):
        client.get_network_settings(networkId=missing)
    with expect_error(client, "ResourceNotFoundError"):
        client.update_network_settings(networkId=missing, settings={"enableClientMetrics": True})
    assert_error(ep.raw("GET", f"/networks/{network}/settings", region="eu-west-1"), "ResourceNotFoundError")



# ---- consentPopup (the newer model; boto3 here does not know it, so raw signed requests) ----

def test_consent_popup_is_stored_whole_and_listed_as_json_text(client, ep, network):
    popup = {"enabled": True, "header": "Notice", "content": "**Monitored** system",
             "closeButtonLabel": "I agree"}
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": {"consentPopup": popup}})
    assert r.status_code == 200, r.text
    item = next(s for s in r.json()["settings"] if s["optionName"] == "consentPopup")
    assert item["type"] == "json" and json.loads(item["value"]) == popup
    got = ep.raw("GET", f"/networks/{network}/settings").json()["settings"]
    # Listed once set, after the settings of the contract before it (as every setting but the two always listed).
    assert [s["optionName"] for s in got] == list(DEFAULTS) + ["consentPopup"]
    assert json.loads(_values(got)["consentPopup"]) == popup
    # An older client (botocore 1.43's model has no consentPopup) reads the list as it is.
    assert json.loads(_values(client.get_network_settings(networkId=network)["settings"])["consentPopup"]) == popup
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": {"consentPopup": {"enabled": False}}})
    assert _values(r.json()["settings"])["consentPopup"] == NO_POPUP


@pytest.mark.parametrize("popup,field", [
    ({"header": "Hi"}, "settings.consentPopup.enabled"),
    ({"enabled": "yes"}, "settings.consentPopup.enabled"),
    ({"enabled": True, "header": "h" * 101}, "settings.consentPopup.header"),
    ({"enabled": True, "content": "c" * 5001}, "settings.consentPopup.content"),
    ({"enabled": True, "closeButtonLabel": "b" * 21}, "settings.consentPopup.closeButtonLabel"),
])
def test_consent_popup_meets_the_models_rules(client, ep, network, popup, field):
    assert_validation(ep.raw("PATCH", f"/networks/{network}/settings", {"settings": {"consentPopup": popup}}), field)
    assert "consentPopup" not in _values(client.get_network_settings(networkId=network)["settings"])


def test_consent_popup_at_the_models_limits_is_accepted(ep, network):
    popup = {"enabled": True, "header": "h" * 100, "content": "c" * 5000, "closeButtonLabel": "b" * 20}
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": {"consentPopup": popup}})
    assert r.status_code == 200, r.text
    assert json.loads(_values(r.json()["settings"])["consentPopup"]) == popup
