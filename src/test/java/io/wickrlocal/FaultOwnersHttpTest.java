package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.FaultRule;
import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.store.SqliteDatabase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault rules belong to an owner, over real HTTP with two ordinary accounts and an operator: an
 * account's rules act on its own calls and are shown to it alone; the operator's act where they say.
 */
class FaultOwnersHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String OP = "999999999999";
    private static WickrLocalServer server;
    private static SignedClient a;
    private static SignedClient b;
    private static SignedClient op;

    @BeforeAll
    static void start() throws Exception {
        server = WickrLocalServer.start(ServerSettings.defaults().withPort(0).withCredentials(List.of(
                new Credential("AKA", "secret-a", A), new Credential("AKB", "secret-b", B),
                new Credential("AKOP", "secret-op", OP, true))), SqliteDatabase.inMemory());
        a = new SignedClient(server.endpoint(), "AKA", "secret-a", "us-east-1");
        b = new SignedClient(server.endpoint(), "AKB", "secret-b", "us-east-1");
        op = new SignedClient(server.endpoint(), "AKOP", "secret-op", "us-east-1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void noRulesLeft() throws Exception {
        for (SignedClient c : List.of(a, b, op)) {
            ok(c.send("DELETE", "/_local/faults", null));
        }
        server.faults().clear();
    }

    @Test
    void anAccountsRuleActsOnItsOwnCallsOnly() throws Exception {
        JsonNode put = ok(b.send("PUT", "/_local/faults",
                "{\"rules\": [{\"id\": \"down\", \"operation\": \"*\", \"error\": \"InternalServerError\"}]}"));
        JsonNode rule = put.get("rules").get(0);
        assertThat(rule.get("accountId").asText()).as("scoped to the caller").isEqualTo(B);
        assertThat(rule.get("owner").asText()).isEqualTo(B);
        assertThat(b.send("GET", "/networks", null).statusCode()).isEqualTo(500);
        assertThat(a.send("GET", "/networks", null).statusCode()).as("another account").isEqualTo(200);
        assertThat(op.send("GET", "/networks", null).statusCode()).as("the operator's account").isEqualTo(200);
        assertThat(ok(a.send("GET", "/_local/faults", null)).get("rules")).as("A sees none of B's").isEmpty();
    }

    @Test
    void anAccountsLatencyDoesNotSlowAnother() throws Exception {
        ok(b.send("PUT", "/_local/faults", "{\"rules\": [{\"operation\": \"*\", \"latencyMs\": 5000}]}"));
        CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return b.send("GET", "/networks", null).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waitUntilFired(b);
        assertThat(a.send("GET", "/networks", null).statusCode()).isEqualTo(200);
        assertThat(slow).as("A is answered while B's call still waits").isNotDone();
        assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void aRuleNamingAnotherAccountNeedsTheOperatorRoleAndChangesNothing() throws Exception {
        ok(a.send("PUT", "/_local/faults", "{\"rules\": [{\"id\": \"mine\", \"operation\": \"GetUser\","
                + " \"latencyMs\": 1}]}"));
        ok(b.send("PUT", "/_local/faults", "{\"rules\": [{\"id\": \"own\", \"operation\": \"GetUser\","
                + " \"latencyMs\": 1}]}"));
        String aimed = "{\"rules\": [{\"operation\": \"*\", \"latencyMs\": 1}, {\"operation\": \"*\", \"accountId\": \""
                + A + "\", \"error\": \"InternalServerError\"}]}";
        for (String method : List.of("PUT", "POST")) {
            HttpResponse<String> refused = b.send(method, "/_local/faults", aimed);
            assertThat(refused.statusCode()).as(method + " " + refused.body()).isEqualTo(403);
            assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("ForbiddenError");
            assertThat(JSON.readTree(refused.body()).get("message").asText())
                    .contains("operator role", "rules[1].accountId");
        }
        assertThat(a.send("GET", "/networks", null).statusCode()).isEqualTo(200);
        assertThat(ids(b.send("GET", "/_local/faults", null))).containsExactly("own");
        assertThat(ids(a.send("GET", "/_local/faults", null))).containsExactly("mine");
        // Naming its own account is allowed.
        ok(b.send("POST", "/_local/faults", "{\"rules\": [{\"id\": \"named\", \"operation\": \"*\", \"accountId\": \""
                + B + "\", \"latencyMs\": 1}]}"));
        assertThat(ids(b.send("GET", "/_local/faults", null))).containsExactly("own", "named");
    }

    @Test
    void oneAccountsPutAndDeleteLeaveTheOtherAccountsAndTheOperatorsRules() throws Exception {
        ok(op.send("PUT", "/_local/faults", "{\"rules\": [{\"id\": \"server\", \"operation\": \"GetNetwork\","
                + " \"error\": \"RateLimitError\"}]}"));
        ok(a.send("PUT", "/_local/faults", "{\"rules\": [{\"id\": \"a-down\", \"operation\": \"ListNetworks\","
                + " \"error\": \"InternalServerError\"}]}"));
        ok(b.send("PUT", "/_local/faults", "{\"rules\": [{\"id\": \"b-slow\", \"operation\": \"ListNetworks\","
                + " \"latencyMs\": 1}]}"));
        JsonNode cleared = ok(b.send("DELETE", "/_local/faults", null));
        assertThat(cleared.get("rules")).extracting(r -> r.get("id").asText() + "/" + r.get("owner").asText())
                .containsExactly("server/operator");
        ok(b.send("PUT", "/_local/faults", "{\"rules\": []}"));
        assertThat(a.send("GET", "/networks", null).statusCode()).as("A's rule still acts").isEqualTo(500);
        assertThat(a.send("GET", "/networks/12345678", null).statusCode()).as("so does the operator's")
                .isEqualTo(429);
        assertThat(b.send("GET", "/networks/12345678", null).statusCode()).isEqualTo(429);
        assertThat(ids(a.send("GET", "/_local/faults", null))).containsExactly("server", "a-down");
        // The operator's DELETE clears the server's plan and leaves the accounts' own.
        ok(op.send("DELETE", "/_local/faults", null));
        assertThat(ids(a.send("GET", "/_local/faults", null))).containsExactly("a-down");
    }

    @Test
    void theOperatorTargetsOneAccountAndEachAccountSeesOnlyWhatAppliesToIt() throws Exception {
        ok(op.send("PUT", "/_local/faults", "{\"seed\": 11, \"rules\": ["
                + "{\"id\": \"for-a\", \"operation\": \"ListNetworks\", \"accountId\": \"" + A + "\","
                + " \"error\": \"InternalServerError\"},"
                + "{\"id\": \"for-all\", \"operation\": \"GetNetwork\", \"latencyMs\": 1}]}"));
        ok(a.send("PUT", "/_local/faults", "{\"seed\": 12, \"rules\": [{\"id\": \"a-own\", \"operation\": \"GetUser\","
                + " \"latencyMs\": 1}]}"));
        assertThat(a.send("GET", "/networks", null).statusCode()).isEqualTo(500);
        assertThat(b.send("GET", "/networks", null).statusCode()).isEqualTo(200);

        HttpResponse<String> seenByB = b.send("GET", "/_local/faults", null);
        assertThat(owned(seenByB)).containsExactly("for-all/operator");
        assertThat(seenByB.body()).as("no id of another account").doesNotContain(A, OP);
        assertThat(JSON.readTree(seenByB.body()).get("seed").asLong()).as("B's own seed").isNotIn(11L, 12L);
        assertThat(JSON.readTree(seenByB.body()).get("rules").get(0).has("matched"))
                .as("the counts of a rule for every account, which count the other accounts' calls").isFalse();

        HttpResponse<String> seenByA = a.send("GET", "/_local/faults", null);
        assertThat(owned(seenByA)).containsExactly("for-a/operator", "for-all/operator", "a-own/" + A);
        assertThat(JSON.readTree(seenByA.body()).get("seed").asLong()).isEqualTo(12);
        assertThat(JSON.readTree(seenByA.body()).get("rules").get(0).get("fired").asLong()).isEqualTo(1);

        JsonNode all = ok(op.send("GET", "/_local/faults", null));
        assertThat(all.get("seed").asLong()).isEqualTo(11);
        assertThat(all.get("rules")).extracting(r -> r.get("id").asText() + "/" + r.get("owner").asText())
                .containsExactly("for-a/operator", "for-all/operator", "a-own/" + A);
    }

    @Test
    void aStartUpPlanRuleForOneAccountActsOnItOnlyAndOnlyItSeesIt() throws Exception {
        try (WickrLocalServer faulty = WickrLocalServer.start(ServerSettings.defaults().withPort(0)
                .withCredentials(List.of(new Credential("AKA", "secret-a", A), new Credential("AKB", "secret-b", B)))
                .withFaults(FaultPlan.parse("{\"rules\": [{\"id\": \"file\", \"operation\": \"ListNetworks\","
                        + " \"accountId\": \"" + A + "\", \"error\": \"RateLimitError\"}]}")),
                SqliteDatabase.inMemory())) {
            SignedClient fa = new SignedClient(faulty.endpoint(), "AKA", "secret-a", "us-east-1");
            SignedClient fb = new SignedClient(faulty.endpoint(), "AKB", "secret-b", "us-east-1");
            assertThat(fa.send("GET", "/networks", null).statusCode()).isEqualTo(429);
            assertThat(fb.send("GET", "/networks", null).statusCode()).isEqualTo(200);
            assertThat(owned(fa.send("GET", "/_local/faults", null))).containsExactly("file/operator");
            HttpResponse<String> seenByB = fb.send("GET", "/_local/faults", null);
            assertThat(owned(seenByB)).isEmpty();
            assertThat(seenByB.body()).doesNotContain(A);
            HttpResponse<String> cleared = fb.send("DELETE", "/_local/faults", null);
            assertThat(cleared.statusCode()).isEqualTo(200);
            assertThat(fa.send("GET", "/networks", null).statusCode()).as("B cannot clear it").isEqualTo(429);
        }
    }

    @Test
    void anAccountsSeededDrawsRepeatWhateverAnotherAccountCalls() throws Exception {
        String plan = "{\"seed\": 20261128, \"rules\": [{\"operation\": \"ListNetworks\", \"error\": \"RateLimitError\","
                + " \"probability\": 0.5}]}";
        ok(a.send("PUT", "/_local/faults", plan));
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            alone.add(a.send("GET", "/networks", null).statusCode());
        }
        assertThat(alone).contains(200, 429);
        ok(a.send("PUT", "/_local/faults", plan));
        ok(b.send("PUT", "/_local/faults", plan.replace("20261128", "7")));
        List<Integer> interleaved = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            interleaved.add(a.send("GET", "/networks", null).statusCode());
            b.send("GET", "/networks", null);
            b.send("GET", "/networks", null);
        }
        assertThat(interleaved).isEqualTo(alone);
    }

    @Test
    void eachOwnerHasItsOwnBoundOnRules() throws Exception {
        String hundred = "{\"rules\": [" + IntStream.range(0, FaultPlan.MAX_RULES)
                .mapToObj(i -> "{\"operation\": \"GetUser\", \"latencyMs\": 1}").collect(Collectors.joining(", "))
                + "]}";
        ok(a.send("PUT", "/_local/faults", hundred));
        ok(b.send("PUT", "/_local/faults", hundred.replace("GetUser", "ListUsers")));
        HttpResponse<String> more = a.send("POST", "/_local/faults",
                "{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 1}]}");
        assertThat(more.statusCode()).as(more.body()).isEqualTo(422);
        assertThat(JSON.readTree(more.body()).get("reasons").get(0).get("reason").asText()).contains("at most 100");
        assertThat(ok(a.send("GET", "/_local/faults", null)).get("rules")).hasSize(FaultPlan.MAX_RULES)
                .allSatisfy(r -> assertThat(r.get("operation").asText()).as("A's own").isEqualTo("GetUser"));
        assertThat(ok(b.send("GET", "/_local/faults", null)).get("rules")).hasSize(FaultPlan.MAX_RULES);
    }

    @Test
    void theJavaApiInstallsServerRulesForAnyAccount() throws Exception {
        server.faults().add(List.of(FaultRule.on("ListNetworks").withAccountId(B).withError(FaultError.RATE_LIMIT)));
        assertThat(b.send("GET", "/networks", null).statusCode()).isEqualTo(429);
        assertThat(a.send("GET", "/networks", null).statusCode()).isEqualTo(200);
        assertThat(owned(b.send("GET", "/_local/faults", null))).containsExactly("rule-1/operator");
        assertThat(owned(a.send("GET", "/_local/faults", null))).isEmpty();
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        return SignedClient.ok(r);
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        ok(r).get("rules").forEach(rule -> out.add(rule.get("id").asText()));
        return out;
    }

    private static List<String> owned(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        ok(r).get("rules").forEach(rule -> out.add(rule.get("id").asText() + "/" + rule.path("owner").asText()));
        return out;
    }

    /** Waits (with a generous bound against hangs) until a rule the caller sees has acted. */
    private static void waitUntilFired(SignedClient caller) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ok(caller.send("GET", "/_local/faults", null)).findValues("fired").stream()
                .anyMatch(f -> f.asLong() > 0)) {
            assertThat(System.nanoTime()).as("the slow call reached the server").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
