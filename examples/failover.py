"""Toggle 50 users back and forth through a load balancer for a while, then check that every
acknowledged batch is there in full. Kill a node while it runs to see a failover.

    python3 examples/failover.py [seconds]      (ENDPOINT defaults to http://127.0.0.1:8484)
"""
import os
import sys
import time

import boto3
from botocore.config import Config

wickr = boto3.client(
    "wickr",
    endpoint_url=os.environ.get("ENDPOINT", "http://127.0.0.1:8484"),
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    # The standard retry mode resends a failed call with the same client token.
    config=Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=2, read_timeout=10),
)
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10

network_id = wickr.create_network(networkName="Failover", accessLevel="STANDARD")["networkId"]
group = wickr.list_security_groups(networkId=network_id)["securityGroups"][0]["id"]
users = wickr.batch_create_user(
    networkId=network_id,
    users=[{"username": f"u{i}@example.com", "securityGroupIds": [group]} for i in range(50)],
)["successful"]
ids = [u["userId"] for u in users]

acknowledged, retried, suspend = 0, 0, True
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    answer = wickr.batch_toggle_user_suspend_status(networkId=network_id, suspend=suspend, userIds=ids)
    assert len(answer["successful"]) == 50, answer
    retried += answer["ResponseMetadata"]["RetryAttempts"]
    acknowledged += 1
    last, suspend = suspend, not suspend

states = {wickr.get_user(networkId=network_id, userId=u)["suspended"] for u in ids}
print(f"{acknowledged} batches acknowledged, {retried} retries by the client")
print(f"all 50 users suspended={last}, as the last acknowledged batch set them: {states == {last}}")
sys.exit(0 if states == {last} else 1)
