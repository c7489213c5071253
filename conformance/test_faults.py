"""Fault injection and throttling, as boto3 and the AWS CLI meet them.

The server under test gets a fault plan (`PUT /_local/faults`, or `--faults FILE` at start) and the
real clients are left to do what they do: retry or give up. What these tests establish about the
clients (botocore and AWS CLI v1 as installed; docs/faults.md repeats it):

* legacy retry mode (the default of boto3 and of AWS CLI v1): 429 and 500 are both retried, 5 attempts
  in all, with the same client token on every attempt;
* standard (and adaptive) mode: 500 is retried, 3 attempts in all; 429 RateLimitError is NOT retried,
  because botocore's standard mode recognises throttling by error code (Throttling,
  ThrottlingException, TooManyRequestsException, ...) or a `retryable` trait in the model, and the
  Wickr model's RateLimitError has neither; the status code 429 alone does not count there.

Exactly-once is shown through state: between the attempt whose answer was "lost" (a 500 sent after
the change committed) and the client's retry, another caller undoes part of the change. A retry that
ran the operation again would redo it; a retry answered from the idempotency store leaves it undone.
The faults endpoint's `fired` counts say how many attempts each rule answered.
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

import botocore.config
import pytest

import wlhelpers as wl

TOGGLE = "BatchToggleUserSuspendStatus"
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def fep(server_factory):
    """A server of its own: a fault plan is server-wide and must not leak into other tests."""
    return server_factory("--in-memory", name="faults").endpoint()


@pytest.fixture(autouse=True)
def no_faults_left(fep):
    yield
    r = fep.raw("DELETE", "/_local/faults")
    assert r.status_code == 200, r.text


def put_faults(ep, plan):
    r = ep.raw("PUT", "/_local/faults", plan)
    assert r.status_code == 200, r.text
    return r.json()


def rules_now(ep):
    r = ep.raw("GET", "/_local/faults")
    assert r.status_code == 200, r.text
    return {rule["id"]: rule for rule in r.json()["rules"]}


def retrying_client(ep, mode):
    """A boto3 client with the given retry mode and its default number of attempts."""
    import boto3
    return boto3.client("wickr", endpoint_url=ep.url, region_name=wl.DEFAULT_REGION,
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(retries={"mode": mode}, connect_timeout=5, read_timeout=30))


def users_of_a_new_network(ep, n):
    c = ep.client()
    net = wl.new_network(c)
    ids = [u["userId"] for u in wl.create_users(c, net, n, prefix="fault")]
    return net, ids


def suspended(ep, net, ids):
    c = ep.client()
    return {uid: c.get_user(networkId=net, userId=uid)["suspended"] for uid in ids}


def record_attempts(client, on_attempt=None):
    """Records the X-Client-Token of every attempt of a toggle; calls on_attempt(n) before attempt n."""
    tokens = []

    def before_send(request, **_):
        tokens.append(request.headers.get("X-Client-Token"))
        if on_attempt is not None:
            on_attempt(len(tokens))
        return None

    client.meta.events.register(f"before-send.wickr.{TOGGLE}", before_send)
    return tokens


def token_text(t):
    return t.decode() if isinstance(t, bytes) else t


# --------------------------------------------------------------------------------------------
# boto3
# --------------------------------------------------------------------------------------------

def test_boto3_standard_mode_retries_500s_after_commit_and_the_toggle_is_applied_once(fep):
    net, ids = users_of_a_new_network(fep, 5)
    put_faults(fep, {"rules": [{"id": "lost-answers", "operation": TOGGLE, "error": "InternalServerError",
                                "phase": "after", "count": 2}]})
    client = retrying_client(fep, "standard")
    other = fep.client()
    deleted, undone = ids[0], ids[1]

    def on_attempt(n):
        # Between the attempts another caller changes the users. A retry that ran the operation
        # again would show it: the deleted user in `failed`, the unsuspended one suspended again.
        if n == 2:
            assert suspended(fep, net, ids) == {uid: True for uid in ids}, "attempt 1 committed"
            other.batch_delete_user(networkId=net, userIds=[deleted])
        if n == 3:
            # The rule has answered its two 500s, so this toggle of the other caller goes through.
            other.batch_toggle_user_suspend_status(networkId=net, suspend=False, userIds=[undone],
                                                   clientToken="someone-else-1")

    tokens = record_attempts(client, on_attempt)
    result = client.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=ids)

    assert result["ResponseMetadata"]["RetryAttempts"] == 2, result["ResponseMetadata"]
    assert len(tokens) == 3
    assert len(set(tokens)) == 1 and UUID_RE.match(token_text(tokens[0])), \
        f"boto3 generates one client token and resends it on every attempt: {tokens}"
    # The answer is the first attempt's, from the idempotency store: the deleted user was suspended.
    assert sorted(u["userId"] for u in result["successful"]) == sorted(ids)
    assert result["message"] == "success"
    assert not result.get("failed")
    # Exactly once: the retries changed nothing, so the other caller's changes stand.
    with wl.expect_error(other, "BadRequestError"):
        other.get_user(networkId=net, userId=deleted)
    state = suspended(fep, net, ids[1:])
    assert state == {undone: False, **{uid: True for uid in ids[2:]}}, state
    rule = rules_now(fep)["lost-answers"]
    assert (rule["matched"], rule["fired"], rule["remaining"]) == (2, 2, 0), rule


def test_boto3_legacy_mode_retries_a_429_storm_before_the_operation(fep):
    net, ids = users_of_a_new_network(fep, 3)
    put_faults(fep, {"rules": [{"id": "storm", "operation": TOGGLE, "error": "RateLimitError", "count": 3}]})
    client = retrying_client(fep, "legacy")
    seen_before = []

    def on_attempt(n):
        if n > 1:
            # Every refused attempt was refused before the operation ran: nothing is suspended yet.
            seen_before.append(suspended(fep, net, ids))

    tokens = record_attempts(client, on_attempt)
    result = client.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=ids)

    assert result["ResponseMetadata"]["RetryAttempts"] == 3
    assert len(tokens) == 4 and len(set(tokens)) == 1
    assert seen_before == [{uid: False for uid in ids}] * 3
    assert suspended(fep, net, ids) == {uid: True for uid in ids}
    assert rules_now(fep)["storm"]["fired"] == 3


def test_boto3_standard_mode_does_not_retry_rate_limit_error(fep):
    """botocore's standard mode knows throttling by error code; RateLimitError is not one of them."""
    net, ids = users_of_a_new_network(fep, 2)
    put_faults(fep, {"rules": [{"id": "storm", "operation": TOGGLE, "error": "RateLimitError", "count": 5}]})
    for mode in ("standard", "adaptive"):
        client = retrying_client(fep, mode)
        with wl.expect_error(client, "RateLimitError", mentions="rate exceeded") as e:
            client.batch_toggle_user_suspend_status(networkId=net, suspend=True, userIds=ids)
        assert e.value.response["ResponseMetadata"]["RetryAttempts"] == 0, mode
    rule = rules_now(fep)["storm"]
    assert (rule["fired"], rule["remaining"]) == (2, 3), rule
    assert suspended(fep, net, ids) == {uid: False for uid in ids}


