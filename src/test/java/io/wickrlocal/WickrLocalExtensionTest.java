package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.wickrlocal.junit.WickrLocalExtension;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.FaultRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension as a test class uses it: one server for the class, handed to constructors, lifecycle
 * methods and tests, and reset before each test, so what the first test does is gone in the second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WickrLocalExtensionTest {
    @RegisterExtension
    static final WickrLocalExtension WICKR_LOCAL = WickrLocalExtension.from(WickrLocal.builder()
            .seed(WickrLocalTest.SEED)
            .faults(FaultPlan.of(FaultRule.on("GetUsersCount").withError(FaultError.INTERNAL_SERVER_ERROR)
                    .withCount(1)))
            );

    private static WickrLocal startedForTheClass;
    private static String firstTestsNetwork;

    private final WickrLocal fromConstructor;

    WickrLocalExtensionTest(WickrLocal wickr) {
        this.fromConstructor = wickr;
    }

    @BeforeAll
    static void remember(WickrLocal wickr) {
        startedForTheClass = wickr;
    }

    private static String drill(SignedClient c) throws Exception {
        JsonNode networks = SignedClient.ok(c.send("GET", "/networks", null)).get("networks");
        assertThat(networks).extracting(n -> n.get("networkName").asText()).containsExactly("Drill");
        return networks.get(0).get("networkId").asText();
    }

    private static List<String> users(SignedClient c, String network) throws Exception {
        JsonNode users = SignedClient.ok(c.send("GET", "/networks/" + network + "/users", null)).get("users");
        return java.util.stream.StreamSupport.stream(users.spliterator(), false)
                .map(u -> u.get("username").asText() + (u.get("suspended").asBoolean() ? " suspended" : "")).toList();
    }

    @Test
    @Order(1)
    void theFirstTestChangesEverything(WickrLocal wickr) throws Exception {
        assertThat(wickr).isSameAs(fromConstructor).isSameAs(startedForTheClass);
        SignedClient c = SignedClient.of(wickr);
        firstTestsNetwork = drill(c);
        assertThat(users(c, firstTestsNetwork)).containsExactlyInAnyOrder("alice@example.com", "bob@example.com suspended");
        JsonNode alice = SignedClient.ok(c.send("GET", "/networks/" + firstTestsNetwork + "/users?username=alice", null))
                .at("/users/0/userId");
        SignedClient.ok(c.send("PATCH", "/networks/" + firstTestsNetwork + "/users/toggleSuspend?suspend=true",
                "{\"userIds\":[" + alice + "]}"));
        SignedClient.ok(c.send("POST", "/networks", "{\"networkName\":\"Scratch\",\"accessLevel\":\"STANDARD\"}"));
        assertThat(c.send("GET", "/networks/" + firstTestsNetwork + "/users/count", null).statusCode()).isEqualTo(500);
        wickr.faults().add(List.of(FaultRule.on("ListNetworks").withError(FaultError.RATE_LIMIT)));
        assertThat(c.send("GET", "/networks", null).statusCode()).isEqualTo(429);
        assertThat(SignedClient.ok(c.send("GET", "/_local/audit", null)).get("events")).hasSize(2);
    }

    @Test
    @Order(2)
    void theNextTestStartsFromTheSeedWithTheBuildersFaultPlan(WickrLocal wickr) throws Exception {
        assertThat(wickr).as("one server for the class").isSameAs(startedForTheClass);
        SignedClient c = SignedClient.of(wickr);
        String network = drill(c);
        assertThat(network).as("the seed was applied again").isNotEqualTo(firstTestsNetwork);
        assertThat(users(c, network)).containsExactlyInAnyOrder("alice@example.com", "bob@example.com suspended");
        assertThat(wickr.faults().rules()).extracting(r -> r.rule().operation(), r -> r.remaining())
                .containsExactly(tuple("GetUsersCount", 1));
        assertThat(SignedClient.ok(c.send("GET", "/_local/audit", null)).get("events")).isEmpty();
    }

    @Nested
    class InANestedClass {
        @Test
        void theEnclosingClassesServerIsSharedAndResetToo(WickrLocal wickr) throws Exception {
            assertThat(wickr).isSameAs(startedForTheClass);
            SignedClient c = SignedClient.of(wickr);
            assertThat(users(c, drill(c))).containsExactlyInAnyOrder("alice@example.com", "bob@example.com suspended");
            assertThat(SignedClient.ok(c.send("GET", "/_local/audit", null)).get("events")).isEmpty();
        }
    }
}
