"""Crash safety: kill -9 under sustained suspension load, three times, restarting on the same data.

Several client threads, each with its own boto3 client (no automatic retries) and its own set of
50 users, keep sending BatchToggleUserSuspendStatus, alternating suspend and unsuspend, each call
with its own client token. The server (a `--data-dir` store: the SQLite file, or in the PostgreSQL
pass one database kept across restarts) is killed with SIGKILL at a random moment, then started
again on the same data. After every restart:

- every batch a client saw acknowledged is there, and no batch is partly applied: the 50 users of
  a set share one state, the one of the set's last acknowledged batch or of the batch that was in
  flight at the kill;
- the in-flight call, sent again with its client token, succeeds for all 50 users and is applied
  exactly once (a second copy returns the same answer and changes nothing);
- the last acknowledged call, sent again with its token, returns its first answer byte for byte
  (same body) and changes nothing; so does the very first acknowledged call of the whole test.
"""
import random
import threading
import time
import uuid

import botocore.exceptions
import pytest
import requests

import reliability_helpers as rh
import wlhelpers as wl

SETS = 4                 # client threads, one set of 50 users each
SET_SIZE = 50
KILLS = 3
ROUND_MAX_SECONDS = 8    # a round's load never runs longer than this
SEED = int(time.time() * 1000) % 1_000_000


