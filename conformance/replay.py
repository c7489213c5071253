"""Replaying AWS's own examples against Wickr Local.

conformance/aws-examples.json holds the `smithy.api#examples` of the AWS Wickr model (written by
tools/extract-contract.py). For each example a *scene* function (in replay_*.py) builds the state the
example needs on a server of its own, whose only account is the example's (123456789012), and tells
the replay which of our values stand for which of the example's (ids, generated values). The replay
then sends the example's input through boto3 (parameter validation off, as the AWS CLI allows, so
examples of refused input reach the server), reads the answer off the wire, maps our ids back to the
example's, and compares it with the example's answer after applying our documented decision.

Decisions live in docs/AWS-EXAMPLES.md, one table row per example:

    | `Operation#n` | same | - | why / notes |
    | `Operation#n` | differs | `{"output": {"message": "..."}}` | why we answer differently |

The third column of a `differs` row is a JSON Merge Patch (RFC 7386) applied to the example's
answer, written as {"output": body} or {"error": {"type": ErrorShape, "content": body}}; the result
must equal our answer exactly. A `same` row's patch is empty. An example without a row fails.
"""
import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import botocore.config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_FILE = ROOT / "conformance" / "aws-examples.json"
DECISIONS_FILE = ROOT / "docs" / "AWS-EXAMPLES.md"
CONTRACT_FILE = ROOT / "src" / "main" / "resources" / "io" / "wickrlocal" / "contract" / "wickr-2024-02-01.json"

# The account every example's ARNs name; the replay server's only credential maps to it.
EXAMPLE_ACCOUNT = "123456789012"
REPLAY_CREDENTIAL = ("AKIAWLEXAMPLES000001", "replay-secret", EXAMPLE_ACCOUNT)


def registry():
    """A scene module's (SCENES, scene): `@scene("Op#n")` registers the function below it in SCENES."""
    scenes = {}

    def scene(example_id):
        def register(fn):
            assert example_id not in scenes, f"two scenes for {example_id}"
            scenes[example_id] = fn
            return fn
        return register

    return scenes, scene


def examples() -> list:
    return json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))["examples"]


_ROW = re.compile(r"^\|\s*`(?P<id>[A-Za-z]+#\d+)`\s*\|\s*(?P<kind>[a-z]+)\s*\|\s*(?P<patch>.*?)\s*\|\s*(?P<why>.*?)\s*\|\s*$")


@dataclass
class Decision:
    example_id: str
    kind: str          # "same" or "differs"
    patch: dict
    why: str