def test_boto3_legacy_mode_gives_up_after_five_attempts(fep):
    put_faults(fep, {"rules": [{"id": "down", "operation": "ListNetworks", "error": "InternalServerError",
                                "count": 50}]})
    client = retrying_client(fep, "legacy")
    with wl.expect_error(client, "InternalServerError", mentions="fault injected by wickr local rule 'down'") as e:
        client.list_networks()
    assert e.value.response["ResponseMetadata"]["RetryAttempts"] == 4
    assert rules_now(fep)["down"]["fired"] == 5


def test_injected_errors_are_the_modeled_errors_on_the_wire(fep):
    put_faults(fep, {"rules": [
        {"operation": "ListNetworks", "error": "RateLimitError", "count": 1},
        {"operation": "ListNetworks", "error": "InternalServerError", "count": 1, "message": "custom words"}]})
    r = fep.raw("GET", "/networks")
    body = wl.assert_error(r, "RateLimitError", 429, mentions="rule 'rule-1'")
    assert set(body) == {"message"}
    assert r.headers["Content-Type"] == "application/json"
    r = fep.raw("GET", "/networks")
    assert wl.assert_error(r, "InternalServerError", 500) == {"message": "custom words"}
    assert fep.raw("GET", "/networks").status_code == 200


def test_a_seeded_probability_repeats_the_same_faults(fep):
    plan = {"seed": 20261128, "rules": [{"operation": "ListNetworks", "error": "RateLimitError",
                                         "probability": 0.5}]}
    runs = []
    for _ in range(2):
        assert put_faults(fep, plan)["seed"] == 20261128
        runs.append([fep.raw("GET", "/networks").status_code for _ in range(30)])
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 429}, runs[0]


