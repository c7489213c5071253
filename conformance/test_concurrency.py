"""Concurrency: many clients toggle overlapping sets of users, in both directions, on one server.

Each client thread has its own boto3 client (no automatic retries) and sends
BatchToggleUserSuspendStatus batches over random, overlapping windows of one network's users,
suspending or unsuspending at random; for each batch it records when it was sent and when its
answer arrived. A reader thread meanwhile checks that the counts and the default group's members
stay exact. At the end, per user (linearizability of the user's suspension flag):

- a batch B1 precedes B2 when B1 was acknowledged before B2 was sent; the batches touching a user
  that no other batch touching that user follows are its maximal batches;
- the user's final state is the `suspend` value of one of its maximal batches (when they all
  agree, exactly that value); a user no batch touched keeps its initial state.

GetUsersCount (total, pending, active) is unchanged by toggling, and ListSecurityGroupUsers of the
default group lists every user exactly once, during the load and after it.
"""
import math
import random
import threading
import time
import uuid

import botocore.exceptions
import pytest

import reliability_helpers as rh
import wlhelpers as wl

USERS = 100
ACTIVE = 20              # users signed in before the load (status 2); the rest stay pending
CLIENTS = 8
LOAD_SECONDS = 10
MAX_BATCHES_PER_CLIENT = 400
SEED = int(time.time() * 1000) % 1_000_000


# ---------------------------------------------------------------------------------------------
# The checker (pure; exercised on made-up histories below, so it is known to catch violations)
# ---------------------------------------------------------------------------------------------

def linearizability_violations(batches, final: dict, initial: dict) -> list:
    """batches: objects with .user_ids, .suspend, .start, .ack (None: never acknowledged, so it may
    have taken effect at any time after .start). Returns one message per user whose final state
    no linearization of the history explains."""
    by_user = {}
    for b in batches:
        for u in set(b.user_ids):
            by_user.setdefault(u, []).append(b)
    problems = []
    for u, state in final.items():
        touching = by_user.get(u, [])
        if not touching:
            if state != initial[u]:
                problems.append(f"user {u}: no batch touched it, yet it changed from {initial[u]} to {state}")
            continue
        # B is maximal unless some other batch was sent after B was acknowledged.
        latest_start = max(b.start for b in touching)
        maximal = [b for b in touching if (math.inf if b.ack is None else b.ack) >= latest_start]
        allowed = {b.suspend for b in maximal}
        if state not in allowed:
            last = max(maximal, key=lambda b: b.start)
            problems.append(
                f"user {u}: final suspended={state}, but every batch that could have been last set "
                f"{allowed.pop()} ({len(maximal)} maximal of {len(touching)} batches; e.g. {last.token} sent "
                f"at {last.start:.4f}, acknowledged at {last.ack})")
    return problems


class _B:
    def __init__(self, ids, suspend, start, ack, token="t"):
        self.user_ids, self.suspend, self.start, self.ack, self.token = ids, suspend, start, ack, token


def test_checker_catches_stale_and_reordered_writes():
    initial = {"1": False, "2": False, "3": False}
    history = [_B(["1", "2"], True, 0.0, 1.0), _B(["1"], False, 2.0, 3.0),      # sequential on 1
               _B(["2"], False, 0.5, 4.0), _B(["2"], True, 3.5, 5.0)]          # overlapping on 2
    # Correct outcomes: 1 ends False; 2 may end False or True (the last two overlap); 3 untouched.
    assert linearizability_violations(history, {"1": False, "2": True, "3": False}, initial) == []
    assert linearizability_violations(history, {"1": False, "2": False, "3": False}, initial) == []
    # A lost update (1 kept the earlier batch's value) and a phantom change of 3 are caught.
    bad = linearizability_violations(history, {"1": True, "2": True, "3": True}, initial)
    assert len(bad) == 2 and bad[0].startswith("user 1") and bad[1].startswith("user 3"), bad
    # A batch never acknowledged may have landed at any time after it was sent.
    unknown = history + [_B(["1"], True, 2.5, None)]
    assert linearizability_violations(unknown, {"1": True, "2": True, "3": False}, initial) == []


# ---------------------------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def conc_server(log_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("concurrency-data")
    srv = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="concurrency").start()
    yield srv
    srv.stop()


def _members(client, network_id, group_id):
    out = []
    pages = client.get_paginator("list_security_group_users").paginate(
        networkId=network_id, groupId=group_id, PaginationConfig={"PageSize": 17})
    for page in pages:
        out.extend(u["userId"] for u in page.get("users", []))
    return out


def _check_counts_and_members(client, network_id, group_id, expected_counts, all_ids, when):
    problems = []
    counts = client.get_users_count(networkId=network_id)
    got = {k: counts.get(k) for k in expected_counts}
    if got != expected_counts:
        problems.append(f"{when}: GetUsersCount {got}, expected {expected_counts}")
    members = _members(client, network_id, group_id)
    dupes = sorted({m for m in members if members.count(m) > 1})
    missing = sorted(set(all_ids) - set(members))
    extra = sorted(set(members) - set(all_ids))
    if dupes or missing or extra or len(members) != len(all_ids):
        problems.append(f"{when}: ListSecurityGroupUsers listed {len(members)} for {len(all_ids)} users; "
                        f"repeated {dupes[:5]}, missing {missing[:5]}, unknown {extra[:5]}")
    return problems


