"""A whole Wickr network, walked through with boto3 against Wickr Local: security groups, users and
their suspension, bots, the data retention bot, guests, network settings, SSO and OpenTDF.

    python3 examples/walkthrough.py          (ENDPOINT defaults to http://127.0.0.1:8484)

The /_local calls stand in for what the Wickr apps and other networks do; they are signed with
botocore's SigV4 signer exactly like the API calls.
"""
import http.server
import json
import os
import threading
import urllib.error
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ENDPOINT = os.environ.get("ENDPOINT", "http://127.0.0.1:8484")
wickr = boto3.client("wickr", endpoint_url=ENDPOINT, region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test")


def local(method, path, body=None):
    """A signed call to Wickr Local's own /_local endpoints; returns (status, JSON body)."""
    request = AWSRequest(method=method, url=ENDPOINT + path, data=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("test", "test"), "wickr", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(request.url, data=request.body, headers=dict(request.headers), method=method)
    try:
        with urllib.request.urlopen(prepared) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def step(title):
    print(f"\n== {title}")


step("a network and its groups")
network = wickr.create_network(networkName="Walkthrough", accessLevel="PREMIUM")["networkId"]
default_group = next(g["id"] for g in wickr.list_security_groups(networkId=network)["securityGroups"]
                     if g["isDefault"])
field = wickr.create_security_group(networkId=network, name="Field team",
                                    securityGroupSettings={"federationMode": 1})["securityGroup"]["id"]
wickr.update_security_group(networkId=network, groupId=field,
                            securityGroupSettings={"calling": {"canVideoCall": False}})
print("network", network, "groups", default_group, field)

step("users: invite, accept, suspend, unsuspend")
created = wickr.batch_create_user(networkId=network, users=[
    {"username": "ana@example.com", "firstName": "Ana", "lastName": "Silva", "securityGroupIds": [field]},
    {"username": "ben@example.com", "firstName": "Ben", "lastName": "Okafor", "securityGroupIds": [default_group]},
])["successful"]
ana, ben = created
print(local("POST", f"/_local/networks/{network}/users/{ana['userId']}/sign-in",
            {"deviceType": "Android", "inviteCode": ana["inviteCode"]}))
print(wickr.batch_toggle_user_suspend_status(networkId=network, suspend=True,
                                             userIds=[ana["userId"], ben["userId"]])["message"])
print("suspended user signs in:", local("POST", f"/_local/networks/{network}/users/{ana['userId']}/sign-in",
                                        {"deviceType": "Android"}))
wickr.batch_toggle_user_suspend_status(networkId=network, suspend=False, userIds=[ana["userId"], ben["userId"]])
print("field team members:", [u["username"] for u in
                              wickr.list_security_group_users(networkId=network, groupId=field)["users"]])

step("a bot")
bot = wickr.create_bot(networkId=network, username="alertsbot", displayName="Alerts", groupId=field,
                       challenge="Bot-password-1")["botId"]
print(local("POST", f"/_local/networks/{network}/bots/{bot}/sign-in", {"challenge": "Bot-password-1"}))
wickr.update_bot(networkId=network, botId=bot, suspend=True)
print("suspended bot signs in:", local("POST", f"/_local/networks/{network}/bots/{bot}/sign-in",
                                       {"challenge": "Bot-password-1"}))
counts = wickr.get_bots_count(networkId=network)
print({k: counts[k] for k in ("pending", "active", "total")})

step("the data retention bot")
wickr.create_data_retention_bot(networkId=network)
challenge = wickr.create_data_retention_bot_challenge(networkId=network)["challenge"]
print(local("POST", f"/_local/networks/{network}/data-retention-bots/sign-in", {"challenge": challenge}))
wickr.update_data_retention(networkId=network, actionType="ENABLE")
wickr.update_data_retention(networkId=network, actionType="PUBKEY_MSG_ACK")
retention = wickr.get_data_retention_bot(networkId=network)
print({k: v for k, v in retention.items() if k != "ResponseMetadata"})

step("guests from other networks")
status, guest = local("POST", f"/_local/networks/{network}/guest-activity", {"username": "vendor@partner.example"})
print(status, guest)
print([g["username"] for g in wickr.list_guest_users(networkId=network)["guestlist"]])
wickr.update_guest_user(networkId=network, usernameHash=guest["usernameHash"], block=True)
print("blocked guest writes again:", local("POST", f"/_local/networks/{network}/guest-activity",
                                           {"username": "vendor@partner.example"}))
print([b["username"] for b in wickr.list_blocked_guest_users(networkId=network)["blocklist"]])

step("network settings")
wickr.update_network_settings(networkId=network, settings={"enableClientMetrics": True,
                                                           "readReceiptConfig": {"status": "ENABLED"}})
print([(s["optionName"], s["value"]) for s in wickr.get_network_settings(networkId=network)["settings"]])


class Discovery(http.server.BaseHTTPRequestHandler):
    """A stand-in identity provider that publishes its OpenID discovery document."""

    def do_GET(self):  # noqa: N802 - the http.server API
        issuer = f"http://127.0.0.1:{self.server.server_port}"
        document = json.dumps({"issuer": issuer, "authorization_endpoint": issuer + "/authorize",
                               "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks",
                               "response_types_supported": ["code"], "subject_types_supported": ["public"],
                               "id_token_signing_alg_values_supported": ["RS256"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(document)))
        self.end_headers()
        self.wfile.write(document)

    def log_message(self, *args):
        pass


step("SSO and OpenTDF")
idp = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Discovery)
threading.Thread(target=idp.serve_forever, daemon=True).start()
issuer = f"http://127.0.0.1:{idp.server_port}"
print(wickr.register_oidc_config_test(networkId=network, issuer=issuer, scopes="openid email")["tokenEndpoint"])
wickr.register_oidc_config(networkId=network, companyId="UE1-walkthrough", issuer=issuer, scopes="openid email",
                           userId="wickr-client-id", secret="client-secret")
print(wickr.get_oidc_info(networkId=network)["openidConnectInfo"]["companyId"])
wickr.register_opentdf_config(networkId=network, clientId="tdf-client", clientSecret="tdf-secret",
                              domain="tdf.example.com", provider="virtru")
print(wickr.get_opentdf_config(networkId=network)["domain"])
idp.shutdown()

step("clean up")
print(wickr.delete_network(networkId=network)["message"])
print("walkthrough complete")
