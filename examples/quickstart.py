"""Wickr Local with boto3: suspend every user of a network whose name matches, in batches of 50.

Expects a server on $ENDPOINT (default http://127.0.0.1:8484) with the default credentials.
"""
import os

import boto3

wickr = boto3.client(
    "wickr",
    endpoint_url=os.environ.get("ENDPOINT", "http://127.0.0.1:8484"),
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
)

network_id = wickr.create_network(networkName="Offboarding", accessLevel="PREMIUM")["networkId"]
groups = wickr.list_security_groups(networkId=network_id)["securityGroups"]
default_group = next(g["id"] for g in groups if g["isDefault"])

# 120 contractors, created 50 at a time (the batch limit).
names = [f"contractor{i:03}@example.com" for i in range(120)]
for start in range(0, len(names), 50):
    wickr.batch_create_user(
        networkId=network_id,
        users=[{"username": n, "securityGroupIds": [default_group]} for n in names[start:start + 50]],
    )

# Find them with the paginator, then suspend them in batches of 50.
ids = [
    user["userId"]
    for page in wickr.get_paginator("list_users").paginate(networkId=network_id, username="contractor")
    for user in page["users"]
]
for start in range(0, len(ids), 50):
    result = wickr.batch_toggle_user_suspend_status(
        networkId=network_id, suspend=True, userIds=ids[start:start + 50]
    )
    print(f'{result["message"]}: {len(result["successful"])} suspended, {len(result["failed"])} failed')

suspended = sum(
    user["suspended"]
    for page in wickr.get_paginator("list_users").paginate(networkId=network_id)
    for user in page["users"]
)
print(f"{suspended} of {len(ids)} users are suspended")
counts = wickr.get_users_count(networkId=network_id)
print({k: counts[k] for k in ("pending", "active", "total")})
