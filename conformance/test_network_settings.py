"""GetNetworkSettings and UpdateNetworkSettings."""
import json

import pytest

import wlhelpers as wl
from wlhelpers import assert_error, assert_validation, expect_error

DEFAULTS = {
    "enableClientMetrics": ("false", "boolean"),
    "readReceiptConfig": ("DISABLED", "string"),
    "dataRetention": ("false", "boolean"),
    "enableTrustedDataFormat": ("false", "boolean"),
    "consentPopup": ('{"enabled":false}', "json"),
}
NO_POPUP = '{"enabled":false}'


def _values(settings):
    return {s["optionName"]: s["value"] for s in settings}


def test_defaults_of_a_new_network(client, network):
    settings = client.get_network_settings(networkId=network)["settings"]
    assert [s["optionName"] for s in settings] == list(DEFAULTS)
    assert {s["optionName"]: (s["value"], s["type"]) for s in settings} == DEFAULTS


def test_update_changes_only_what_is_sent(client, network):
    other = wl.new_network(client)
    r = client.update_network_settings(networkId=network, settings={
        "enableClientMetrics": True, "readReceiptConfig": {"status": "FORCE_ENABLED"}})
    after = _values(r["settings"])
    assert after == {"enableClientMetrics": "true", "readReceiptConfig": "FORCE_ENABLED",
                     "dataRetention": "false", "enableTrustedDataFormat": "false", "consentPopup": NO_POPUP}
    assert _values(client.get_network_settings(networkId=network)["settings"]) == after
    r = client.update_network_settings(networkId=network, settings={"enableTrustedDataFormat": True,
                                                                    "enableClientMetrics": False})
    assert _values(r["settings"]) == {"enableClientMetrics": "false", "readReceiptConfig": "FORCE_ENABLED",
                                      "dataRetention": "false", "enableTrustedDataFormat": "true",
                                      "consentPopup": NO_POPUP}
    assert _values(client.get_network_settings(networkId=other)["settings"]) == \
        {k: v for k, (v, _) in DEFAULTS.items()}


@pytest.mark.parametrize("status", ["DISABLED", "ENABLED", "FORCE_ENABLED"])
def test_read_receipt_statuses(client, network, status):
    r = client.update_network_settings(networkId=network, settings={"readReceiptConfig": {"status": status}})
    assert _values(r["settings"])["readReceiptConfig"] == status


@pytest.mark.parametrize("settings,field", [
    ({}, "settings"),
    ({"readReceiptConfig": {}}, "settings.readReceiptConfig.status"),
    ({"readReceiptConfig": {"status": "SOMETIMES"}}, "settings.readReceiptConfig.status"),
    ({"dataRetention": "true"}, "settings.dataRetention"),
    ({"enableClientMetric": True}, "settings.enableClientMetric"),
])
def test_update_rejects_meaningless_settings(client, ep, network, settings, field):
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": settings})
    assert_validation(r, field)
    assert {s["optionName"]: (s["value"], s["type"])
            for s in client.get_network_settings(networkId=network)["settings"]} == DEFAULTS


def test_update_needs_settings(ep, network):
    assert_validation(ep.raw("PATCH", f"/networks/{network}/settings", {}), "settings")


def test_unknown_or_foreign_network_is_not_found(client, ep, network):
    missing = wl.unused_network_id(client)
    with expect_error(client, "ResourceNotFoundError"):
        client.get_network_settings(networkId=missing)
    with expect_error(client, "ResourceNotFoundError"):
        client.update_network_settings(networkId=missing, settings={"dataRetention": True})
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
    assert [s["optionName"] for s in got] == list(DEFAULTS)
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
    assert _values(client.get_network_settings(networkId=network)["settings"])["consentPopup"] == NO_POPUP


def test_consent_popup_at_the_models_limits_is_accepted(ep, network):
    popup = {"enabled": True, "header": "h" * 100, "content": "c" * 5000, "closeButtonLabel": "b" * 20}
    r = ep.raw("PATCH", f"/networks/{network}/settings", {"settings": {"consentPopup": popup}})
    assert r.status_code == 200, r.text
    assert json.loads(_values(r.json()["settings"])["consentPopup"]) == popup
