"""Lost answers: the server carries out the next two suspension batches but answers them with a 500;
boto3 retries with the same client token and gets the first answer, and the users are suspended once.
Expects a server on $ENDPOINT (default http://127.0.0.1:8484) with the default credentials."""
import json
import os

import boto3
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config

ENDPOINT = os.environ.get("ENDPOINT", "http://127.0.0.1:8484")
session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")


def local(method, path, body=None):
    """Calls one of Wickr Local's own /_local operations, signed like the API."""
    request = AWSRequest(method=method, url=ENDPOINT + path, data=json.dumps(body) if body else None,
                         headers={"Content-Type": "application/json"})
    SigV4Auth(session.get_credentials(), "wickr", session.region_name).add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, data=prepared.body, headers=dict(prepared.headers)).json()


local("PUT", "/_local/faults", {"rules": [{"id": "lost-answers", "operation": "BatchToggleUserSuspendStatus",
                                           "error": "InternalServerError", "phase": "after", "count": 2}]})

wickr = session.client("wickr", endpoint_url=ENDPOINT, config=Config(retries={"mode": "standard"}))
network_id = wickr.create_network(networkName="Lost answers", accessLevel="STANDARD")["networkId"]
group = wickr.list_security_groups(networkId=network_id)["securityGroups"][0]["id"]
users = wickr.batch_create_user(networkId=network_id, users=[
    {"username": f"user{i}@example.com", "securityGroupIds": [group]} for i in range(3)])["successful"]
ids = [user["userId"] for user in users]

result = wickr.batch_toggle_user_suspend_status(networkId=network_id, suspend=True, userIds=ids)
print(result["message"], "after", result["ResponseMetadata"]["RetryAttempts"], "retries")
suspended = sum(wickr.get_user(networkId=network_id, userId=i)["suspended"] for i in ids)
print(f"{suspended} of {len(ids)} users are suspended")
print(local("GET", "/_local/faults")["rules"][0])
local("DELETE", "/_local/faults")
