"""The audit trail with boto3: suspend three users, then read who changed what.

The /_local endpoints are not in the AWS model, so they are called with botocore's SigV4 signer directly.
"""
import json
import os
import sys
import urllib.request
from urllib.parse import urlencode

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ENDPOINT = os.environ.get("ENDPOINT", "http://127.0.0.1:8484")
wickr = boto3.client("wickr", endpoint_url=ENDPOINT, region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test")


def local_get(path, **query):
    """A SigV4-signed GET of a /_local endpoint; returns the body as text."""
    request = AWSRequest("GET", ENDPOINT + path + ("?" + urlencode(query) if query else ""))
    SigV4Auth(Credentials("test", "test"), "wickr", "us-east-1").add_auth(request)
    prepared = request.prepare()
    with urllib.request.urlopen(urllib.request.Request(prepared.url, headers=dict(prepared.headers))) as answer:
        return answer.read().decode()


network_id = wickr.create_network(networkName="Audit demo", accessLevel="STANDARD")["networkId"]
groups = wickr.list_security_groups(networkId=network_id)["securityGroups"]
group = next(g["id"] for g in groups if g["isDefault"])
users = wickr.batch_create_user(networkId=network_id, users=[
    {"username": f"user{i}@example.com", "securityGroupIds": [group]} for i in range(3)])["successful"]
ids = [u["userId"] for u in users]
wickr.batch_toggle_user_suspend_status(networkId=network_id, suspend=True, userIds=ids[:1])
answer = wickr.batch_toggle_user_suspend_status(networkId=network_id, suspend=True, userIds=ids)
request_id = answer["ResponseMetadata"]["RequestId"]

# One event per user of that call, with the state before and after.
trail = json.loads(local_get("/_local/audit", networkId=network_id, operation="BatchToggleUserSuspendStatus"))
for event in trail["events"]:
    if event["requestId"] == request_id:
        print(event["time"], event["userId"], event["oldState"], "->", event["newState"],
              "changed" if event["changed"] else "unchanged")

# Everything that happened in the network, as JSON lines (one event per line), into the file named
# on the command line (python3 examples/audit.py trail.jsonl); without one, nothing is written.
if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as out:
        out.write(local_get("/_local/audit/export", networkId=network_id))
