"""SSO (OIDC): testing a provider's discovery document, saving and reading the configuration.

An identity provider stand-in runs in this process on the loopback address; the server under
test fetches its discovery documents over real HTTP(S).
"""
import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

import wlhelpers as wl
from wlhelpers import expect_error

LOOPBACK = "127.0.0.1"
WELL_KNOWN = "/.well-known/openid-configuration"
SLOW_SECONDS = 8          # longer than the server's 5 s deadline
HUGE_BYTES = 300 * 1024   # over the server's 256 KiB limit


def discovery_document(issuer: str) -> dict:
    root = issuer.rstrip("/")
    return {
        "issuer": issuer,
        "authorization_endpoint": root + "/authorize",
        "token_endpoint": root + "/token",
        "jwks_uri": root + "/jwks",
        "userinfo_endpoint": root + "/userinfo",
        "end_session_endpoint": root + "/logout",
        "revocation_endpoint": root + "/revoke",
        "response_types_supported": ["code", "id_token", "code id_token"],
        "scopes_supported": ["openid", "email", "profile"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }


class _Provider(http.server.BaseHTTPRequestHandler):
    """One behaviour per first path segment: /good, /malformed, /error, /slow, /huge, ..."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hits.append(self.path)
        tenant = self.path.split("/")[1]
        if not self.path.endswith(WELL_KNOWN):
            return self._send(404, b"not found")
        issuer = f"{self.server.base}/{tenant}"
        if tenant == "good":
            return self._json(discovery_document(issuer))
        if tenant == "example":
            # The endpoints AWS's example RegisterOidcConfigTest#1 shows, and what discovery needs besides.
            return self._json({"issuer": issuer, "authorization_endpoint": issuer + "/authorize",
                               "token_endpoint": issuer + "/oauth/token", "userinfo_endpoint": issuer + "/userinfo",
                               "jwks_uri": issuer + "/jwks", "response_types_supported": ["code"]})
        if tenant == "logout":
            return self._json(dict(discovery_document(issuer), logout_endpoint=issuer + "/signout"))
        if tenant == "malformed":
            return self._send(200, b'{"issuer": "' + issuer.encode() + b'", "token_endpoint": ')
        if tenant == "no-issuer":
            doc = discovery_document(issuer)
            del doc["issuer"]
            return self._json(doc)
        if tenant == "other-issuer":
            return self._json(discovery_document("https://idp.example.com/someone-else"))
        if tenant == "error":
            return self._send(500, b'{"error": "internal"}')
        if tenant == "redirect":
            self.send_response(302)
            self.send_header("Location", f"{self.server.base}/good{WELL_KNOWN}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if tenant == "slow":
            time.sleep(SLOW_SECONDS)
            return self._json(discovery_document(issuer))
        if tenant == "huge":
            doc = json.dumps(discovery_document(issuer))
            return self._send(200, (doc[:-1] + " " * HUGE_BYTES + "}").encode())
        return self._send(404, b"no such tenant")

    def _json(self, doc):
        self._send(200, json.dumps(doc).encode(), "application/json")

    def _send(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server under test stopped reading, as it should past its limits


def _start(context=None):
    srv = http.server.ThreadingHTTPServer((LOOPBACK, 0), _Provider)
    srv.daemon_threads = True
    srv.hits = []
    scheme = "http"
    if context is not None:
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
        scheme = "https"
    srv.base = f"{scheme}://{LOOPBACK}:{srv.server_address[1]}"
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture(scope="module")
def idp():
    srv = _start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="module")
def tls_idp(tmp_path_factory):
    """An https provider whose certificate comes from a private, self-signed CA; yields (server, PEM)."""
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is needed to make a certificate for the https provider")
    d = tmp_path_factory.mktemp("idp-tls")
    key, cert = d / "key.pem", d / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=loopback-idp",
                    "-addext", f"subjectAltName=IP:{LOOPBACK}"],
                   check=True, capture_output=True, timeout=60)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    srv = _start(context)
    yield srv, cert.read_text()
    srv.shutdown()
    srv.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------
# RegisterOidcConfigTest
# ---------------------------------------------------------------------------

def test_the_test_reports_the_discovered_provider(client, network, idp):
    issuer = f"{idp.base}/good"
    r = wl.strip_meta(client.register_oidc_config_test(networkId=network, issuer=issuer,
                                                       scopes="openid email profile"))
    assert r == {
        "issuer": issuer,
        "authorizationEndpoint": issuer + "/authorize",
        "tokenEndpoint": issuer + "/token",
        "userinfoEndpoint": issuer + "/userinfo",
        "endSessionEndpoint": issuer + "/logout",
        "revocationEndpoint": issuer + "/revoke",
        "responseTypesSupported": ["code", "id_token", "code id_token"],
        "scopesSupported": ["openid", "email", "profile"],
        "grantTypesSupported": ["authorization_code", "refresh_token"],
        "tokenEndpointAuthMethodsSupported": ["client_secret_basic", "client_secret_post"],
        "microsoftMultiRefreshToken": False,
    }
    assert f"/good{WELL_KNOWN}" in idp.hits


def test_the_test_reports_a_logout_endpoint_when_published(client, network, idp):
    r = client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/logout/", scopes="openid")
    assert r["logoutEndpoint"] == f"{idp.base}/logout/signout"


def test_the_test_stores_nothing(client, network, idp):
    client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/good", scopes="openid")
    assert client.get_oidc_info(networkId=network)["openidConnectInfo"] == {"companyId": "", "issuer": "", "scopes": ""}


@pytest.mark.parametrize("tenant,mentions", [
    ("malformed", "not valid JSON"),
    ("no-issuer", "lacks the required member issuer"),
    ("other-issuer", "names the issuer https://idp.example.com/someone-else"),
    ("error", "HTTP 500"),
    ("redirect", "redirects are not followed"),
    ("huge", "larger than 256 KiB"),
    ("nowhere", "HTTP 404"),
])
def test_provider_problems_are_bad_requests(client, network, idp, tenant, mentions):
    with expect_error(client, "BadRequestError", mentions=mentions):
        client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/{tenant}", scopes="openid")


def test_a_redirect_is_not_followed(client, network, idp):
    before = list(idp.hits)
    with expect_error(client, "BadRequestError"):
        client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/redirect", scopes="openid")
    assert [h for h in idp.hits[len(before):]] == [f"/redirect{WELL_KNOWN}"]


def test_a_slow_provider_times_out_after_five_seconds(client, network, idp):
    started = time.monotonic()
    with expect_error(client, "BadRequestError", mentions="did not answer within 5 s"):
        client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/slow", scopes="openid")
    assert 4.5 <= time.monotonic() - started < SLOW_SECONDS


def test_an_unreachable_provider_is_reported(client, network):
    issuer = f"http://{LOOPBACK}:{closed_port()}"
    with expect_error(client, "BadRequestError", mentions=["could not connect", issuer]):
        client.register_oidc_config_test(networkId=network, issuer=issuer, scopes="openid")


@pytest.mark.parametrize("issuer", [
    "x", "ftp://127.0.0.1/realm", "file:///etc/passwd", "http://",
    "http://127.0.0.1:1/realm?tenant=1", "http://user:pw@127.0.0.1:1/realm", "https://bad host/",
])
def test_issuer_must_be_a_plain_http_url(client, network, idp, issuer):
    before = len(idp.hits)
    with expect_error(client, "ValidationError", field="issuer"):
        client.register_oidc_config_test(networkId=network, issuer=issuer, scopes="openid")
    with expect_error(client, "ValidationError", field="issuer"):
        client.register_oidc_config(networkId=network, companyId="UE1-acme", issuer=issuer, scopes="openid")
    assert len(idp.hits) == before


@pytest.mark.parametrize("scopes", ["email profile", "", "openid-connect"])
def test_scopes_must_include_openid(client, network, idp, scopes):
    with expect_error(client, "ValidationError", field="scopes"):
        client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/good", scopes=scopes)
    with expect_error(client, "ValidationError", field="scopes"):
        client.register_oidc_config(networkId=network, companyId="UE1-acme", issuer=f"{idp.base}/good", scopes=scopes)


@pytest.mark.parametrize("pem", ["not a certificate",
                                 "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
def test_a_malformed_certificate_is_a_validation_error(client, network, idp, pem):
    with expect_error(client, "ValidationError", field="certificate"):
        client.register_oidc_config_test(networkId=network, issuer=f"{idp.base}/good", scopes="openid",
                                         certificate=pem)


def test_a_private_ca_is_trusted_only_when_given(client, network, tls_idp):
    srv, ca_pem = tls_idp
    issuer = f"{srv.base}/good"
    r = client.register_oidc_config_test(networkId=network, issuer=issuer, scopes="openid", certificate=ca_pem)
    assert r["issuer"] == issuer and r["tokenEndpoint"] == issuer + "/token"
    with expect_error(client, "BadRequestError", mentions=["TLS", "certificate"]):
        client.register_oidc_config_test(networkId=network, issuer=issuer, scopes="openid")


def test_unknown_network_is_404(client, idp):
    nid = wl.unused_network_id(client)
    with expect_error(client, "ResourceNotFoundError"):
        client.register_oidc_config_test(networkId=nid, issuer=f"{idp.base}/good", scopes="openid")
    with expect_error(client, "ResourceNotFoundError"):
        client.register_oidc_config(networkId=nid, companyId="UE1-acme", issuer=f"{idp.base}/good", scopes="openid")
    with expect_error(client, "ResourceNotFoundError"):
        client.get_oidc_info(networkId=nid)


# ---------------------------------------------------------------------------
# RegisterOidcConfig and GetOidcInfo
# ---------------------------------------------------------------------------

def test_save_answers_with_the_configuration_and_get_returns_it(client, network):
    r = wl.strip_meta(client.register_oidc_config(
        networkId=network, companyId="UE1-acme-corp", issuer="https://login.example.com/realms/wickr",
        scopes="openid email profile", userId="wickr-app", secret="hunter2",
        customUsername="preferred_username", extraAuthParams="prompt=login"))
    assert r == {
        "companyId": "UE1-acme-corp",
        "issuer": "https://login.example.com/realms/wickr",
        "scopes": "openid email profile",
        "userId": "wickr-app",
        "clientId": "wickr-app",
        "secret": "hunter2",
        "clientSecret": "hunter2",
        "customUsername": "preferred_username",
        "extraAuthParams": "prompt=login",
        "ssoTokenBufferMinutes": 5,
        "applicationId": 1,
        "applicationName": f"wickr-local-{network}",
        "redirectUrl": f"https://wickr-local.invalid/oidc/{network}/callback",
    }
    assert client.get_oidc_info(networkId=network)["openidConnectInfo"] == r


def test_a_second_save_replaces_the_first(client, network):
    client.register_oidc_config(networkId=network, companyId="UE1-first", issuer="https://a.example.com",
                                scopes="openid", customUsername="upn", secret="s1")
    client.register_oidc_config(networkId=network, companyId="UE1-second", issuer="https://b.example.com",
                                scopes="openid email", ssoTokenBufferMinutes=30)
    info = client.get_oidc_info(networkId=network)["openidConnectInfo"]
    assert info["companyId"] == "UE1-second"
    assert info["issuer"] == "https://b.example.com"
    assert info["ssoTokenBufferMinutes"] == 30
    assert "customUsername" not in info and "secret" not in info


def test_save_works_offline(client, network):
    issuer = f"http://{LOOPBACK}:{closed_port()}/realm"
    client.register_oidc_config(networkId=network, companyId="UE1-offline", issuer=issuer, scopes="openid")
    assert client.get_oidc_info(networkId=network)["openidConnectInfo"]["issuer"] == issuer


@pytest.mark.parametrize("minutes", [0, -1, 61, 100000])
def test_token_buffer_out_of_range(client, network, minutes):
    with expect_error(client, "ValidationError", field="ssoTokenBufferMinutes"):
        client.register_oidc_config(networkId=network, companyId="UE1-acme", issuer="https://a.example.com",
                                    scopes="openid", ssoTokenBufferMinutes=minutes)
    assert client.get_oidc_info(networkId=network)["openidConnectInfo"] == {"companyId": "", "issuer": "", "scopes": ""}


@pytest.mark.parametrize("company_id", ["UE1-two words", "UE1-" + "x" * 61, "UE1-semi;colon", "invalid-company123",
                                        "acme", "UE1-", "eu-west-2-acme"])
def test_company_id_needs_a_region_prefix(client, network, company_id):
    """AWS examples RegisterOidcConfig#2/#3; live #52: SMonaghan/terraform-provider-aws
    internal/service/wickr/oidc_config.go (companyId needs a Wickr region prefix such as UE1-)."""
    with expect_error(client, "BadRequestError") as ei:
        client.register_oidc_config(networkId=network, companyId=company_id, issuer="https://a.example.com",
                                    scopes="openid")
    assert ei.value.response["Error"]["Message"] == "Invalid companyId"


def test_company_id_is_required(client, network):
    with expect_error(client, "BadRequestError") as ei:
        client.register_oidc_config(networkId=network, companyId="", issuer="https://a.example.com", scopes="openid")
    assert ei.value.response["Error"]["Message"] == "Company ID is required"


@pytest.mark.parametrize("company_id", ["UE1-acme", "AS1-acme", "us-east-1-company123"])
def test_region_prefixed_company_ids_are_accepted(client, network, company_id):
    """live #52 (oidc_config_test.go registers "UE1-<name>"); AWS example RegisterOidcConfig#1 ("us-east-1-...")."""
    r = client.register_oidc_config(networkId=network, companyId=company_id, issuer="https://a.example.com",
                                    scopes="openid")
    assert r["companyId"] == company_id
    assert client.get_oidc_info(networkId=network)["openidConnectInfo"]["companyId"] == company_id


def test_never_configured_answers_empty_values(client, network):
    """AWS example GetOidcInfo#2."""
    assert wl.strip_meta(client.get_oidc_info(networkId=network)) == {"openidConnectInfo": {"companyId": "", "issuer": "", "scopes": ""}}


def test_configuration_stays_until_the_network_goes(client):
    """live #54/#55: SMonaghan/terraform-provider-aws internal/service/wickr/oidc_config_test.go
    (TestAccWickrOIDCConfig_updateIssuer, _deleteIsNoOp): registering again updates in place, and
    there is no way to remove the configuration but deleting the network."""
    network = wl.new_network(client)
    client.register_oidc_config(networkId=network, companyId="UE1-a", issuer="https://login.microsoftonline.com/common/v2.0",
                                scopes="openid profile email", userId="00000000-0000-0000-0000-000000000000")
    client.register_oidc_config(networkId=network, companyId="UE1-a", issuer="https://accounts.google.com",
                                scopes="openid profile email", userId="00000000-0000-0000-0000-000000000000")
    info = client.get_oidc_info(networkId=network)["openidConnectInfo"]
    assert info["issuer"] == "https://accounts.google.com" and info["companyId"] == "UE1-a"
    assert not [op for op in client.meta.service_model.operation_names if "Oidc" in op and op.startswith("Delete")]
    client.delete_network(networkId=network)
    with pytest.raises(client.exceptions.ClientError):
        client.get_oidc_info(networkId=network)


def test_an_empty_issuer_is_a_bad_request(client, network):
    """AWS example RegisterOidcConfigTest#2."""
    for call in (lambda: client.register_oidc_config_test(networkId=network, issuer="", scopes="openid"),
                 lambda: client.register_oidc_config(networkId=network, companyId="UE1-a", issuer="", scopes="openid")):
        with expect_error(client, "BadRequestError") as ei:
            call()
        assert ei.value.response["Error"]["Message"] == "issuer is a required field"


def test_token_exchange_is_not_emulated_and_secrets_are_not_echoed(client, network):
    with expect_error(client, "BadRequestError", mentions=["token exchange", "code", "clientSecret"]) as ei:
        client.get_oidc_info(networkId=network, code="auth-code-123", grantType="authorization_code",
                             clientSecret="very-secret-value")
    assert "very-secret-value" not in ei.value.response["Error"]["Message"]


def test_another_region_cannot_see_or_change_it(client, make_client, network):
    client.register_oidc_config(networkId=network, companyId="UE1-mine", issuer="https://a.example.com", scopes="openid")
    elsewhere = make_client(region=wl.isolated_region())
    with expect_error(elsewhere, "ResourceNotFoundError"):
        elsewhere.get_oidc_info(networkId=network)
    with expect_error(elsewhere, "ResourceNotFoundError"):
        elsewhere.register_oidc_config(networkId=network, companyId="UE1-theirs", issuer="https://b.example.com",
                                       scopes="openid")
    assert client.get_oidc_info(networkId=network)["openidConnectInfo"]["companyId"] == "UE1-mine"


def test_the_secret_is_never_logged(client, network, server):
    secret = f"never-log-{wl.uid_tag()}"
    client.register_oidc_config(networkId=network, companyId="UE1-acme", issuer="https://a.example.com",
                                scopes="openid", secret=secret)
    client.get_oidc_info(networkId=network)
    assert secret not in server.log_tail(100000)