def test_latency_delays_the_answer(fep):
    put_faults(fep, {"rules": [{"operation": "ListNetworks", "latencyMs": 600, "count": 1}]})
    start = time.monotonic()
    assert fep.raw("GET", "/networks").status_code == 200
    assert time.monotonic() - start >= 0.6
    start = time.monotonic()
    assert fep.raw("GET", "/networks").status_code == 200
    assert time.monotonic() - start < 0.6


def test_the_faults_endpoint_reads_replaces_adds_and_clears(fep):
    plan = put_faults(fep, {"seed": 3, "rules": [{"id": "a", "operation": "*", "accountId": "000000000000",
                                                  "latencyMs": 1, "count": 4}]})
    assert plan == {"seed": 3, "rules": [{"id": "a", "operation": "*", "accountId": "000000000000",
                                          "latencyMs": 1, "phase": "before", "count": 4, "owner": "operator",
                                          "remaining": 4, "matched": 0, "fired": 0}]}
    fep.raw("GET", "/networks")
    r = fep.raw("POST", "/_local/faults", {"rules": [{"operation": "GetUser", "error": "RateLimitError",
                                                       "probability": 0.1}]})
    assert r.status_code == 200, r.text
    rules = r.json()["rules"]
    assert [x["id"] for x in rules] == ["a", "rule-2"]
    assert (rules[0]["remaining"], rules[0]["fired"]) == (3, 1), "adding keeps the counts"
    wl.assert_validation(fep.raw("POST", "/_local/faults", {"rules": [{"id": "a", "operation": "*",
                                                                       "latencyMs": 1}]}), "rules[0].id")
    wl.assert_validation(fep.raw("PUT", "/_local/faults", {"rules": [{"operation": "ListUser",
                                                                      "error": "RateLimitError"}]}),
                         "rules[0].operation")
    wl.assert_validation(fep.raw("PUT", "/_local/faults", {"rules": [{"operation": "*", "latencyMs": 20001}]}),
                         "rules[0].latencyMs")
    wl.assert_validation(fep.raw("PUT", "/_local/faults", {"rules": [{"operation": "*", "error": "RateLimitError",
                                                                      "probabilty": 0.5}]}), "rules[0].probabilty")
    wl.assert_error(fep.raw("GET", "/_local/faults", sign=False), "MissingAuthenticationTokenException", 403)
    assert len(rules_now(fep)) == 2, "a refused change leaves the plan as it was"
    r = fep.raw("DELETE", "/_local/faults")
    assert r.status_code == 200 and r.json()["rules"] == []


def test_faults_never_touch_local_operations_or_health(fep):
    put_faults(fep, {"rules": [{"operation": "*", "error": "InternalServerError"}]})
    assert fep.raw("GET", "/networks").status_code == 500
    assert fep.raw("GET", "/_local/health", sign=False).status_code == 200
    assert fep.raw("GET", "/_local/faults").status_code == 200
    wl.assert_error(fep.raw("GET", "/networks", sign=False), "MissingAuthenticationTokenException", 403)


