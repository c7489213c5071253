package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.seed.Seed;
import io.wickrlocal.seed.SeedException;
import io.wickrlocal.store.SqliteDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reset, snapshots and seeds over real HTTP: the wire format and the modeled errors. */
class StateHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PASSPHRASE = Map.of("X-Wickr-Local-Passphrase", "a long passphrase");

    private static WickrLocalServer server(Seed seed) throws Exception {
        return WickrLocalServer.start(ServerSettings.defaults().withPort(0), SqliteDatabase::inMemory, seed);
    }

    private static SignedClient client(WickrLocalServer s) {
        return new SignedClient(s.endpoint(), "test", "test", "us-east-1");
    }

    private static void error(HttpResponse<String> r, int status, String type, String mentions) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        // A ValidationError says "Validation failed"; its reasons say what.
        com.fasterxml.jackson.databind.JsonNode body = JSON.readTree(r.body());
        String detail = body.has("reasons") ? body.get("reasons").get(0).get("reason").asText() : body.get("message").asText();
        assertThat(detail).contains(mentions);
    }

    @Test
    void aSeededServerExportsResetsAndImportsItsState() throws Exception {
        Seed seed = Seed.parse("networks:\n  - name: Seeded\n    users:\n      - username: a@example.com\n"
                + "        suspended: true\n    bots:\n      - username: abot\n        password: Bot-pass-1\n", "s.yaml");
        try (WickrLocalServer one = server(seed); WickrLocalServer two = server(null)) {
            SignedClient c1 = client(one);
            SignedClient c2 = client(two);
            JsonNode networks = SignedClient.ok(c1.send("GET", "/networks", null)).get("networks");
            assertThat(networks).hasSize(1);
            String net = networks.get(0).get("networkId").asText();
            SignedClient.ok(c1.send("POST", "/networks/" + net + "/oidc/save", "{\"companyId\":\"UE1-acme\",\"issuer\":"
                    + "\"https://idp.example.com\",\"scopes\":\"openid\",\"userId\":\"cid\",\"secret\":\"top-secret\"}"));

            HttpResponse<String> exported = c1.send("GET", "/_local/snapshot", new byte[0], PASSPHRASE);
            JsonNode doc = SignedClient.ok(exported);
            assertThat(doc.get("format").asText()).isEqualTo("wickr-local-snapshot");
            assertThat(doc.get("version").asInt()).isEqualTo(1);
            assertThat(doc.at("/secrets/cipher").asText()).isEqualTo("AES-256-GCM");
            assertThat(exported.body()).doesNotContain("top-secret", "Bot-pass-1");
            JsonNode user = doc.at("/accounts/0/networks/0/users/0");
            assertThat(user.get("suspended").asBoolean()).isTrue();

            byte[] body = exported.body().getBytes(StandardCharsets.UTF_8);
            error(c2.send("POST", "/_local/snapshot", body, Map.of()), 400, "BadRequestError",
                    "X-Wickr-Local-Passphrase");
            error(c2.send("POST", "/_local/snapshot", "{\"format\":\"wickr-local-snapshot\",\"version\":1,"
                    + "\"accounts\":[{\"accountId\":\"12\",\"region\":\"us-east-1\",\"networks\":[]}]}"), 422,
                    "ValidationError", "accounts[0].accountId");
            error(c2.send("POST", "/_local/snapshot", "{\"format\":"), 400, "BadRequestError", "not valid JSON");
            JsonNode imported = SignedClient.ok(c2.send("POST", "/_local/snapshot", body, PASSPHRASE));
            assertThat(imported.get("networks").asInt()).isEqualTo(1);
            assertThat(imported.get("users").asInt()).isEqualTo(1);
            assertThat(imported.get("bots").asInt()).isEqualTo(1);
            for (String path : new String[] {"/networks/" + net + "/users", "/networks/" + net + "/bots",
                    "/networks/" + net + "/oidc", "/networks/" + net + "/users/count", "/networks"}) {
                assertThat(SignedClient.ok(c2.send("GET", path, null))).as(path).isEqualTo(SignedClient.ok(c1.send("GET", path, null)));
            }
            error(c2.send("POST", "/_local/snapshot", body, PASSPHRASE), 400, "BadRequestError", "empty account");

            JsonNode reset = SignedClient.ok(c1.send("POST", "/_local/reset", "{}"));
            assertThat(reset.get("networksDeleted").asInt()).isEqualTo(1);
            assertThat(SignedClient.ok(c1.send("GET", "/networks", null)).get("networks")).isEmpty();
            assertThat(SignedClient.ok(c1.send("POST", "/_local/reset", "{\"allAccounts\":true}")).get("networksDeleted").asInt())
                    .isZero();
            error(c1.send("POST", "/_local/reset", "{\"allAccounts\":\"yes\"}"), 422, "ValidationError",
                    "allAccounts");
        }
    }

    @Test
    void aBadSeedStopsTheStartBeforeThePortOpens() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Seed bad = Seed.parse("networks:\n  - name: Ops\n    bots:\n      - username: helper\n        password: p\n",
                "bad.yaml");
        int chosen = port;
        assertThatThrownBy(() -> WickrLocalServer.start(ServerSettings.defaults().withPort(chosen),
                SqliteDatabase::inMemory, bad)).isInstanceOf(SeedException.class)
                .hasMessageContaining("bad.yaml line 4, column 19: networks[0].bots[0].username:");
        try (ServerSocket again = new ServerSocket(chosen)) {
            assertThat(again.getLocalPort()).as("the port was never taken, or was given back").isEqualTo(chosen);
        }
    }
}
