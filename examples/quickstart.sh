#!/usr/bin/env bash
# Wickr Local with the AWS CLI: a network, two users, a suspension and what it does.
# Expects a server on $ENDPOINT (default http://127.0.0.1:8484) with the default credentials.
set -euo pipefail
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
E=${ENDPOINT:-http://127.0.0.1:8484}
USERS=$(mktemp)
trap 'rm -f "$USERS"' EXIT

NET=$(aws wickr create-network --endpoint-url "$E" --network-name "Incident drill" \
        --access-level STANDARD --query networkId --output text)
GROUP=$(aws wickr list-security-groups --endpoint-url "$E" --network-id "$NET" \
        --query "securityGroups[?isDefault].id" --output text)
aws wickr batch-create-user --endpoint-url "$E" --network-id "$NET" --users \
    "username=alice@example.com,firstName=Alice,lastName=Ng,securityGroupIds=$GROUP" \
    "username=bob@example.com,firstName=Bob,lastName=Ray,securityGroupIds=$GROUP" \
    --query "successful[].[userId,username,inviteCode]" --output text > "$USERS"
read -r ALICE _ ALICE_CODE < <(grep alice "$USERS")
read -r BOB _ _ < <(grep bob "$USERS")

# Alice accepts her invitation from a phone (the /_local stand-in for the Wickr app).
curl -s --aws-sigv4 "aws:amz:us-east-1:wickr" --user test:test -H 'Content-Type: application/json' \
     -d "{\"deviceType\":\"iOS\",\"inviteCode\":\"$ALICE_CODE\"}" \
     "$E/_local/networks/$NET/users/$ALICE/sign-in"; echo

# Incident response: suspend both at once.
aws wickr batch-toggle-user-suspend-status --endpoint-url "$E" --network-id "$NET" \
    --suspend --user-ids "$ALICE" "$BOB"

aws wickr get-user --endpoint-url "$E" --network-id "$NET" --user-id "$ALICE" \
    --query "{user:username,suspended:suspended,status:status}"
curl -s --aws-sigv4 "aws:amz:us-east-1:wickr" --user test:test \
     "$E/_local/networks/$NET/users/$ALICE/sessions"; echo
# A suspended user is refused: 403 ForbiddenError.
curl -s --aws-sigv4 "aws:amz:us-east-1:wickr" --user test:test -H 'Content-Type: application/json' \
     -d '{"deviceType":"Android"}' "$E/_local/networks/$NET/users/$ALICE/sign-in"; echo

# All clear: unsuspend.
aws wickr batch-toggle-user-suspend-status --endpoint-url "$E" --network-id "$NET" \
    --no-suspend --user-ids "$ALICE" "$BOB" --query message