# --------------------------------------------------------------------------------------------
# Rules belong to an owner: an account's act on its own calls only; the operator's where they say
# --------------------------------------------------------------------------------------------

A_KEY, A_SECRET, A_ID = wl.ACCOUNT_A
B_KEY, B_SECRET, B_ID = wl.ACCOUNT_B
OPERATOR = ("AKIAWLOPERATOR000003", "secretOp-123", "999999999999")


class Caller:
    """One credential of the owners' server: raw signed calls and a boto3 client."""

    def __init__(self, ep, key, secret):
        self.ep, self.key, self.secret = ep, key, secret

    def raw(self, method, path, body=None):
        return self.ep.raw(method, path, body, access_key=self.key, secret_key=self.secret)

    def faults(self, method="GET", body=None):
        r = self.raw(method, "/_local/faults", body)
        assert r.status_code == 200, r.text
        return r.json()

    def owned(self):
        return [f"{rule['id']}/{rule.get('owner')}" for rule in self.faults()["rules"]]

    def list_status(self):
        return self.raw("GET", "/networks").status_code


@pytest.fixture(scope="module")
def owners(server_factory):
    """A server with two ordinary accounts, A and B, and an operator of a third."""
    ep = server_factory("--in-memory", "--credential", ":".join(wl.ACCOUNT_A), "--credential",
                        ":".join(wl.ACCOUNT_B), "--credential", ":".join(OPERATOR) + ":operator",
                        name="fault-owners").endpoint()
    callers = {"a": Caller(ep, A_KEY, A_SECRET), "b": Caller(ep, B_KEY, B_SECRET),
               "op": Caller(ep, OPERATOR[0], OPERATOR[1])}
    return callers


@pytest.fixture
def clean_owners(owners):
    """The owners' callers; every rule of every owner is removed after the test."""
    yield owners
    for c in owners.values():
        c.faults("DELETE")


@pytest.fixture
def a(clean_owners):
    return clean_owners["a"]


@pytest.fixture
def b(clean_owners):
    return clean_owners["b"]


@pytest.fixture
def op(clean_owners):
    return clean_owners["op"]


def test_an_account_cannot_fault_slow_or_see_another(a, b, op):
    down = b.faults("PUT", {"rules": [{"id": "down", "operation": "*", "error": "InternalServerError"}]})
    assert [(r["accountId"], r["owner"]) for r in down["rules"]] == [(B_ID, B_ID)], "scoped to B"
    assert b.list_status() == 500
    assert a.list_status() == 200 and op.list_status() == 200
    assert a.owned() == [] and B_ID not in a.raw("GET", "/_local/faults").text

    aimed = {"rules": [{"operation": "*", "accountId": A_ID, "error": "InternalServerError"}]}
    for method in ("PUT", "POST"):
        wl.assert_error(b.raw(method, "/_local/faults", aimed), "ForbiddenError", 403,
                        mentions=["operator role", "rules[0].accountId"])
    assert a.list_status() == 200
    assert b.owned() == ["down/" + B_ID], "a refused change leaves B's rules as they were"

    # B's latency on every operation: A is answered while B's call still waits.
    b.faults("PUT", {"rules": [{"id": "slow", "operation": "*", "latencyMs": 5000, "count": 1}]})
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        slow = pool.submit(b.list_status)
        deadline = time.monotonic() + 20
        while b.faults()["rules"][0]["fired"] == 0:
            assert time.monotonic() < deadline, "B's call never reached the server"
            time.sleep(0.05)
        assert a.list_status() == 200
        assert not slow.done(), "A did not wait for B's latency"
        assert slow.result(timeout=60) == 200


