"""Scenes for the examples of the security group, SSO (OIDC) and OpenTDF operations (see replay.py).

No scene reaches the internet: an issuer an example names is mapped to test_sso's loopback
provider (or to a closed loopback port where the example's provider cannot be reached)."""
import atexit

import replay
from replay import Scene

import test_sso

SCENES, scene = replay.registry()
# Values no two servers share: the group ids we create and the time of a change.
GROUP_ID = r"[a-z0-9]{12}"
EPOCH_SECONDS = r"[0-9]{10}"



_idp = []


def identity_provider():
    """test_sso's loopback OIDC provider, started once for the replay."""
    if not _idp:
        srv = test_sso._start()
        atexit.register(srv.shutdown)
        _idp.append(srv)
    return _idp[0]


def active_users(stage, network_id, group_id, count, prefix):
    """`count` users of `group_id` who have signed in (status 2, so activeMembers counts them)."""
    users = stage.users(network_id, [{"username": f"{prefix}{i}@example.com", "securityGroupIds": [group_id]}
                                     for i in range(count)])
    for u in users:
        stage.sign_in(network_id, u["userId"], u["inviteCode"])
    return users


def bots(stage, network_id, group_id, count, prefix):
    for i in range(count):
        stage.client.create_bot(networkId=network_id, username=f"{prefix}{i}bot", groupId=group_id,
                                challenge="replay-bot-password")


# --- security groups ---------------------------------------------------------------------------

@scene("CreateSecurityGroup#1")
def _create_group(stage):
    net = stage.network()
    return Scene(ids={"12345678": net}, generated={"output.securityGroup.id": GROUP_ID,
                                                   "output.securityGroup.modified": EPOCH_SECONDS})


@scene("CreateSecurityGroup#2")
def _create_group_without_name(stage):
    return Scene(ids={"12345678": stage.network()})


@scene("DeleteSecurityGroup#1")
def _delete_group(stage):
    net = stage.network()
    group = stage.client.create_security_group(networkId=net, name="engineering",
                                               securityGroupSettings={})["securityGroup"]["id"]
    return Scene(ids={"12345678": net, "def67890": group})


@scene("DeleteSecurityGroup#2")
def _delete_unknown_group(stage):
    return Scene(ids={"12345678": stage.network()})


@scene("GetSecurityGroup#1")
def _get_default_group(stage):
    net = stage.network()
    default = stage.default_group(net)
    active_users(stage, net, default, 50, "member")
    bots(stage, net, default, 5, "helper")
    return Scene(ids={"12345678": net, "abc12345": default},
                 generated={"output.securityGroup.modified": EPOCH_SECONDS})


@scene("GetSecurityGroup#2")
def _get_unknown_group(stage):
    return Scene(ids={"12345678": stage.network()})


def _two_groups(stage, with_engineering):
    net = stage.network()
    default = stage.default_group(net)
    active_users(stage, net, default, 25, "member")
    ids = {"12345678": net, "abc12345": default}
    if with_engineering:
        eng = stage.client.create_security_group(networkId=net, name="engineering",
                                                 securityGroupSettings={"lockoutThreshold": 15})["securityGroup"]["id"]
        active_users(stage, net, eng, 10, "engineer")
        bots(stage, net, eng, 2, "builder")
        ids["def67890"] = eng
    return Scene(ids=ids, generated={"output.securityGroups[*].modified": EPOCH_SECONDS})


@scene("ListSecurityGroups#1")
def _list_two_groups(stage):
    return _two_groups(stage, with_engineering=True)


@scene("ListSecurityGroups#2")
def _list_default_group(stage):
    return _two_groups(stage, with_engineering=False)


@scene("ListSecurityGroupUsers#1")
def _list_group_users(stage):
    net = stage.network()
    default = stage.default_group(net)
    alice, bob = stage.users(net, [{"username": "alice@example.com", "firstName": "Alice", "lastName": "Smith"},
                                   {"username": "bob@example.com", "firstName": "Bob", "lastName": "Jones"}])
    for u in (alice, bob):
        stage.sign_in(net, u["userId"], u["inviteCode"])
    return Scene(ids={"12345678": net, "abc12345": default,
                      "1000000001": alice["userId"], "1000000002": bob["userId"]})


@scene("UpdateSecurityGroup#1")
def _update_group(stage):
    net = stage.network()
    group = stage.client.create_security_group(networkId=net, name="Original Name",
                                               securityGroupSettings={})["securityGroup"]["id"]
    active_users(stage, net, group, 10, "member")
    bots(stage, net, group, 2, "helper")
    return Scene(ids={"12345678": net, "abc12345": group},
                 generated={"output.securityGroup.modified": EPOCH_SECONDS})


@scene("UpdateSecurityGroup#2")
def _update_unknown_group(stage):
    return Scene(ids={"12345678": stage.network()})


# --- SSO (OIDC) --------------------------------------------------------------------------------

@scene("RegisterOidcConfig#1")
@scene("RegisterOidcConfig#2")
@scene("RegisterOidcConfig#3")
@scene("GetOidcInfo#2")
@scene("RegisterOidcConfigTest#2")
def _on_a_network(stage):
    return Scene(ids={"12345678": stage.network()})


@scene("GetOidcInfo#1")
def _oidc_configured(stage):
    net = stage.network()
    stage.client.register_oidc_config(networkId=net, companyId="us-east-1-company123",
                                      issuer="https://login.example.com", scopes="openid profile email",
                                      userId="email", ssoTokenBufferMinutes=5)
    return Scene(ids={"12345678": net})


@scene("RegisterOidcConfigTest#1")
def _oidc_test_reachable(stage):
    # The example's provider is test_sso's loopback one, publishing the example's endpoints.
    return Scene(ids={"12345678": stage.network(),
                      "https://login.example.com": f"{identity_provider().base}/example"})


@scene("RegisterOidcConfigTest#3")
def _oidc_test_unreachable(stage):
    # A provider nobody answers for: a loopback port nothing listens on.
    return Scene(ids={"12345678": stage.network(),
                      "https://blocked-endpoint.com": f"http://{test_sso.LOOPBACK}:{test_sso.closed_port()}"})


# --- OpenTDF -----------------------------------------------------------------------------------

@scene("RegisterOpentdfConfig#1")
@scene("RegisterOpentdfConfig#2")
@scene("RegisterOpentdfConfig#3")
@scene("RegisterOpentdfConfig#4")
@scene("GetOpentdfConfig#2")
def _opentdf_on_a_network(stage):
    return Scene(ids={"12345678": stage.network()})


@scene("RegisterOpentdfConfig#5")
def _opentdf_unknown_network(stage):
    stage.network()
    return Scene()


@scene("GetOpentdfConfig#1")
def _opentdf_configured(stage):
    net = stage.network()
    stage.client.register_opentdf_config(networkId=net, clientId="client123", clientSecret="secret456",
                                         domain="https://api.sample.com", provider="virtru")
    return Scene(ids={"12345678": net})
