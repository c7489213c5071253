"""OpenTDF: one provider configuration per network, with a dry run that stores nothing."""
import pytest

import wlhelpers as wl
from wlhelpers import assert_validation, expect_error


def register(client, network, **overrides):
    params = dict(networkId=network, clientId="wickr-tdf", clientSecret="tdf-secret",
                  domain="tdf.example.com", provider="virtru")
    params.update(overrides)
    return wl.strip_meta(client.register_opentdf_config(**params))


def test_register_answers_with_the_configuration_and_get_returns_it(client, network):
    r = register(client, network, provider="Virtru")
    assert r == {"clientId": "wickr-tdf", "clientSecret": "tdf-secret", "domain": "tdf.example.com",
                 "provider": "virtru"}
    assert wl.strip_meta(client.get_opentdf_config(networkId=network)) == r


NOT_CONFIGURED = {"clientId": "", "clientSecret": "", "domain": "", "provider": ""}


def test_get_before_any_registration_answers_empty_values(client, network):
    """AWS example GetOpentdfConfig#2: never configured, every member is an empty string."""
    assert wl.strip_meta(client.get_opentdf_config(networkId=network)) == NOT_CONFIGURED


def test_a_second_registration_replaces_the_first(client, network):
    register(client, network)
    register(client, network, clientId="second", clientSecret="s2", domain="other.example.org", provider="VIRTRU")
    assert wl.strip_meta(client.get_opentdf_config(networkId=network)) == {
        "clientId": "second", "clientSecret": "s2", "domain": "other.example.org", "provider": "virtru"}


def test_a_dry_run_answers_but_stores_nothing(client, network):
    r = register(client, network, dryRun=True)
    assert r["domain"] == "tdf.example.com" and r["provider"] == "virtru"
    assert wl.strip_meta(client.get_opentdf_config(networkId=network)) == NOT_CONFIGURED
    register(client, network, clientId="kept")
    register(client, network, clientId="dry", dryRun=True)
    assert client.get_opentdf_config(networkId=network)["clientId"] == "kept"


def test_a_dry_run_still_validates(client, network):
    with expect_error(client, "ValidationError", field="provider"):
        register(client, network, provider="acme", dryRun=True)


def test_dry_run_false_stores(client, network, raw):
    body = {"clientId": "c", "clientSecret": "s", "domain": "tdf.example.com", "provider": "virtru"}
    r = raw("POST", f"/networks/{network}/tdf?dryRun=false", body)
    assert r.status_code == 200, r.text
    assert client.get_opentdf_config(networkId=network)["clientId"] == "c"
    assert_validation(raw("POST", f"/networks/{network}/tdf?dryRun=maybe", body), "dryRun")


@pytest.mark.parametrize("provider", ["acme", "", "virtru-cloud", "opentdf"])
def test_only_virtru_is_supported(client, network, provider):
    with expect_error(client, "ValidationError", field="provider", mentions="virtru"):
        register(client, network, provider=provider)
    assert wl.strip_meta(client.get_opentdf_config(networkId=network)) == NOT_CONFIGURED


@pytest.mark.parametrize("domain", [
    "", "http://tdf.example.com", "https://tdf.example.com/api", "tdf.example.com/api", "tdf.example.com:8443", "localhost",
    "-tdf.example.com", "tdf..example.com", "tdf_1.example.com", " tdf.example.com", "a" * 64 + ".example.com",
])
def test_the_domain_must_be_a_host_name(client, network, domain):
    with expect_error(client, "ValidationError", field="domain"):
        register(client, network, domain=domain)


def test_the_domain_may_be_an_https_url_of_a_host(client, network):
    """AWS example RegisterOpentdfConfig#1: "https://api.sample.com", kept as given."""
    assert register(client, network, domain="https://api.sample.com")["domain"] == "https://api.sample.com"
    assert client.get_opentdf_config(networkId=network)["domain"] == "https://api.sample.com"


@pytest.mark.parametrize("member", ["clientId", "clientSecret"])
def test_credentials_must_not_be_blank(client, network, member):
    with expect_error(client, "ValidationError", field=member):
        register(client, network, **{member: "  "})


def test_required_members_are_checked_by_the_contract(raw, network):
    assert_validation(raw("POST", f"/networks/{network}/tdf",
                          {"clientId": "c", "clientSecret": "s", "domain": "tdf.example.com"}), "provider")


def test_unknown_network_and_another_region_are_404(client, make_client, network):
    nid = wl.unused_network_id(client)
    with expect_error(client, "ResourceNotFoundError"):
        register(client, nid)
    with expect_error(client, "ResourceNotFoundError"):
        client.get_opentdf_config(networkId=nid)
    register(client, network)
    elsewhere = make_client(region=wl.isolated_region())
    with expect_error(elsewhere, "ResourceNotFoundError"):
        elsewhere.get_opentdf_config(networkId=network)
    with expect_error(elsewhere, "ResourceNotFoundError"):
        register(elsewhere, network, clientId="theirs")
    assert client.get_opentdf_config(networkId=network)["clientId"] == "wickr-tdf"


def test_deleting_the_network_removes_the_configuration(client):
    network = wl.new_network(client)
    register(client, network)
    client.delete_network(networkId=network)
    with expect_error(client, "ForbiddenError"):  # a deleted network's id (README "### Networks")
        client.get_opentdf_config(networkId=network)