@pytest.fixture(scope="module")
def crash_server(log_dir, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("crash-data")
    srv = wl.ServerProcess(log_dir, ["--data-dir", str(data_dir)], name="crash").start()
    yield srv
    srv.stop()


class _SetState:
    """What one client knows about its set of users."""

    def __init__(self, index, user_ids):
        self.index = index
        self.user_ids = list(user_ids)
        self.state = False          # users start unsuspended
        self.last_ack = None        # (token, suspend, answer) of the last acknowledged call
        self.first_ack = None
        self.in_flight = None       # (token, suspend) of the call sent and not (yet) answered
        self.acks_this_round = 0
        self.acks_total = 0
        self.errors = []
        self.server_errors = []

    def token(self, round_no, n):
        return f"crash-{round_no}-{self.index}-{n}-{uuid.uuid4().hex[:16]}"


def _toggle(client, network_id, user_ids, suspend, token):
    r = client.batch_toggle_user_suspend_status(networkId=network_id, suspend=suspend, userIds=user_ids,
                                                clientToken=token)
    return wl.strip_meta(r)


def _assert_full_success(answer, user_ids, what):
    ok = sorted(u["userId"] for u in answer.get("successful", []))
    assert ok == sorted(user_ids) and not answer.get("failed"), f"{what}: not every user succeeded: {answer}"


def _load(url, network_id, st: _SetState, round_no, killed: threading.Event, stop: threading.Event):
    client = rh.new_client(url)
    n = 0
    while not stop.is_set():
        n += 1
        suspend = not st.state
        token = st.token(round_no, n)
        st.in_flight = (token, suspend)
        try:
            for attempt in range(1, 7):
                try:
                    answer = _toggle(client, network_id, st.user_ids, suspend, token)
                    break
                except botocore.exceptions.ClientError as e:
                    status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                    if status < 500 or attempt == 6:
                        raise
                    # A 5xx is a server bug for this well-formed call (reported at the end of the
                    # test); the call is retried with its token, as an AWS client would, so the crash
                    # checks still run.
                    st.server_errors.append(f"set {st.index}, call {token}: {status} {e.response['Error']}")
        except botocore.exceptions.ClientError as e:
            st.errors.append(f"set {st.index}: error answer while the server was up: {e.response}")
            return
        except (botocore.exceptions.BotoCoreError, requests.RequestException, OSError) as e:
            if not killed.is_set():
                # Give the kill a moment to be recorded: the error may be its first symptom.
                if not killed.wait(2.0):
                    st.errors.append(f"set {st.index}: transport error before any kill: {e!r}")
            return
        try:
            _assert_full_success(answer, st.user_ids, f"set {st.index} batch {token}")
        except AssertionError as e:
            st.errors.append(str(e))
            return
        st.last_ack = (token, suspend, answer)
        if st.first_ack is None:
            st.first_ack = st.last_ack
        st.state = suspend
        st.in_flight = None
        st.acks_this_round += 1
        st.acks_total += 1


def _set_states(client, network_id, sets):
    states = rh.suspended_states(client, network_id)
    out = {}
    for st in sets:
        missing = [u for u in st.user_ids if u not in states]
        assert not missing, f"set {st.index}: users lost after the restart: {missing[:5]}"
        out[st.index] = {u: states[u] for u in st.user_ids}
    return out


def test_kill_9_under_toggle_load_loses_nothing_and_applies_nothing_twice(crash_server):
    rng = random.Random(SEED)
    print(f"\ntest_crash seed={SEED}")
    started = time.monotonic()
    client = crash_server.endpoint().client()
    network_id = wl.new_network(client)
    users = [u["userId"] for u in wl.create_users(client, network_id, SETS * SET_SIZE)]
    sets = [_SetState(i, users[i * SET_SIZE:(i + 1) * SET_SIZE]) for i in range(SETS)]

    for round_no in range(1, KILLS + 1):
        url = crash_server.url
        killed, stop = threading.Event(), threading.Event()
        for st in sets:
            st.acks_this_round = 0
        workers = [threading.Thread(target=_load, args=(url, network_id, st, round_no, killed, stop),
                                    name=f"crash-load-{st.index}", daemon=True) for st in sets]
        for w in workers:
            w.start()
        # Let every client get some batches through, then kill at a random moment.
        deadline = time.monotonic() + ROUND_MAX_SECONDS
        while time.monotonic() < deadline and any(st.acks_this_round < 2 for st in sets):
            if any(st.errors for st in sets):
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.7))
        crash_server.kill()                       # SIGKILL: no shutdown hook, nothing flushed
        killed.set()
        stop.set()
        for w in workers:
            w.join(timeout=40)
        assert not any(w.is_alive() for w in workers), "a load thread hung after the kill"
        errors = [e for st in sets for e in st.errors]
        assert not errors, errors
        assert all(st.acks_this_round >= 1 for st in sets), \
            f"round {round_no}: some client got no batch acknowledged before the kill " \
            f"{[st.acks_this_round for st in sets]}"
        print(f"round {round_no}: acknowledged {[st.acks_this_round for st in sets]}, "
              f"in flight at the kill: {[bool(st.in_flight) for st in sets]}")

        crash_server.start()                      # same data, new port
        client = rh.new_client(crash_server.url)
        assert client.get_users_count(networkId=network_id)["total"] == SETS * SET_SIZE

        # 1. Every acknowledged batch is there, none is partly applied.
        after_restart = _set_states(client, network_id, sets)
        for st in sets:
            values = set(after_restart[st.index].values())
            assert len(values) == 1, \
                f"round {round_no}, set {st.index}: a batch is partly applied: " \
                f"{sum(values_ for values_ in after_restart[st.index].values())} of {SET_SIZE} suspended"
            allowed = {st.state} | ({st.in_flight[1]} if st.in_flight else set())
            assert values <= allowed, \
                f"round {round_no}, set {st.index}: users are suspended={values.pop()}, but the last " \
                f"acknowledged batch set {st.state} and the one in flight {st.in_flight}"

        # 2. The in-flight call, retried with its token, is applied exactly once.
        for st in sets:
            if st.in_flight is None:
                continue
            token, suspend = st.in_flight
            first = _toggle(client, network_id, st.user_ids, suspend, token)
            _assert_full_success(first, st.user_ids, f"round {round_no}, set {st.index}: retried in-flight call")
            again = _toggle(client, network_id, st.user_ids, suspend, token)
            assert again == first, f"a repeat of the in-flight token answered differently:\n{first}\n{again}"
            st.last_ack = (token, suspend, first)
            st.state = suspend
            st.in_flight = None

        # 3. The last acknowledged call, retried with its token, returns its first answer and
        #    changes nothing (its suspend value is the opposite of the current state whenever a
        #    call was in flight, so running it again would show).
        for st in sets:
            token, suspend, answer = st.last_ack
            again = _toggle(client, network_id, st.user_ids, suspend, token)
            assert again == answer, \
                f"round {round_no}, set {st.index}: the acknowledged call {token} answered differently " \
                f"after the restart:\nfirst: {answer}\nnow:   {again}"
            token, suspend, answer = st.first_ack
            again = _toggle(client, network_id, st.user_ids, suspend, token)
            assert again == answer, f"the first acknowledged call {token} answered differently: {again}"

        final = _set_states(client, network_id, sets)
        for st in sets:
            assert set(final[st.index].values()) == {st.state}, \
                f"round {round_no}, set {st.index}: retries changed the state: expected all {st.state}, " \
                f"got {sorted(final[st.index].values())}"
        assert client.get_users_count(networkId=network_id)["total"] == SETS * SET_SIZE

    elapsed = time.monotonic() - started
    server_errors = [e for st in sets for e in st.server_errors]
    print(f"test_crash: {sum(st.acks_total for st in sets)} batches acknowledged over {KILLS} kills "
          f"in {elapsed:.1f}s, {len(server_errors)} answered 5xx first")
    assert not server_errors, \
        f"{len(server_errors)} well-formed toggle calls were answered with a 5xx under load " \
        f"(each succeeded when retried with its token): {server_errors[:3]}"
    assert elapsed < 120, f"the crash test took {elapsed:.0f}s"
