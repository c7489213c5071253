"""Every example of the AWS model replays against Wickr Local with the decision docs/AWS-EXAMPLES.md
records for it (see replay.py for how)."""
import difflib
import json

import botocore
import pytest

import replay
import replay_bots_guests
import replay_groups_sso
import replay_networks
import replay_users
import wlhelpers as wl

EXAMPLES = replay.examples()
SCENES = {}
for _module in (replay_users, replay_networks, replay_groups_sso, replay_bots_guests):
    for _id, _fn in _module.SCENES.items():
        assert _id not in SCENES, f"two scenes for {_id}"
        SCENES[_id] = _fn


@pytest.fixture(scope="module")
def replay_ep(server_factory):
    srv = server_factory("--in-memory", "--credential", ":".join(replay.REPLAY_CREDENTIAL), name="replay")
    return srv.endpoint()


@pytest.fixture(scope="module")
def clients(replay_ep):
    ak, sk, _ = replay.REPLAY_CREDENTIAL
    checked = replay_ep.client(access_key=ak, secret_key=sk)
    unchecked = botocore.session.get_session().create_client(
        "wickr", endpoint_url=replay_ep.url, region_name=wl.DEFAULT_REGION,
        aws_access_key_id=ak, aws_secret_access_key=sk, config=replay.no_validation_config())
    return checked, unchecked


def _send(client, operation, params):
    """Calls `operation` through boto3 and returns (status, error type or None, JSON body) as read
    off the wire."""
    seen = {}

    def keep(http_response, **_):
        seen["status"] = http_response.status_code
        seen["headers"] = dict(http_response.headers)
        seen["body"] = http_response.content

    event = f"after-call.wickr.{operation}"
    client.meta.events.register(event, keep)
    try:
        getattr(client, botocore.xform_name(operation))(**params)
    except client.exceptions.ClientError:
        pass
    finally:
        client.meta.events.unregister(event, keep)
    body = json.loads(seen["body"]) if seen["body"] else {}
    kind = seen["headers"].get("x-amzn-ErrorType")
    return seen["status"], (kind.split(":", 1)[0] if kind else None), body


def test_every_decision_names_an_example():
    known = {e["id"] for e in EXAMPLES}
    assert sorted(set(replay.decisions()) - known) == []
    assert sorted(set(SCENES) - known) == []


def test_every_differs_row_changes_the_example():
    decisions = replay.decisions()
    for example in EXAMPLES:
        d = decisions.get(example["id"])
        if d is not None and d.kind == "differs":
            unchanged = replay.expected_answer(example, replay.Decision(d.example_id, "same", {}, d.why))
            assert replay.expected_answer(example, d) != unchanged, f"{d.example_id}: the patch changes nothing"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_example_replays_as_decided(example, replay_ep, clients):
    decision = replay.decisions().get(example["id"])
    assert decision is not None, f"{example['id']} has no decision in docs/AWS-EXAMPLES.md"
    scene_fn = SCENES.get(example["id"])
    assert scene_fn is not None, f"{example['id']} has no scene in conformance/replay_*.py"
    checked, unchecked = clients
    stage = replay.Stage(replay_ep, checked, example)
    r = stage.raw("POST", "/_local/reset", {})
    assert r.status_code == 200, r.text
    scene = scene_fn(stage) or replay.Scene()
    params = scene.input if scene.input is not None else replay.substitute(example["input"], scene.ids)
    status, kind, body = _send(scene.client or unchecked, example["operation"], params)
    if kind is None:
        assert status == 200, (status, body)
        ours = {"output": body}
    else:
        assert status == replay.error_status(kind), (status, kind, body)
        ours = {"error": {"type": kind, "content": body}}
    ours = replay.map_back(ours, scene.ids)
    expected = replay.expected_answer(example, decision)
    problems = []
    replay.apply_generated(ours, expected, scene.generated, problems)
    assert not problems, problems
    if ours != expected:
        a = json.dumps(expected, indent=1, sort_keys=True).splitlines()
        b = json.dumps(ours, indent=1, sort_keys=True).splitlines()
        diff = "\n".join(difflib.unified_diff(a, b, "decided", "answered", lineterm=""))
        pytest.fail(f"{example['id']} ({decision.kind}): our answer is not the decided one\n{diff}")
