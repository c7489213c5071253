"""Scenes for the examples of the user operations (see replay.py)."""
from replay import Scene

SCENES = {}


def scene(example_id):
    def register(fn):
        SCENES[example_id] = fn
        return fn
    return register


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
