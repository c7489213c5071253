package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SSO rules through the service, with an identity provider on the loopback address. */
class SsoRulesTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final AtomicInteger fetches = new AtomicInteger();
    private static HttpServer idp;
    private static String base;


    @BeforeAll
    static void startProvider() throws IOException {
        idp = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        base = "http://" + LOOPBACK.getHostAddress() + ":" + idp.getAddress().getPort();
        idp.createContext("/realm/", ex -> answer(ex, 200, OidcDiscoveryClientTest.document(base + "/realm")));
        idp.createContext("/down/", ex -> answer(ex, 503, "maintenance"));
        idp.start();
    }

    @AfterAll
    static void stopProvider() {
        idp.stop(0);
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        fetches.incrementAndGet();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static ObjectNode testInput(String net, String issuer) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("issuer", issuer);
        in.put("scopes", "openid email profile");
        return in;
    }

    private static ObjectNode saveInput(String net, String companyId) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("companyId", "UE1-" + companyId);
        in.put("issuer", "https://login.example.com/realms/wickr");
        in.put("scopes", "openid email");
        return in;
    }

    private static ObjectNode info(ServiceFixture f, String net) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        return f.invoke("GetOidcInfo", in);
    }

    private static void assertInvalid(ServiceFixture f, String op, ObjectNode in, String field) {
        assertThatThrownBy(() -> f.invoke(op, in)).as(in.toString())
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                    assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(field);
                });
    }

    private static void assertBadRequest(ServiceFixture f, String op, ObjectNode in, String message) {
        assertThatThrownBy(() -> f.invoke(op, in)).as(in.toString())
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private static boolean configured(ServiceFixture f, String net) {
        return !info(f, net).path("openidConnectInfo").path("companyId").asText().isEmpty();
    }

    @EveryStore
    void theTestReportsWhatTheProviderPublishesAndStoresNothing(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode out = f.invoke("RegisterOidcConfigTest", testInput(net, base + "/realm"));
            assertThat(out.get("issuer").asText()).isEqualTo(base + "/realm");
            assertThat(out.get("authorizationEndpoint").asText()).isEqualTo(base + "/realm/authorize");
            assertThat(out.get("tokenEndpoint").asText()).isEqualTo(base + "/realm/token");
            assertThat(out.get("userinfoEndpoint").asText()).isEqualTo(base + "/realm/userinfo");
            assertThat(out.get("endSessionEndpoint").asText()).isEqualTo(base + "/realm/logout");
            assertThat(out.has("revocationEndpoint")).isFalse();
            assertThat(out.get("scopesSupported")).extracting(JsonNode::asText).containsExactly("openid", "email", "profile");
            assertThat(out.get("responseTypesSupported")).hasSize(2);
            assertThat(out.get("microsoftMultiRefreshToken").asBoolean()).isFalse();
            assertThat(configured(f, net)).isFalse();
        }
    }

    @EveryStore
    void badIssuerUrlsAreRefusedBeforeAnythingIsFetched(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            int before = fetches.get();
            for (String empty : List.of("", "  ")) {
                // AWS example RegisterOidcConfigTest#2: an empty issuer is a BadRequestError.
                assertBadRequest(f, "RegisterOidcConfigTest", testInput(net, empty), "issuer is a required field");
                assertBadRequest(f, "RegisterOidcConfig", saveInput(net, "acme").put("issuer", empty),
                        "issuer is a required field");
            }
            for (String issuer : List.of("x", "ftp://" + LOOPBACK.getHostAddress() + "/realm", "file:///etc/passwd",
                    "http://", base + "/realm?tenant=1", base + "/realm#frag",
                    "http://admin:pw@" + LOOPBACK.getHostAddress() + "/realm", "https://bad host/")) {
                assertInvalid(f, "RegisterOidcConfigTest", testInput(net, issuer), "issuer");
                assertInvalid(f, "RegisterOidcConfig", saveInput(net, "acme").put("issuer", issuer), "issuer");
            }
            assertThat(fetches.get()).isEqualTo(before);
            assertThat(configured(f, net)).isFalse();
        }
    }

    @EveryStore
    void scopesMustAskForOpenid(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            for (String scopes : List.of("email profile", "", "openidx", "open id")) {
                assertInvalid(f, "RegisterOidcConfigTest", testInput(net, base + "/realm").put("scopes", scopes), "scopes");
                assertInvalid(f, "RegisterOidcConfig", saveInput(net, "acme").put("scopes", scopes), "scopes");
            }
            assertThat(f.invoke("RegisterOidcConfig", saveInput(net, "acme").put("scopes", "email,openid"))
                    .get("scopes").asText()).isEqualTo("email,openid");
        }
    }

    @EveryStore
    void aMalformedCertificateIsAValidationErrorAndProviderTroubleIsABadRequest(Supplier<Database> store)
            throws IOException {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            assertInvalid(f, "RegisterOidcConfigTest",
                    testInput(net, base + "/realm").put("certificate", "-----BEGIN CERTIFICATE-----\nnope\n"), "certificate");
            assertThatThrownBy(() -> f.invoke("RegisterOidcConfigTest", testInput(net, base + "/down")))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("HTTP 503");
                    });
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
                closed = s.getLocalPort();
            }
            String unreachable = "http://" + LOOPBACK.getHostAddress() + ":" + closed;
            assertThatThrownBy(() -> f.invoke("RegisterOidcConfigTest", testInput(net, unreachable)))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("Could not connect");
                    });
        }
    }

    @EveryStore
    void savingStoresTheConfigurationWithItsDefaults(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode in = saveInput(net, "acme-corp");
            in.put("userId", "wickr-client");
            in.put("secret", "hunter2");
            in.put("customUsername", "preferred_username");
            in.put("extraAuthParams", "prompt=login");
            ObjectNode saved = f.invoke("RegisterOidcConfig", in);
            assertThat(saved.get("companyId").asText()).isEqualTo("UE1-acme-corp");
            assertThat(saved.get("issuer").asText()).isEqualTo("https://login.example.com/realms/wickr");
            assertThat(saved.get("scopes").asText()).isEqualTo("openid email");
            assertThat(saved.get("userId").asText()).isEqualTo("wickr-client");
            assertThat(saved.get("clientId").asText()).isEqualTo("wickr-client");
            assertThat(saved.get("secret").asText()).isEqualTo("hunter2");
            assertThat(saved.get("clientSecret").asText()).isEqualTo("hunter2");
            assertThat(saved.get("customUsername").asText()).isEqualTo("preferred_username");
            assertThat(saved.get("extraAuthParams").asText()).isEqualTo("prompt=login");
            assertThat(saved.get("ssoTokenBufferMinutes").asInt()).isEqualTo(SsoOperations.DEFAULT_TOKEN_BUFFER_MINUTES);
            assertThat(saved.get("applicationId").asInt()).isEqualTo(1);
            assertThat(saved.get("applicationName").asText()).isEqualTo("wickr-local-" + net);
            assertThat(saved.get("redirectUrl").asText()).isEqualTo(SsoOperations.redirectUrl(net));
            assertThat(info(f, net).get("openidConnectInfo")).isEqualTo(saved);
        }
    }

    @EveryStore
    void aSecondSaveReplacesTheFirstWhole(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.invoke("RegisterOidcConfig", saveInput(net, "first").put("customUsername", "upn").put("secret", "s"));
            f.invoke("RegisterOidcConfig", saveInput(net, "second").put("ssoTokenBufferMinutes", 60));
            JsonNode now = info(f, net).get("openidConnectInfo");
            assertThat(now.get("companyId").asText()).isEqualTo("UE1-second");
            assertThat(now.get("ssoTokenBufferMinutes").asInt()).isEqualTo(60);
            assertThat(now.has("customUsername")).isFalse();
            assertThat(now.has("secret")).isFalse();
        }
    }

    @EveryStore
    void invalidSettingsChangeNothing(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.invoke("RegisterOidcConfig", saveInput(net, "kept"));
            for (int minutes : List.of(0, -5, 61, 100000)) {
                assertInvalid(f, "RegisterOidcConfig", saveInput(net, "new").put("ssoTokenBufferMinutes", minutes),
                        "ssoTokenBufferMinutes");
            }
            // AWS examples RegisterOidcConfig#2 and #3; live: SMonaghan/terraform-provider-aws
            // internal/service/wickr/oidc_config.go (companyId needs a Wickr region prefix such as UE1-).
            ObjectNode empty = saveInput(net, "x").put("companyId", "");
            assertBadRequest(f, "RegisterOidcConfig", empty, "Company ID is required");
            for (String companyId : List.of("UE1-has space", "UE1-" + "x".repeat(61), "UE1-semi;colon", "invalid-company123",
                    "acme", "UE1-", "eu-west-2-acme", "ue1-acme", "UE12-acme")) {
                assertBadRequest(f, "RegisterOidcConfig", saveInput(net, "x").put("companyId", companyId), "Invalid companyId");
            }
            for (String companyId : List.of("UE1-acme", "AS1-acme", "us-east-1-company123")) {
                assertThat(f.invoke("RegisterOidcConfig", saveInput(net, "x").put("companyId", companyId))
                        .get("companyId").asText()).isEqualTo(companyId);
            }
            f.invoke("RegisterOidcConfig", saveInput(net, "kept"));
            assertThat(info(f, net).get("openidConnectInfo").get("companyId").asText()).isEqualTo("UE1-kept");
            assertThat(f.invoke("RegisterOidcConfig", saveInput(net, "edge").put("ssoTokenBufferMinutes", 1))
                    .get("ssoTokenBufferMinutes").asInt()).isEqualTo(1);
        }
    }

    @EveryStore
    void savingDoesNotContactTheProvider(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            int before = fetches.get();
            f.invoke("RegisterOidcConfig", saveInput(net, "acme").put("issuer", base + "/down"));
            assertThat(fetches.get()).isEqualTo(before);
            assertThat(info(f, net).get("openidConnectInfo").get("issuer").asText()).isEqualTo(base + "/down");
        }
    }

    @EveryStore
    void theTokenExchangeIsNotEmulatedAndItsSecretsAreNotEchoed(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.invoke("RegisterOidcConfig", saveInput(net, "acme"));
            ObjectNode in = Json.object();
            in.put("networkId", net);
            in.put("code", "auth-code-123");
            in.put("clientSecret", "very-secret-value");
            assertThatThrownBy(() -> f.invoke("GetOidcInfo", in))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("token exchange").contains("code").contains("clientSecret")
                                .doesNotContain("very-secret-value").doesNotContain("auth-code-123");
                    });
        }
    }

    @EveryStore
    void theClientSecretIsStoredEncryptedAndGetOidcInfoStillReturnsIt(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            f.invoke("RegisterOidcConfig", saveInput(net, "acme").put("userId", "wickr-client").put("secret", "hunter2"));
            f.invoke("RegisterOidcConfig", saveInput(other, "other").put("secret", "other-secret"));
            String raw = f.database.transaction(tx -> tx.one("SELECT config FROM oidc_configs WHERE network_id = ?",
                    rs -> rs.getString(1), net)).orElseThrow();
            assertThat(raw).startsWith("v1:").doesNotContain("hunter2");
            JsonNode got = info(f, net).get("openidConnectInfo");
            assertThat(got.get("secret").asText()).isEqualTo("hunter2");
            assertThat(got.get("clientSecret").asText()).isEqualTo("hunter2");
            // the stored document moved to the other network's row does not decrypt there
            f.database.transaction(tx -> tx.update("UPDATE oidc_configs SET config = ? WHERE network_id = ?", raw, other));
            assertThatThrownBy(() -> info(f, other)).isInstanceOf(io.wickrlocal.store.StoreException.class)
                    .hasMessageContaining("network " + other + " cannot be decrypted").hasMessageNotContaining("hunter2");
        }
    }

    @EveryStore
    void configurationsBelongToTheirNetworkAndOwner(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            f.invoke("RegisterOidcConfig", saveInput(net, "acme"));
            assertThat(configured(f, other)).isFalse();
            Call stranger = new Call("999999999999", "us-east-1", "other", "req");
            ObjectNode get = Json.object();
            get.put("networkId", net);
            for (var attempt : List.of(
                    List.of("GetOidcInfo", get),
                    List.of("RegisterOidcConfig", saveInput(net, "evil")),
                    List.of("RegisterOidcConfigTest", testInput(net, base + "/realm")))) {
                assertThatThrownBy(() -> f.invoke((String) attempt.get(0), stranger, (ObjectNode) attempt.get(1)))
                        .isInstanceOfSatisfying(ServiceException.class,
                                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            }
            assertThat(info(f, net).get("openidConnectInfo").get("companyId").asText()).isEqualTo("UE1-acme");
        }
    }

    @Test
    void microsoftIssuersAreRecognisedByHost() {
        assertThat(OidcIssuer.parse("https://login.microsoftonline.com/tenant-id/v2.0").isMicrosoft()).isTrue();
        assertThat(OidcIssuer.parse("https://sts.windows.net/tenant-id/").isMicrosoft()).isTrue();
        assertThat(OidcIssuer.parse("https://contoso.b2clogin.com/tenant/v2.0").isMicrosoft()).isTrue();
        assertThat(OidcIssuer.parse("https://login.microsoftonline.com.evil.example/x").isMicrosoft()).isFalse();
        assertThat(OidcIssuer.parse("https://accounts.google.com").isMicrosoft()).isFalse();
    }
}