def test_one_accounts_put_and_delete_leave_the_other_accounts_and_the_operators_rules(a, b, op):
    op.faults("PUT", {"rules": [{"id": "server", "operation": "GetNetwork", "error": "RateLimitError"}]})
    a.faults("PUT", {"rules": [{"id": "a-down", "operation": "ListNetworks", "error": "InternalServerError"}]})
    b.faults("PUT", {"rules": [{"id": "b-slow", "operation": "ListNetworks", "latencyMs": 1}]})
    cleared = b.faults("DELETE")["rules"]
    assert [f"{r['id']}/{r['owner']}" for r in cleared] == ["server/operator"], \
        "B still sees the operator's rule for every account, and nothing of A's"
    b.faults("PUT", {"rules": []})
    assert a.list_status() == 500, "A's rule still acts"
    wl.assert_error(a.raw("GET", "/networks/12345678"), "RateLimitError", 429)
    assert a.owned() == ["server/operator", "a-down/" + A_ID]
    assert [f"{r['id']}/{r['owner']}" for r in op.faults()["rules"]] == ["server/operator", "a-down/" + A_ID]
    op.faults("DELETE")
    assert a.owned() == ["a-down/" + A_ID], "the operator's DELETE clears the server's plan only"


def test_the_operator_can_target_one_account(a, b, op):
    plan = op.faults("PUT", {"seed": 5, "rules": [
        {"id": "for-a", "operation": "ListNetworks", "accountId": A_ID, "error": "InternalServerError",
         "count": 2}]})
    assert plan["seed"] == 5 and plan["rules"][0]["owner"] == "operator"
    client_a = a.ep.client(access_key=A_KEY, secret_key=A_SECRET)
    client_b = b.ep.client(access_key=B_KEY, secret_key=B_SECRET)
    with wl.expect_error(client_a, "InternalServerError", mentions="rule 'for-a'"):
        client_a.list_networks()
    client_b.list_networks()
    seen = a.faults()["rules"]
    assert [(r["id"], r["owner"], r["fired"], r["remaining"]) for r in seen] == [("for-a", "operator", 1, 1)]
    assert b.owned() == [] and A_ID not in b.raw("GET", "/_local/faults").text
    b.faults("DELETE")
    assert a.list_status() == 500, "B's DELETE does not touch the operator's rules"
    assert a.list_status() == 200, "count 2, exactly"


def test_an_accounts_seeded_draws_repeat_whatever_another_account_calls(a, b):
    plan = {"seed": 20261128, "rules": [{"operation": "ListNetworks", "error": "RateLimitError", "probability": 0.5}]}
    assert a.faults("PUT", plan)["seed"] == 20261128
    alone = [a.list_status() for _ in range(30)]
    assert set(alone) == {200, 429}, alone
    a.faults("PUT", plan)
    b.faults("PUT", {**plan, "seed": 7})
    interleaved = []
    for _ in range(30):
        interleaved.append(a.list_status())
        b.list_status()
        b.list_status()
    assert interleaved == alone


def test_a_faults_file_rule_for_one_account_acts_on_it_only(server_factory, tmp_path):
    plan = tmp_path / "for-a.json"
    plan.write_text(json.dumps({"rules": [{"id": "file", "operation": "ListNetworks", "accountId": A_ID,
                                           "error": "RateLimitError"}]}))
    ep = server_factory("--in-memory", "--credential", ":".join(wl.ACCOUNT_A), "--credential",
                        ":".join(wl.ACCOUNT_B), "--faults", str(plan), name="faults-for-a").endpoint()
    fa, fb = Caller(ep, A_KEY, A_SECRET), Caller(ep, B_KEY, B_SECRET)
    assert fa.list_status() == 429
    assert fb.list_status() == 200
    assert fa.owned() == ["file/operator"]
    assert fb.owned() == [] and A_ID not in fb.raw("GET", "/_local/faults").text
    fb.faults("DELETE")
    assert fa.list_status() == 429, "B cannot clear the start-up plan"


# --------------------------------------------------------------------------------------------
# A plan given at start-up, and throttling
# --------------------------------------------------------------------------------------------