def decisions() -> dict:
    """Every decision row of docs/AWS-EXAMPLES.md, by example id (a second row for one id is an error)."""
    found = {}
    for number, line in enumerate(DECISIONS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        m = _ROW.match(line)
        if not m:
            continue
        ex_id, kind, patch_text, why = m["id"], m["kind"], m["patch"], m["why"]
        if ex_id in found:
            raise AssertionError(f"{DECISIONS_FILE.name} line {number}: a second row for {ex_id}")
        if kind not in ("same", "differs"):
            raise AssertionError(f"{DECISIONS_FILE.name} line {number}: decision {kind!r} is neither same nor differs")
        if kind == "same":
            if patch_text not in ("-", ""):
                raise AssertionError(f"{DECISIONS_FILE.name} line {number}: a 'same' row has no patch")
            patch = {}
        else:
            if not (patch_text.startswith("`") and patch_text.endswith("`")):
                raise AssertionError(f"{DECISIONS_FILE.name} line {number}: the patch of {ex_id} must be `JSON`")
            try:
                patch = json.loads(patch_text[1:-1])
            except ValueError as e:
                raise AssertionError(f"{DECISIONS_FILE.name} line {number}: the patch of {ex_id} is not JSON: {e}")
            if not isinstance(patch, dict) or not patch:
                raise AssertionError(f"{DECISIONS_FILE.name} line {number}: a 'differs' row needs a non-empty patch")
        if not why or why == "-":
            raise AssertionError(f"{DECISIONS_FILE.name} line {number}: {ex_id} says not why")
        found[ex_id] = Decision(ex_id, kind, patch, why)
    return found


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def expected_answer(example: dict, decision: Decision) -> dict:
    if example["error"] is not None:
        shape = example["error"]["shapeId"].split("#", 1)[1]
        base = {"error": {"type": shape, "content": example["error"]["content"]}}
    else:
        base = {"output": example["output"] if example["output"] is not None else {}}
    return merge_patch(base, decision.patch)


@dataclass
class Scene:
    """What a scene function built: `ids` maps each of the example's values to ours (substituted
    in the input, mapped back in the answer); `generated` maps a path of the answer to a pattern our
    value must match in full, after which the example's value at that path stands in for it (values
    no two servers share: ids we create, invite codes, times). Paths are dotted, `[*]` for every
    item of a list: "output.successful[*].userId". `input` replaces the example's input when set;
    `client` sends the call (default: the replay client)."""
    ids: dict = field(default_factory=dict)
    generated: dict = field(default_factory=dict)
    input: dict | None = None
    client: object = None
    notes: list = field(default_factory=list)


def substitute(value, mapping: dict):
    """Replace strings equal to a key of `mapping` by its value (whole strings only), deeply."""
    if isinstance(value, dict):
        return {k: substitute(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, mapping) for v in value]
    if isinstance(value, str) and value in mapping:
        return mapping[value]
    return value


def map_back(value, ids: dict):
    """Our answer in the example's terms: each of our values in `ids` becomes the example's, as a
    whole string or, for values of 8 characters or more (network ids), inside a string (ARNs,
    bot names)."""
    reverse = {ours: theirs for theirs, ours in ids.items()}
    long_ones = sorted((k for k in reverse if len(k) >= 8), key=len, reverse=True)

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            if v in reverse:
                return reverse[v]
            for ours in long_ones:
                if ours in v:
                    v = v.replace(ours, reverse[ours])
            return v
        return v

    return walk(value)


def _steps(path: str):
    out = []
    for part in path.split("."):
        m = re.fullmatch(r"([^\[\]]+)((?:\[(?:\*|\d+)\])*)", part)
        if not m:
            raise ValueError(f"bad path {path!r}")
        out.append(m[1])
        for index in re.findall(r"\[(\*|\d+)\]", m[2]):
            out.append(index if index == "*" else int(index))
    return out


def apply_generated(actual, expected, generated: dict, problems: list):
    """For each generated path: where our value matches its pattern in full and the example has a
    value at the same place, put the example's value in ours. A value that does not match the
    pattern is a problem, reported."""
    for path, pattern in generated.items():
        _settle(actual, expected, _steps(path), path, re.compile(pattern), problems)
    return actual


def _settle(actual, expected, steps, path, pattern, problems):
    if not steps:
        return
    step, rest = steps[0], steps[1:]
    if step == "*":
        if isinstance(actual, list) and isinstance(expected, list):
            for i in range(min(len(actual), len(expected))):
                _visit(actual, expected, i, rest, path, pattern, problems)
        return
    if isinstance(step, int):
        if isinstance(actual, list) and isinstance(expected, list) and step < min(len(actual), len(expected)):
            _visit(actual, expected, step, rest, path, pattern, problems)
        return
    if isinstance(actual, dict) and isinstance(expected, dict) and step in actual and step in expected:
        _visit(actual, expected, step, rest, path, pattern, problems)


def _visit(actual, expected, key, rest, path, pattern, problems):
    if rest:
        _settle(actual[key], expected[key], rest, path, pattern, problems)
        return
    ours = actual[key]
    text = json.dumps(ours) if not isinstance(ours, str) else ours
    if pattern.fullmatch(text):
        actual[key] = copy.deepcopy(expected[key])
    else:
        problems.append(f"{path}: our value {ours!r} does not match {pattern.pattern!r}")


def error_status(shape: str) -> int:
    contract = json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))
    return contract["shapes"][shape]["error"]["httpStatusCode"]


def no_validation_config():
    return botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1},
                                  connect_timeout=5, read_timeout=30)


class Stage:
    """What a scene function works with: the replay server's boto3 client (`client`, validation on,
    for building state), the raw signed sender (`raw`), and small builders. Every scene starts on
    an empty account (the replay resets it before each example)."""

    def __init__(self, endpoint, client, example):
        self.endpoint = endpoint
        self.client = client
        self.example = example

    def raw(self, method, path, body=None, headers=None, **kw):
        ak, sk, _ = REPLAY_CREDENTIAL
        return self.endpoint.raw(method, path, body, headers, access_key=ak, secret_key=sk, **kw)

    def network(self, name="Replay Network", access_level="STANDARD") -> str:
        return self.client.create_network(networkName=name, accessLevel=access_level)["networkId"]

    def default_group(self, network_id) -> str:
        groups = self.client.list_security_groups(networkId=network_id)["securityGroups"]
        return next(g["id"] for g in groups if g.get("isDefault"))

    def users(self, network_id, users: list) -> list:
        """BatchCreateUser with `users` (dicts as in the API; securityGroupIds default to the
        default group); returns the successful items in the order given."""
        group = self.default_group(network_id)
        items = [dict({"securityGroupIds": [group]}, **u) for u in users]
        created = []
        for start in range(0, len(items), 50):
            chunk = items[start:start + 50]
            r = self.client.batch_create_user(networkId=network_id, users=chunk)
            assert not r.get("failed"), r
            by_name = {u["username"]: u for u in r["successful"]}
            created.extend(by_name[c["username"]] for c in chunk)
        return created

    def sign_in(self, network_id, user_id, invite_code=None, device_type="iOS", **kw) -> dict:
        body = {"deviceType": device_type}
        if invite_code is not None:
            body["inviteCode"] = invite_code
        body.update(kw)
        r = self.raw("POST", f"/_local/networks/{network_id}/users/{user_id}/sign-in", body)
        assert r.status_code == 200, f"sign-in failed: {r.status_code} {r.text[:500]}"
        return r.json()
