"""SigV4 authentication, credentials and account/region partitioning."""
import datetime

import pytest
from botocore.exceptions import ClientError

import wlhelpers as wl
from wlhelpers import assert_error
from wlhelpers import ACCOUNT_A, ACCOUNT_B


def test_missing_authorization_header(raw):
    r = raw("GET", "/networks", sign=False)
    assert_error(r, "MissingAuthenticationTokenException", 403)


def test_missing_authorization_on_post(raw):
    r = raw("POST", "/networks", {"networkName": "unsigned", "accessLevel": "STANDARD"}, sign=False)
    assert_error(r, "MissingAuthenticationTokenException", 403)


def test_unknown_access_key_raw(raw):
    r = raw("GET", "/networks", access_key="AKIDONTKNOWYOU", secret_key="whatever")
    assert_error(r, "UnrecognizedClientException", 403)


def test_unknown_access_key_boto3(make_client):
    c = make_client(access_key="nobody", secret_key="nothing")
    with pytest.raises(ClientError) as ei:
        c.list_networks()
    assert ei.value.response["Error"]["Code"] == "UnrecognizedClientException"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_wrong_secret(raw, make_client):
    r = raw("GET", "/networks", secret_key="not-the-secret")
    assert_error(r, "InvalidSignatureException", 403)
    c = make_client(secret_key="wrong")
    with pytest.raises(ClientError) as ei:
        c.list_networks()
    assert ei.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_tampered_signature(raw):
    def mutate(headers, body):
        auth = headers["Authorization"]
        last = auth[-1]
        headers["Authorization"] = auth[:-1] + ("0" if last != "0" else "1")
        return body
    assert_error(raw("GET", "/networks", mutate=mutate), "InvalidSignatureException", 403)


def test_body_changed_after_signing(raw, client):
    name = f"tamper-{wl.uid_tag()}"[:20]

    def mutate(headers, body):
        new = body.replace(b"STANDARD", b"PREMIUM\x20")
        headers["Content-Length"] = str(len(new))
        return new
    r = raw("POST", "/networks", {"networkName": name, "accessLevel": "STANDARD"}, mutate=mutate)
    assert_error(r, "InvalidSignatureException", 403)
    names = [n["networkName"] for n in wl.all_networks(client)]
    assert name not in names


def test_query_changed_after_signing(ep):
    # sign one query string, send another
    import requests
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="GET", url=ep.url + "/networks?maxResults=5")
    SigV4Auth(Credentials("test", "test"), "wickr", "us-east-1").add_auth(req)
    p = req.prepare()
    r = requests.get(ep.url + "/networks?maxResults=6", headers=dict(p.headers.items()), timeout=10)
    assert_error(r, "InvalidSignatureException", 403)


@pytest.mark.parametrize("minutes", [20, -20, 60 * 24])
def test_clock_skew_beyond_15_minutes_rejected(raw, minutes):
    r = raw("GET", "/networks", skew=datetime.timedelta(minutes=minutes))
    assert_error(r, "InvalidSignatureException", 403)


@pytest.mark.parametrize("minutes", [5, -5])
def test_clock_skew_within_15_minutes_accepted(raw, minutes):
    r = raw("GET", "/networks", skew=datetime.timedelta(minutes=minutes))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("auth_value", [
    "AWS4-HMAC-SHA256 garbage",
    "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/wickr/aws4_request, Signature=abcdef",
    "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/wickr/aws4_request, SignedHeaders=host;x-amz-date",
    "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abcdef",
    "AWS4-HMAC-SHA256 Credential=test, SignedHeaders=host;x-amz-date, Signature=abcdef",
])
def test_malformed_authorization_header(raw, auth_value):
    def mutate(headers, body):
        headers["Authorization"] = auth_value
        return body
    assert_error(raw("GET", "/networks", mutate=mutate), "IncompleteSignatureException", 403)