def test_the_example_plan_file_is_in_the_readme_and_in_force_from_the_start(server_factory):
    example = wl.REPO_ROOT / "examples" / "faults.yaml"
    assert example.read_text().strip() in (wl.REPO_ROOT / "docs" / "faults.md").read_text()
    ep = server_factory("--in-memory", "--faults", str(example), name="faults-file").endpoint()
    status = rules_now_raw(ep)
    assert status["seed"] == 42
    assert [r["id"] for r in status["rules"]] == ["lost-answers", "busy-lists", "slow-account"]
    net, ids = users_of_a_new_network(ep, 2)
    start = time.monotonic()
    result = retrying_client(ep, "standard").batch_toggle_user_suspend_status(networkId=net, suspend=True,
                                                                             userIds=ids)
    assert time.monotonic() - start >= 0.15, "three attempts of at least 50 ms each"
    assert result["ResponseMetadata"]["RetryAttempts"] == 2
    assert suspended(ep, net, ids) == {uid: True for uid in ids}
    rules = rules_now(ep)
    assert rules["lost-answers"]["fired"] == 2 and rules["lost-answers"]["remaining"] == 0
    assert rules["slow-account"]["fired"] >= 3


def test_the_python_example_runs_as_written_and_is_in_the_readme(fep, tmp_path):
    example = wl.REPO_ROOT / "examples" / "faults.py"
    body = example.read_text().split('"""', 2)[2].strip()  # docs/faults.md leaves out the docstring
    assert body in (wl.REPO_ROOT / "docs" / "faults.md").read_text()
    r = subprocess.run([sys.executable, str(example)], env={**os.environ, "ENDPOINT": fep.url}, cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "success after 2 retries\n3 of 3 users are suspended\n" in r.stdout, r.stdout
    assert "'remaining': 0, 'matched': 2, 'fired': 2}" in r.stdout, r.stdout
    assert rules_now(fep) == {}, "the example clears its rules"


def test_a_broken_plan_file_stops_the_start_naming_line_and_field(tmp_path):
    plan = tmp_path / "faults.json"
    plan.write_text('{\n  "rules": [\n    {"operation": "BatchToggleUserSuspendStatus",\n'
                    '     "error": "InternalServerError", "phase": "afterwards"}\n  ]\n}\n')
    p = subprocess.run([wl.java_cmd(), "-jar", str(wl.jar_path()), "--in-memory", "--port", "0",
                        "--faults", str(plan)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2, p
    assert f"{plan}: line 4: rules[0].phase must be before" in p.stderr, p.stderr
    plan.write_text('{"rules": [{"operation": "BatchToggleUserSuspendStatu", "latencyMs": 5}]}')
    p = subprocess.run([wl.java_cmd(), "-jar", str(wl.jar_path()), "--in-memory", "--port", "0",
                        "--faults", str(plan)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2, p
    assert "rules[0].operation 'BatchToggleUserSuspendStatu' is not an operation" in p.stderr, p.stderr
    assert "did you mean BatchToggleUserSuspendStatus?" in p.stderr, p.stderr


def test_throttling_per_account_and_operation(server_factory):
    ep = server_factory("--in-memory", "--throttle", "1:3", name="throttled").endpoint()
    c = ep.client()
    for _ in range(3):
        c.list_networks()
    with wl.expect_error(c, "RateLimitError", mentions=["Too many requests sent"]):
        c.list_networks()
    net = wl.new_network(c)         # another operation has its own bucket
    c.get_network(networkId=net)
    status = rules_now_raw(ep)
    assert status["throttle"] == {"ratePerSecond": 1.0, "burst": 3}
    time.sleep(1.1)                 # one token back at one a second
    c.list_networks()
    # The legacy retry mode waits and tries again, so a throttled script gets through.
    retrying_client(ep, "legacy").list_networks()


def rules_now_raw(ep):
    r = ep.raw("GET", "/_local/faults")
    assert r.status_code == 200, r.text
    return r.json()


# --------------------------------------------------------------------------------------------
# The AWS CLI
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def aws_cli(fep, tmp_path_factory):
    """The AWS CLI with its own defaults (no AWS_MAX_ATTEMPTS, no retry mode set)."""
    home = tmp_path_factory.mktemp("aws-cli-faults")
    (home / "config").write_text("")
    (home / "credentials").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_CONFIG_FILE": str(home / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
                "AWS_PAGER": "", "AWS_EC2_METADATA_DISABLED": "true", "HOME": str(home)})
    exe = shutil.which("aws")
    base = [exe] if exe else [sys.executable, "-m", "awscli"]

    def cmd(*args):
        return base + ["wickr", *args, "--endpoint-url", fep.url, "--region", wl.DEFAULT_REGION, "--output", "json"]

    def run(*args):
        return subprocess.run(cmd(*args), env=env, capture_output=True, text=True, timeout=120)

    run.cmd, run.env = cmd, env
    return run


def test_cli_retries_through_a_429_storm_shorter_than_its_attempts(fep, aws_cli):
    net, ids = users_of_a_new_network(fep, 3)
    put_faults(fep, {"rules": [{"id": "storm", "operation": TOGGLE, "error": "RateLimitError", "count": 3}]})
    p = aws_cli("batch-toggle-user-suspend-status", "--network-id", net, "--suspend", "--user-ids", *ids)
    assert p.returncode == 0, p.stderr
    assert sorted(u["userId"] for u in json.loads(p.stdout)["successful"]) == sorted(ids)
    assert rules_now(fep)["storm"]["fired"] == 3
    assert suspended(fep, net, ids) == {uid: True for uid in ids}


def test_cli_fails_clearly_when_the_storm_outlasts_its_retries(fep, aws_cli):
    net, ids = users_of_a_new_network(fep, 2)
    put_faults(fep, {"rules": [{"id": "long-storm", "operation": TOGGLE, "error": "RateLimitError", "count": 10}]})
    p = aws_cli("batch-toggle-user-suspend-status", "--network-id", net, "--suspend", "--user-ids", *ids)
    assert p.returncode != 0
    assert "An error occurred (RateLimitError) when calling the BatchToggleUserSuspendStatus operation" \
           " (reached max retries: 4): Rate exceeded" in p.stderr, p.stderr
    rule = rules_now(fep)["long-storm"]
    assert (rule["fired"], rule["remaining"]) == (5, 5), "the CLI made 5 attempts"
    assert suspended(fep, net, ids) == {uid: False for uid in ids}


def test_cli_retry_after_a_lost_answer_is_applied_once(fep, aws_cli):
    """The first answer is held back 1.5 s after the commit, then replaced by a 500; meanwhile
    another caller unsuspends a user. The CLI's retry (same token) must not suspend them again."""
    net, ids = users_of_a_new_network(fep, 3)
    put_faults(fep, {"rules": [
        # Counts every toggle that reaches the server (1 ms of latency, before the operation).
        {"id": "attempts", "operation": TOGGLE, "latencyMs": 1},
        {"id": "lost", "operation": TOGGLE, "error": "InternalServerError", "phase": "after",
         "latencyMs": 1500, "count": 1}]})
    cli = subprocess.Popen(aws_cli.cmd("batch-toggle-user-suspend-status", "--network-id", net, "--suspend",
                                       "--user-ids", *ids),
                           env=aws_cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while rules_now(fep)["lost"]["fired"] == 0:
            assert time.monotonic() < deadline, "the CLI's first attempt never reached the server"
            time.sleep(0.05)
        assert suspended(fep, net, ids) == {uid: True for uid in ids}, "committed before the answer"
        fep.client().batch_toggle_user_suspend_status(networkId=net, suspend=False, userIds=[ids[0]],
                                                      clientToken="someone-else-2")
        assert rules_now(fep)["attempts"]["fired"] == 2, "the CLI's retry must come after the other caller"
        out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
    assert cli.returncode == 0, err
    assert sorted(u["userId"] for u in json.loads(out)["successful"]) == sorted(ids)
    assert rules_now(fep)["attempts"]["fired"] == 3, "one retry by the CLI"
    state = suspended(fep, net, ids)
    assert state == {ids[0]: False, ids[1]: True, ids[2]: True}, state
