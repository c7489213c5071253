package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultPhase;
import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.FaultRule;
import io.wickrlocal.protocol.faults.ThrottleLimit;
import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.store.SqliteDatabase;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Injected faults and throttling over real HTTP, as the AWS clients see them. */
class FaultsHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WickrLocalServer server;
    private static SignedClient client;

    @BeforeAll
    static void start() throws Exception {
        server = WickrLocalServer.start(ServerSettings.defaults().withPort(0), SqliteDatabase.inMemory());
        client = new SignedClient(server.endpoint(), "test", "test", "us-east-1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void clearFaults() {
        server.faults().clear();
    }

    @Test
    void anErrorBeforeTheOperationChangesNothingAndLooksLikeTheModeledError() throws Exception {
        String net = network();
        String user = user(net);
        server.faults().replace(FaultPlan.of(FaultRule.on("BatchToggleUserSuspendStatus").withId("storm")
                .withError(FaultError.RATE_LIMIT).withCount(1)));
        HttpResponse<String> r = toggle(net, user, true, "tok-before-1");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("RateLimitError");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.size()).as("only the modeled member").isEqualTo(1);
        assertThat(body.get("message").asText()).contains("not carried out", "'storm'");
        assertThat(suspended(net, user)).isFalse();

        HttpResponse<String> retry = toggle(net, user, true, "tok-before-1");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(suspended(net, user)).isTrue();
    }

    @Test
    void anErrorAfterTheOperationKeepsTheChangeAndTheRetryGetsTheFirstAnswer() throws Exception {
        String net = network();
        String user = user(net);
        server.faults().replace(FaultPlan.of(FaultRule.on("BatchToggleUserSuspendStatus")
                .withError(FaultError.INTERNAL_SERVER_ERROR).withPhase(FaultPhase.AFTER).withCount(1)));
        HttpResponse<String> lost = toggle(net, user, true, "tok-after-1");
        assertThat(lost.statusCode()).isEqualTo(500);
        assertThat(lost.headers().firstValue("x-amzn-ErrorType")).hasValue("InternalServerError");
        assertThat(JSON.readTree(lost.body()).get("message").asText()).contains("was carried out");
        assertThat(suspended(net, user)).as("the change was committed").isTrue();

        // Someone else unsuspends the user before the retry arrives: the retry must change nothing.
        assertThat(toggle(net, user, false, "tok-other").statusCode()).isEqualTo(200);
        HttpResponse<String> retry = toggle(net, user, true, "tok-after-1");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body()).get("successful").get(0).get("userId").asText()).isEqualTo(user);
        assertThat(suspended(net, user)).as("the retry was answered from the first result").isFalse();
        assertThat(server.faults().rules().get(0).fired()).isEqualTo(1);
    }

    @Test
    void latencyDelaysTheAnswerWithoutHoldingItBack() throws Exception {
        String net = network();
        server.faults().replace(FaultPlan.of(FaultRule.on("GetNetwork").withLatencyMs(400).withCount(1),
                FaultRule.on("GetNetwork").withLatencyMs(300).withPhase(FaultPhase.AFTER).withCount(1)));
        long start = System.nanoTime();
        HttpResponse<String> r = client.send("GET", "/networks/" + net, null);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(tookMs).isGreaterThanOrEqualTo(700);
        start = System.nanoTime();
        assertThat(client.send("GET", "/networks/" + net, null).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("both rules spent").isLessThan(400);
    }

    @Test
    void faultsComeAfterAuthenticationAndRoutingAndNeverTouchLocalOperations() throws Exception {
        server.faults().replace(FaultPlan.of(FaultRule.on("*").withError(FaultError.INTERNAL_SERVER_ERROR)));
        assertThat(client.unsigned("GET", "/networks", new byte[0]).statusCode()).isEqualTo(403);
        assertThat(client.send("GET", "/no/such/path", null).statusCode()).isEqualTo(404);
        assertThat(client.send("GET", "/networks", null).statusCode()).isEqualTo(500);
        assertThat(client.unsigned("GET", "/_local/health", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(client.send("GET", "/_local/faults", null).statusCode()).isEqualTo(200);
        assertThat(client.send("GET", "/_local/networks/12345678/users/1/sessions", null).statusCode())
                .as("a /_local operation answers for itself").isEqualTo(404);
    }

    @Test
    void theFaultsEndpointReadsReplacesAddsAndClears() throws Exception {
        HttpResponse<String> put = client.send("PUT", "/_local/faults", """
                {"seed": 5, "rules": [{"id": "lost", "operation": "BatchToggleUserSuspendStatus",
                  "error": "InternalServerError", "phase": "after", "count": 2}]}""");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree("""
                {"seed": 5, "rules": [{"id": "lost", "operation": "BatchToggleUserSuspendStatus",
                  "error": "InternalServerError", "phase": "before", "count": 2, "owner": "operator",
                  "remaining": 2, "matched": 0, "fired": 0}]}""".replace("\"before\"", "\"after\"")));

        HttpResponse<String> add = client.send("POST", "/_local/faults",
                "{\"rules\": [{\"operation\": \"*\", \"latencyMs\": 5, \"probability\": 0.5}]}");
        assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
        JsonNode rules = JSON.readTree(add.body()).get("rules");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(1).get("id").asText()).isEqualTo("rule-2");
        assertThat(rules.get(1).get("probability").asDouble()).isEqualTo(0.5);
        assertThat(rules.get(1).has("remaining")).isFalse();
        assertThat(JSON.readTree(client.send("GET", "/_local/faults", null).body()).get("rules")).isEqualTo(rules);

        HttpResponse<String> cleared = client.send("DELETE", "/_local/faults", null);
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cleared.body()).get("rules")).isEmpty();
        assertThat(JSON.readTree(cleared.body()).has("throttle")).as("throttling is off").isFalse();
    }

    @Test
    void badRulesAreValidationErrorsNamingTheField() throws Exception {
        assertReason(client.send("PUT", "/_local/faults",
                "{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 30000}]}"), "rules[0].latencyMs");
        assertReason(client.send("PUT", "/_local/faults",
                "{\"rules\": [{\"operation\": \"GetUser\", \"error\": \"Teapot\"}]}"), "rules[0].error");
        assertReason(client.send("PUT", "/_local/faults",
                "{\"rules\": [{\"operation\": \"GetUser\", \"error\": \"RateLimitError\", \"probability\": 2}]}"),
                "rules[0].probability");
        assertReason(client.send("PUT", "/_local/faults",
                "{\"rules\": [{\"operation\": \"GetUsr\", \"error\": \"RateLimitError\"}]}"), "rules[0].operation");
        assertReason(client.send("POST", "/_local/faults",
                "{\"rules\": [{\"operation\": \"GetUser\", \"eror\": \"RateLimitError\"}]}"), "rules[0].eror");
        assertReason(client.send("POST", "/_local/faults", "{\"rules\": []}"), "rules");
        assertReason(client.send("PUT", "/_local/faults", "{}"), "rules");
        assertThat(server.faults().rules()).isEmpty();
        assertThat(client.unsigned("GET", "/_local/faults", new byte[0]).statusCode()).isEqualTo(403);
    }

    @Test
    void throttlingRefusesCallsBeyondTheBucketPerAccountAndOperation() throws Exception {
        try (WickrLocalServer throttled = WickrLocalServer.start(ServerSettings.defaults().withPort(0)
                .withThrottle(new ThrottleLimit(0.001, 2)).withCredentials(List.of(
                        new Credential("A", "a", "111111111111"), new Credential("B", "b", "222222222222"))),
                SqliteDatabase.inMemory())) {
            SignedClient a = new SignedClient(throttled.endpoint(), "A", "a", "us-east-1");
            SignedClient b = new SignedClient(throttled.endpoint(), "B", "b", "us-east-1");
            assertThat(a.send("GET", "/networks", null).statusCode()).isEqualTo(200);
            assertThat(a.send("GET", "/networks", null).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = a.send("GET", "/networks", null);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("RateLimitError");
            assertThat(JSON.readTree(refused.body()).get("message").asText()).isEqualTo("Too many requests sent");
            assertThat(b.send("GET", "/networks", null).statusCode()).as("another account").isEqualTo(200);
            assertThat(a.send("GET", "/networks/12345678", null).statusCode()).as("another operation").isEqualTo(404);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> local = a.send("GET", "/_local/faults", null);
                assertThat(local.statusCode()).as("/_local is never throttled").isEqualTo(200);
                assertThat(JSON.readTree(local.body()).get("throttle")).isEqualTo(
                        JSON.readTree("{\"ratePerSecond\": 0.001, \"burst\": 2}"));
            }
        }
    }

    @Test
    void aFaultPlanGivenAtStartIsInForceAtOnce() throws Exception {
        try (WickrLocalServer faulty = WickrLocalServer.start(ServerSettings.defaults().withPort(0).withFaults(
                FaultPlan.parse("{\"rules\": [{\"operation\": \"ListNetworks\", \"error\": \"RateLimitError\","
                        + " \"count\": 1}]}")), SqliteDatabase.inMemory())) {
            SignedClient c = new SignedClient(faulty.endpoint(), "test", "test", "us-east-1");
            assertThat(c.send("GET", "/networks", null).statusCode()).isEqualTo(429);
            assertThat(c.send("GET", "/networks", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLatencyLongerThanTheIdleTimeoutStillGetsItsAnswer() throws Exception {
        ServerSettings d = ServerSettings.defaults();
        ServerSettings shortIdle = new ServerSettings(d.host(), 0, d.credentials(), d.maxBodyBytes(),
                d.maxHeaderBytes(), 300, d.maxThreads(), FaultPlan.of(FaultRule.on("ListNetworks").withLatencyMs(900)),
                null, d.maxConnections(), d.bounds(), d.clock());
        try (WickrLocalServer slow = WickrLocalServer.start(shortIdle, SqliteDatabase.inMemory())) {
            HttpResponse<String> r = new SignedClient(slow.endpoint(), "test", "test", "us-east-1")
                    .send("GET", "/networks", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static void assertReason(HttpResponse<String> r, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationError");
        assertThat(JSON.readTree(r.body()).get("reasons")).extracting(n -> n.get("field").asText()).contains(field);
    }

    private static String network() throws Exception {
        HttpResponse<String> r = client.send("POST", "/networks", "{\"networkName\":\"faults\",\"accessLevel\":\"STANDARD\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("networkId").asText();
    }

    private static String user(String net) throws Exception {
        HttpResponse<String> groups = client.send("GET", "/networks/" + net + "/security-groups", null);
        String group = JSON.readTree(groups.body()).get("securityGroups").get(0).get("id").asText();
        HttpResponse<String> r = client.send("POST", "/networks/" + net + "/users", "{\"users\": [{\"username\":"
                + " \"u" + System.nanoTime() + "@example.com\", \"securityGroupIds\": [\"" + group + "\"]}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("successful").get(0).get("userId").asText();
    }

    private static HttpResponse<String> toggle(String net, String user, boolean suspend, String token) throws Exception {
        return client.send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=" + suspend,
                ("{\"userIds\": [\"" + user + "\"]}").getBytes(), Map.of("X-Client-Token", token));
    }

    private static boolean suspended(String net, String user) throws Exception {
        HttpResponse<String> r = client.send("GET", "/networks/" + net + "/users/" + user, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("suspended").asBoolean();
    }
}