def test_auth_error_on_unknown_route_is_still_json(raw):
    r = raw("GET", "/nope/nothing", sign=False)
    assert r.status_code in (403, 404), r.text
    assert r.headers.get("x-amzn-RequestId")
    assert isinstance(r.json().get("message"), str)


def test_default_credentials_map_to_default_account(client, network):
    g = client.get_network(networkId=network)
    assert g["awsAccountId"] == wl.DEFAULT_ACCOUNT
    assert g["networkArn"] == f"arn:aws:wickr:us-east-1:{wl.DEFAULT_ACCOUNT}:network/{network}"


def test_region_partitioning(make_client):
    east = make_client(region="us-east-1")
    west = make_client(region="eu-west-1")
    nid = wl.new_network(east)
    with wl.expect_error(west, "ResourceNotFoundError"):
        west.get_network(networkId=nid)
    west_ids = {n["networkId"] for n in west.get_paginator("list_networks").paginate()
                .build_full_result()["networks"]}
    assert nid not in west_ids
    with wl.expect_error(west, "ResourceNotFoundError"):
        west.list_users(networkId=nid)
    # a network created in eu-west-1 carries that region in its ARN
    wid = wl.new_network(west)
    assert west.get_network(networkId=wid)["networkArn"] == \
        f"arn:aws:wickr:eu-west-1:{wl.DEFAULT_ACCOUNT}:network/{wid}"
    with wl.expect_error(east, "ResourceNotFoundError"):
        east.get_network(networkId=wid)


def test_region_partition_applies_to_users_and_suspend(make_client):
    east = make_client(region="us-east-1")
    west = make_client(region="eu-west-1")
    nid = wl.new_network(east)
    uid = wl.create_users(east, nid, 1)[0]["userId"]
    with wl.expect_error(west, "ResourceNotFoundError"):
        west.get_user(networkId=nid, userId=uid)
    with wl.expect_error(west, "ResourceNotFoundError"):
        west.batch_toggle_user_suspend_status(networkId=nid, suspend=True, userIds=[uid])
    assert east.get_user(networkId=nid, userId=uid)["suspended"] is False


# ---------------------------------------------------------------------------
# explicit --credential flags
# ---------------------------------------------------------------------------

def test_credential_flag_replaces_default(multi_ep):
    r = multi_ep.raw("GET", "/networks")  # test/test
    assert_error(r, "UnrecognizedClientException", 403)
    ak, sk, _ = ACCOUNT_A
    assert multi_ep.raw("GET", "/networks", access_key=ak, secret_key=sk).status_code == 200
    r = multi_ep.raw("GET", "/networks", access_key=ak, secret_key=sk + "x")
    assert_error(r, "InvalidSignatureException", 403)


def test_accounts_are_partitioned(multi_ep):
    a = multi_ep.client(access_key=ACCOUNT_A[0], secret_key=ACCOUNT_A[1])
    b = multi_ep.client(access_key=ACCOUNT_B[0], secret_key=ACCOUNT_B[1])
    nid = wl.new_network(a)
    g = a.get_network(networkId=nid)
    assert g["awsAccountId"] == ACCOUNT_A[2]
    assert g["networkArn"] == f"arn:aws:wickr:us-east-1:{ACCOUNT_A[2]}:network/{nid}"
    with wl.expect_error(b, "ResourceNotFoundError"):
        b.get_network(networkId=nid)
    assert nid not in {n["networkId"] for n in b.list_networks(maxResults=100)["networks"]}
    with wl.expect_error(b, "ResourceNotFoundError"):
        b.delete_network(networkId=nid)
    assert a.get_network(networkId=nid)["networkId"] == nid
    bid = wl.new_network(b)
    assert b.get_network(networkId=bid)["awsAccountId"] == ACCOUNT_B[2]
    assert bid not in {n["networkId"] for n in a.list_networks(maxResults=100)["networks"]}