def test_overlapping_toggles_are_linearizable_per_user_and_counts_stay_exact(conc_server):
    rng = random.Random(SEED)
    print(f"\ntest_concurrency seed={SEED}")
    url = conc_server.url
    ep = conc_server.endpoint()
    admin = rh.new_client(url)
    network_id = wl.new_network(admin)
    group_id = wl.default_group_id(admin, network_id)
    created = wl.create_users(admin, network_id, USERS, group_id)
    ids = [u["userId"] for u in created]
    for u in created[:ACTIVE]:
        wl.sign_in_ok(ep, network_id, u["userId"], u["inviteCode"])
    initial = rh.suspended_states(admin, network_id)
    assert initial == {u: False for u in ids}
    expected_counts = {"total": USERS, "pending": USERS - ACTIVE, "active": ACTIVE}
    problems = _check_counts_and_members(admin, network_id, group_id, expected_counts, ids, "before the load")
    assert not problems, problems

    batches, errors, server_errors = [], [], []
    lock = threading.Lock()
    t0 = time.monotonic()
    deadline = t0 + LOAD_SECONDS
    done = threading.Event()

    def load(n):
        client = rh.new_client(url)
        r = random.Random(SEED * 1000 + n)
        for _ in range(MAX_BATCHES_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            size = r.randint(5, 50)
            first = r.randrange(USERS)
            window = [ids[(first + k) % USERS] for k in range(size)]   # wraps: windows overlap
            b = rh.Batch(n, r.random() < 0.5, tuple(window), f"conc-{n}-{uuid.uuid4().hex}", time.monotonic())
            try:
                for attempt in range(1, 7):
                    try:
                        answer = client.batch_toggle_user_suspend_status(
                            networkId=network_id, suspend=b.suspend, userIds=list(window), clientToken=b.token)
                        break
                    except botocore.exceptions.ClientError as e:
                        status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                        if status < 500 or attempt == 6:
                            raise
                        with lock:
                            server_errors.append(f"client {n}, batch {b.token}: {status} {e.response['Error']}")
            except Exception as e:  # noqa: BLE001 - the batch's outcome is unknown; reported below
                b.error = repr(e)
                with lock:
                    batches.append(b)
                    errors.append(f"client {n}, batch {b.token}: {e!r}")
                return
            b.ack = time.monotonic()
            b.answer = wl.strip_meta(answer)
            ok = sorted(x["userId"] for x in b.answer.get("successful", []))
            with lock:
                batches.append(b)
                if ok != sorted(window) or b.answer.get("failed"):
                    errors.append(f"client {n}, batch {b.token}: not every user succeeded: {b.answer}")

    reader_problems = []
    reads = [0]

    def reader():
        client = rh.new_client(url)
        while not done.is_set() and time.monotonic() < deadline + 5:
            reader_problems.extend(_check_counts_and_members(client, network_id, group_id, expected_counts, ids,
                                                             f"during the load (read {reads[0]})"))
            reads[0] += 1
            done.wait(0.05)

    threads = [threading.Thread(target=load, args=(n,), name=f"conc-{n}", daemon=True) for n in range(CLIENTS)]
    watcher = threading.Thread(target=reader, name="conc-reader", daemon=True)
    for t in threads + [watcher]:
        t.start()
    for t in threads:
        t.join(timeout=LOAD_SECONDS + 60)
    done.set()
    watcher.join(timeout=30)
    elapsed = time.monotonic() - t0
    assert not any(t.is_alive() for t in threads + [watcher]), "a client hung"

    final = rh.suspended_states(admin, network_id)
    assert sorted(final) == sorted(ids), "users appeared or disappeared"
    acked = [b for b in batches if b.ack is not None]
    lat = sorted(b.ack - b.start for b in acked)
    print(f"test_concurrency: {len(acked)} batches acknowledged by {CLIENTS} clients in {elapsed:.1f}s "
          f"(latency median {lat[len(lat) // 2] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms), "
          f"{reads[0]} concurrent reads, {len(server_errors)} answered 5xx first, "
          f"{sum(final.values())} of {USERS} users suspended at the end")

    assert not errors, errors[:5]
    assert len(acked) >= CLIENTS * 5, f"only {len(acked)} batches got through in {LOAD_SECONDS}s"
    overlapping = any(a is not b and a.start < b.start < a.ack and set(a.user_ids) & set(b.user_ids)
                      for a in acked for b in acked)
    assert overlapping, "no two batches on common users ever overlapped in time: the test proved nothing"

    violations = linearizability_violations(batches, final, initial)
    assert not violations, f"{len(violations)} users end in a state no order of the batches explains: " \
                           f"{violations[:5]}"
    # GetUser agrees with ListUsers for every user.
    for u in ids:
        assert admin.get_user(networkId=network_id, userId=u)["suspended"] == final[u], u

    assert not reader_problems, reader_problems[:5]
    problems = _check_counts_and_members(admin, network_id, group_id, expected_counts, ids, "after the load")
    assert not problems, problems
    assert not server_errors, \
        f"{len(server_errors)} well-formed toggle batches were answered with a 5xx " \
        f"(each succeeded when retried with its token): {server_errors[:3]}"
