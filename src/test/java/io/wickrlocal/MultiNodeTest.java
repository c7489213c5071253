package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SecretsKey;
import io.wickrlocal.store.SecretsKeyException;
import io.wickrlocal.store.TestPostgres;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three nodes on one PostgreSQL database, driven concurrently over HTTP. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiNodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final List<WickrLocalServer> servers = new ArrayList<>();
    private static final List<SignedClient> clients = new ArrayList<>();
    private static ExecutorService pool;
    private static DatabaseUrl url;

    @BeforeAll
    static void start() throws Exception {
        url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
        for (int i = 0; i < NODES; i++) {
            WickrLocalServer s = WickrLocalServer.start(ServerSettings.defaults().withPort(0),
                    () -> PostgresDatabase.open(url, PoolSettings.defaults().withMaxConnections(6), TestPostgres.KEY));
            servers.add(s);
            clients.add(new SignedClient(s.endpoint(), "test", "test", "us-east-1"));
        }
        pool = Executors.newFixedThreadPool(12);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        servers.forEach(WickrLocalServer::close);
    }

    private static SignedClient node(int i) {
        return clients.get(Math.floorMod(i, NODES));
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String network(int onNode) throws Exception {
        return ok(node(onNode).send("POST", "/networks", "{\"networkName\":\"multi\",\"accessLevel\":\"STANDARD\"}"))
                .get("networkId").asText();
    }

    private static String defaultGroup(int onNode, String net) throws Exception {
        for (JsonNode g : ok(node(onNode).send("GET", "/networks/" + net + "/security-groups", null)).get("securityGroups")) {
            if (g.get("isDefault").asBoolean()) {
                return g.get("id").asText();
            }
        }
        throw new AssertionError("no default group");
    }

    private static String usersBody(String prefix, int n, String group) {
        StringBuilder b = new StringBuilder("{\"users\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"username\":\"").append(prefix).append(i)
                    .append("@example.com\",\"securityGroupIds\":[\"").append(group).append("\"]}");
        }
        return b.append("]}").toString();
    }

    private static List<String> createUsers(int onNode, String net, String prefix, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        ok(node(onNode).send("POST", "/networks/" + net + "/users", usersBody(prefix, n, defaultGroup(onNode, net))))
                .get("successful").forEach(u -> ids.add(u.get("userId").asText()));
        return ids;
    }

    private static String ids(List<String> ids) {
        return "{\"userIds\":[\"" + String.join("\",\"", ids) + "\"]}";
    }

    private static boolean suspended(int onNode, String net, String user) throws Exception {
        return ok(node(onNode).send("GET", "/networks/" + net + "/users/" + user, null)).get("suspended").asBoolean();
    }

    private static <T> List<T> all(List<Callable<T>> work) throws Exception {
        List<T> out = new ArrayList<>();
        for (Future<T> f : pool.invokeAll(work)) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void whatOneNodeWritesTheOthersSeeAtOnce() throws Exception {
        String net = network(0);
        assertThat(ok(node(1).send("GET", "/networks/" + net, null)).get("networkId").asText()).isEqualTo(net);
        List<String> users = createUsers(1, net, "seen", 3);
        JsonNode listed = ok(node(2).send("GET", "/networks/" + net + "/users?maxResults=100", null)).get("users");
        Set<String> seen = new HashSet<>();
        listed.forEach(u -> seen.add(u.get("userId").asText()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(users);
        ok(node(2).send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=true", ids(users)));
        assertThat(suspended(0, net, users.get(0))).isTrue();
    }

    @Test
    void aSecretOneNodeStoresTheOthersDecryptAndANodeWithAnotherKeyDoesNotStart() throws Exception {
        String net = network(0);
        ok(node(0).send("POST", "/networks/" + net + "/tdf", "{\"clientId\":\"cid\",\"clientSecret\":\"shared-secret\","
                + "\"domain\":\"tdf.example.com\",\"provider\":\"virtru\"}"));
        for (int i = 1; i < NODES; i++) {
            assertThat(ok(node(i).send("GET", "/networks/" + net + "/tdf", null)).get("clientSecret").asText())
                    .isEqualTo("shared-secret");
        }
        assertThatThrownBy(() -> WickrLocalServer.start(ServerSettings.defaults().withPort(0),
                () -> PostgresDatabase.open(url, PoolSettings.defaults().withMaxConnections(2), SecretsKey.random())))
                .isInstanceOf(SecretsKeyException.class)
                .hasMessage("the secrets key given in memory is not the key this database was first used with: every"
                        + " node of one database needs the same key (--secrets-key-file)");
    }

    @Test
    void idsNeverCollideAcrossNodes() throws Exception {
        List<Callable<List<String>>> work = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int n = i;
            work.add(() -> {
                List<String> made = new ArrayList<>();
                String net = network(n);
                made.add("net:" + net);
                createUsers(n + 1, net, "c" + n + "-", 50).forEach(u -> made.add("user:" + u));
                return made;
            });
        }
        List<String> everything = new ArrayList<>();
        all(work).forEach(everything::addAll);
        assertThat(everything).hasSize(9 * 51).doesNotHaveDuplicates();
    }

    @Test
    void theSameTokenOnTwoNodesAtOnceRunsOnce() throws Exception {
        String net = network(0);
        String group = defaultGroup(0, net);
        for (int round = 0; round < 5; round++) {
            String body = usersBody("tok" + round + "-", 5, group);
            Map<String, String> token = Map.of("X-Client-Token", "same-token-" + round);
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<String>> work = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int n = i;
                work.add(() -> {
                    go.await();
                    HttpResponse<String> r = node(n).send("POST", "/networks/" + net + "/users",
                            body.getBytes(), token);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    return r.body();
                });
            }
            List<Future<String>> futures = new ArrayList<>();
            work.forEach(w -> futures.add(pool.submit(w)));
            go.countDown();
            Set<String> answers = new HashSet<>();
            for (Future<String> f : futures) {
                answers.add(f.get());
            }
            assertThat(answers).as("every copy gets the first answer").hasSize(1);
            assertThat(JSON.readTree(answers.iterator().next()).get("successful")).hasSize(5);
        }
        JsonNode count = ok(node(2).send("GET", "/networks/" + net + "/users/count", null));
        assertThat(count.get("total").asInt()).as("each batch created its users once").isEqualTo(25);
    }

    @Test
    void overlappingBatchesOnDifferentNodesSerialize() throws Exception {
        String net = network(0);
        List<String> users = new ArrayList<>(createUsers(0, net, "a", 50));
        List<String> a = users.subList(0, 40);
        List<String> b = users.subList(10, 50);
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int n = t;
            List<String> set = t % 2 == 0 ? a : b;
            work.add(() -> {
                for (int i = 0; i < 15; i++) {
                    boolean suspend = (i + n) % 2 == 0;
                    ok(node(n + i).send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=" + suspend, ids(set)));
                }
                return null;
            });
        }
        all(work);
        // Each batch wrote every user of its set in one transaction, so within each region that the
        // same batches cover, the users cannot disagree.
        assertUniform(net, users.subList(0, 10));
        assertUniform(net, users.subList(10, 40));
        assertUniform(net, users.subList(40, 50));

        // And the last batch decides.
        ok(node(1).send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=true", ids(a)));
        for (String u : a) {
            assertThat(suspended(2, net, u)).isTrue();
        }
    }

    private static void assertUniform(String net, List<String> users) throws Exception {
        Set<Boolean> states = new HashSet<>();
        for (String u : users) {
            states.add(suspended(0, net, u));
        }
        assertThat(states).as("users toggled by the same batches").hasSize(1);
    }
}
