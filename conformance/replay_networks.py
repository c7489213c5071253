"""Scenes for the examples of the networks operations (see replay.py)."""
import replay
from replay import Scene  # noqa: F401

SCENES, scene = replay.registry()


NETWORK_ID = r"[0-9]{8}"


def _unused(stage, example_id="99999999"):
    """The example's unknown id, checked to be no network of ours."""
    r = stage.raw("GET", f"/networks/{example_id}")
    assert r.status_code == 404, r.text
    return {}


@scene("CreateNetwork#1")
def _create_premium(stage):
    return Scene(generated={"output.networkId": NETWORK_ID})


@scene("CreateNetwork#2")
def _create_trial(stage):
    return Scene(generated={"output.networkId": NETWORK_ID})


@scene("CreateNetwork#3")
def _create_long_name(stage):
    return Scene()


@scene("DeleteNetwork#1")
def _delete(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("DeleteNetwork#2")
def _delete_unknown(stage):
    return Scene(ids=_unused(stage))


@scene("GetNetwork#1")
def _get(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("GetNetwork#2")
def _get_unknown(stage):
    return Scene(ids=_unused(stage))


@scene("ListNetworks#1")
def _list_by_name(stage):
    prod = stage.network("Prod Network", "PREMIUM")
    dev = stage.network("Dev Network", "STANDARD")
    return Scene(ids={"12345678": dev, "87654321": prod})


@scene("ListNetworks#2")
def _list_one(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("UpdateNetwork#1")
def _rename(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("UpdateNetwork#2")
def _rename_too_long(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("UpdateNetwork#3")
def _rename_unknown(stage):
    return Scene(ids=_unused(stage))


def _retention_enabled(stage, net):
    """The data retention bot of `net`, registered (signed in with its challenge) and its service enabled."""
    stage.client.create_data_retention_bot(networkId=net)
    challenge = stage.client.create_data_retention_bot_challenge(networkId=net)["challenge"]
    r = stage.raw("POST", f"/_local/networks/{net}/data-retention-bots/sign-in", {"challenge": challenge})
    assert r.status_code == 200, r.text
    stage.client.update_data_retention(networkId=net, actionType="ENABLE")


@scene("GetNetworkSettings#1")
def _settings_on(stage):
    net = stage.network("Production Network", "PREMIUM")
    stage.client.update_network_settings(networkId=net, settings={"enableClientMetrics": True})
    _retention_enabled(stage, net)
    return Scene(ids={"12345678": net})


@scene("GetNetworkSettings#2")
def _settings_default(stage):
    net = stage.network("Trial Network", "PREMIUM")
    return Scene(ids={"87654321": net})


@scene("GetNetworkSettings#3")
def _settings_unknown(stage):
    return Scene(ids=_unused(stage))


@scene("UpdateNetworkSettings#1")
def _update_with_retention(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("UpdateNetworkSettings#2")
def _update_metrics_off(stage):
    net = stage.network("Production Network", "PREMIUM")
    stage.client.update_network_settings(networkId=net, settings={"enableClientMetrics": True})
    return Scene(ids={"12345678": net})


@scene("UpdateNetworkSettings#3")
def _update_metrics_on(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})


@scene("UpdateNetworkSettings#4")
def _update_metrics_off_again(stage):
    net = stage.network("Production Network", "PREMIUM")
    stage.client.update_network_settings(networkId=net, settings={"enableClientMetrics": True})
    return Scene(ids={"12345678": net})


@scene("UpdateNetworkSettings#5")
def _update_unknown(stage):
    return Scene(ids=_unused(stage))


@scene("UpdateNetworkSettings#6")
def _update_retention_only(stage):
    net = stage.network("Production Network", "PREMIUM")
    return Scene(ids={"12345678": net})
