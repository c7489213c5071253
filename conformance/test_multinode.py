"""Several Wickr Local processes on one PostgreSQL database serve one consistent state, and a
node killed with SIGKILL in the middle of a batch leaves nothing half done.

Runs in the PostgreSQL pass of the suite (WICKR_STORE=postgresql); the embedded store is one
process by design.
"""
import random
import threading
import time
import uuid

import botocore.exceptions
import pytest
import requests

import wlhelpers as wl

pytestmark = pytest.mark.skipif(wl.STORE != "postgresql",
                                reason="several nodes share one store only on PostgreSQL (runs in that pass)")


@pytest.fixture
def nodes(log_dir):
    url = wl.POSTGRES.new_database()
    started = [wl.ServerProcess(log_dir, ["--database", url], name=f"node{i}").start() for i in range(2)]
    yield started
    for n in started:
        n.stop()


def _states(client, network_id, user_ids):
    return {u: client.get_user(networkId=network_id, userId=u)["suspended"] for u in user_ids}


def test_two_nodes_serve_one_state(nodes):
    a, b = (n.endpoint().client() for n in nodes)
    network_id = wl.new_network(a)
    assert b.get_network(networkId=network_id)["networkId"] == network_id
    users = wl.create_users(b, network_id, 3)
    ids = [u["userId"] for u in users]
    assert sorted(u["userId"] for u in wl.all_users(a, network_id)) == sorted(ids)
    b.batch_toggle_user_suspend_status(networkId=network_id, suspend=True, userIds=ids)
    assert all(_states(a, network_id, ids).values())


def test_concurrent_batches_on_two_nodes_do_not_interleave(nodes):
    clients = [n.endpoint().client() for n in nodes]
    network_id = wl.new_network(clients[0])
    ids = [u["userId"] for u in wl.create_users(clients[0], network_id, 50)]
    errors = []

    def hammer(client, seed):
        rng = random.Random(seed)
        try:
            for _ in range(20):
                client.batch_toggle_user_suspend_status(networkId=network_id, suspend=rng.random() < 0.5,
                                                        userIds=ids)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=hammer, args=(clients[i % 2], i)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    # Every batch wrote all 50 users in one transaction: they cannot disagree.
    assert len(set(_states(clients[1], network_id, ids).values())) == 1


def test_a_node_killed_mid_batch_leaves_no_partial_batch(nodes):
    doomed, survivor = nodes
    a = doomed.endpoint().client()
    b = survivor.endpoint().client()
    network_id = wl.new_network(a)
    ids = [u["userId"] for u in wl.create_users(a, network_id, 50)]

    acknowledged = []          # (token, suspend, response) in the order the client saw them
    in_flight = {}
    stop = threading.Event()

    def load():
        suspend = True
        while not stop.is_set():
            token = uuid.uuid4().hex
            in_flight.update(token=token, suspend=suspend)
            try:
                r = a.batch_toggle_user_suspend_status(networkId=network_id, suspend=suspend, userIds=ids,
                                                       clientToken=token)
            except (botocore.exceptions.BotoCoreError, requests.RequestException, ConnectionError):
                return
            r.pop("ResponseMetadata")
            acknowledged.append((token, suspend, r))
            suspend = not suspend

    worker = threading.Thread(target=load)
    worker.start()
    time.sleep(random.uniform(0.8, 1.6))
    doomed.kill()                      # SIGKILL: no shutdown hook, no goodbye
    stop.set()
    worker.join(timeout=30)
    assert acknowledged, "the load never got an answer before the kill"

    # No half-applied batch: all 50 users share one state, the last acknowledged one or the one
    # that was in flight when the node died.
    states = set(_states(b, network_id, ids).values())
    assert len(states) == 1
    last_token, last_suspend, last_answer = acknowledged[-1]
    assert states <= {last_suspend, in_flight["suspend"]}

    # The client's retry of the interrupted call, with its token, on the surviving node: it is
    # applied exactly once, whatever the dead node managed to commit.
    retried = b.batch_toggle_user_suspend_status(networkId=network_id, suspend=in_flight["suspend"],
                                                 userIds=ids, clientToken=in_flight["token"])
    assert len(retried["successful"]) == 50
    assert set(_states(b, network_id, ids).values()) == {in_flight["suspend"]}

    # A repeat of an acknowledged call returns its first answer and changes nothing.
    again = b.batch_toggle_user_suspend_status(networkId=network_id, suspend=last_suspend, userIds=ids,
                                               clientToken=last_token)
    again.pop("ResponseMetadata")
    assert again == last_answer
    assert set(_states(b, network_id, ids).values()) == {in_flight["suspend"]}

    # The survivor keeps serving, and the dead node comes back on the same database.
    assert b.get_users_count(networkId=network_id)["total"] == 50
    doomed.start()
    assert doomed.endpoint().client().get_users_count(networkId=network_id)["total"] == 50
