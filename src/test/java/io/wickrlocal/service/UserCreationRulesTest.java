package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.EveryStore;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SqliteDatabase;
import io.wickrlocal.store.TestPostgres;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UserCreationRulesTest {

    private static ObjectNode batch(String networkId, String group, List<String> usernames) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        ArrayNode list = in.putArray("users");
        for (String name : usernames) {
            ObjectNode u = list.addObject();
            u.put("username", name);
            u.putArray("securityGroupIds").add(group);
        }
        return in;
    }

    private static List<String> reasons(JsonNode failed) {
        List<String> out = new ArrayList<>();
        failed.forEach(f -> out.add(f.get("userId").asText() + " " + f.get("field").asText() + ": "
                + f.get("reason").asText()));
        return out;
    }

    @EveryStore
    void eachItemIsJudgedAgainstTheStoreAndTheItemsBeforeIt(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String group = f.defaultGroup(net);
            f.invoke("BatchCreateUser", batch(net, group, List.of("taken@example.com")));
            ObjectNode bot = Json.object();
            bot.put("networkId", net);
            bot.put("username", "helperbot");
            bot.put("groupId", group);
            bot.put("challenge", "Secret-123456");
            f.invoke("CreateBot", bot);

            ObjectNode in = batch(net, group, List.of("new@example.com", "TAKEN@example.com", "HelperBot",
                    "New@Example.com", "", "other@example.com"));
            ((ObjectNode) in.get("users").get(5)).putArray("securityGroupIds").add("nosuchgroup");
            ObjectNode out = f.invoke("BatchCreateUser", in);

            assertThat(out.get("successful")).hasSize(1);
            assertThat(out.get("successful").get(0).get("username").asText()).isEqualTo("new@example.com");
            // AWS example BatchCreateUser#2: userId "0", the member alone, in the order of the request's users.
            assertThat(reasons(out.get("failed"))).containsExactly(
                    "0 username: User already exists",
                    "0 username: User already exists",
                    "0 username: User already exists",
                    "0 username: username must not be empty",
                    "0 securityGroupIds: Security group nosuchgroup does not exist in this network");
        }
    }

    /** The contract sets no limit on the list; more ids than a database takes as parameters are still judged. */
    @EveryStore
    void aUserWithSeventyThousandGroupIdsIsRefusedForTheUnknownOnes(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String group = f.defaultGroup(net);
            ObjectNode in = batch(net, group, List.of("many@example.com"));
            ArrayNode groups = ((ObjectNode) in.get("users").get(0)).putArray("securityGroupIds");
            groups.add(group);
            for (int i = 0; i < 70_000; i++) {
                groups.add("g" + i);
            }
            ObjectNode out = f.invoke("BatchCreateUser", in);
            assertThat(out.get("successful")).isEmpty();
            assertThat(reasons(out.get("failed"))).containsExactly(
                    "0 securityGroupIds: Security group g0 does not exist in this network");

            String userId = f.users(net, "few", 1, null).get(0);
            ObjectNode update = Json.object();
            update.put("networkId", net);
            update.put("userId", userId);
            update.putObject("userDetails").set("securityGroupIds", groups);
            assertThatThrownBy(() -> f.invoke("UpdateUser", update)).isInstanceOf(ServiceException.class)
                    .hasMessageContaining("Security group g0 does not exist");
        }
    }

    /** Every store, PostgreSQL with a single attempt a transaction: a creation that conflicts fails the test. */
    static Stream<Named<Supplier<Database>>> storesWithoutRetries() {
        return Stream.of(
                Named.of("sqlite in memory", SqliteDatabase::inMemory),
                Named.of("postgresql, one attempt", () -> PostgresDatabase.open(
                        DatabaseUrl.parse(TestPostgres.newDatabaseUrl()), new PoolSettings(8, 5_000, 30_000, 1),
                        TestPostgres.KEY)));
    }

    /**
     * Many clients filling networks at once (the way a directory sync or a parallel test suite does): every
     * call succeeds for every user without a single retry, on PostgreSQL too, where concurrent serializable
     * creations used to abort each other (4 % of calls from 8 clients ran out of their retries).
     */
    @ParameterizedTest
    @MethodSource("storesWithoutRetries")
    void concurrentCreationsAllSucceedAndTheCountsStayExact(Supplier<Database> store) throws Exception {
        int clients = 8;
        int callsEach = 5;
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            List<String> networks = List.of(f.network(), f.network());
            List<String> groups = List.of(f.defaultGroup(networks.get(0)), f.defaultGroup(networks.get(1)));
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Set<String>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    Set<String> ids = new HashSet<>();
                    int n = client % 2;
                    for (int call = 0; call < callsEach; call++) {
                        List<String> names = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            names.add("c" + client + "-" + call + "-" + i + "@example.com");
                        }
                        ObjectNode out = f.invoke("BatchCreateUser", batch(networks.get(n), groups.get(n), names));
                        assertThat(out.get("failed")).isEmpty();
                        out.get("successful").forEach(u -> ids.add(u.get("userId").asText()));
                    }
                    return ids;
                }));
            }
            Set<String> all = new HashSet<>();
            for (Future<Set<String>> r : results) {
                all.addAll(r.get());
            }
            pool.shutdown();

            int perNetwork = clients / 2 * callsEach * 50;
            assertThat(all).hasSize(clients * callsEach * 50);
            for (String net : networks) {
                ObjectNode in = Json.object();
                in.put("networkId", net);
                ObjectNode count = f.invoke("GetUsersCount", in);
                assertThat(count.get("pending").asInt()).isEqualTo(perNetwork);
                assertThat(count.get("total").asInt()).isEqualTo(perNetwork);
            }
        }
    }
}
