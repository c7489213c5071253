package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.TestPostgres;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #18's race, as a client meets it: two nodes on one PostgreSQL, a session of another program holding
 * the users' rows, and copies of one BatchToggleUserSuspendStatus call (one client token) sent to one node,
 * then, after client-side timeouts, to both. When the rows are free again the call runs once, and a copy
 * that waited never undoes the newer batch the client sent meanwhile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExactlyOnceAcrossNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(1);
    private static final String TOGGLE = "BatchToggleUserSuspendStatus";
    private static final List<WickrLocalServer> servers = new ArrayList<>();
    private static final List<SignedClient> nodes = new ArrayList<>();
    private static ExecutorService pool;
    private static DatabaseUrl url;

    @BeforeAll
    static void start() throws Exception {
        url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
        for (int i = 0; i < 2; i++) {
            WickrLocalServer s = WickrLocalServer.start(ServerSettings.defaults().withPort(0),
                    () -> PostgresDatabase.open(url, PoolSettings.defaults().withMaxConnections(12), TestPostgres.KEY));
            servers.add(s);
            nodes.add(new SignedClient(s.endpoint(), "test", "test", "us-east-1"));
        }
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        servers.forEach(WickrLocalServer::close);
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    private static List<String> createUsers(SignedClient node, String net, int n) throws Exception {
        String group = null;
        for (JsonNode g : ok(node.send("GET", "/networks/" + net + "/security-groups", null)).get("securityGroups")) {
            if (g.get("isDefault").asBoolean()) {
                group = g.get("id").asText();
            }
        }
        StringBuilder b = new StringBuilder("{\"users\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"username\":\"race").append(i)
                    .append("@example.com\",\"securityGroupIds\":[\"").append(group).append("\"]}");
        }
        List<String> ids = new ArrayList<>();
        ok(node.send("POST", "/networks/" + net + "/users", b.append("]}").toString())).get("successful")
                .forEach(u -> ids.add(u.get("userId").asText()));
        return ids;
    }

    /** Sends a toggle with a client token in the background; null timeout: waits for the answer. */
    private static Future<HttpResponse<String>> toggle(SignedClient node, String net, boolean suspend,
                                                       List<String> users, String token, Duration timeout) {
        byte[] body = ("{\"userIds\":[\"" + String.join("\",\"", users) + "\"]}").getBytes(StandardCharsets.UTF_8);
        return pool.submit(() -> node.send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=" + suspend,
                body, Map.of("X-Client-Token", token), timeout));
    }

    /** Backends of the test database waiting for a lock (a row, a table, another transaction). */
    private static int waitingForLocks(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Waits (bounded) until n calls of the nodes wait for a lock, so the next copy queues behind them. */
    private static void awaitWaiting(Connection c, int n) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waitingForLocks(c) < n) {
            assertThat(System.nanoTime()).as("%d calls waiting for a lock", n).isLessThan(until);
            Thread.sleep(20);
        }
    }

    private static void assertTimedOut(Future<HttpResponse<String>> copy) throws Exception {
        try {
            HttpResponse<String> r = copy.get(30, TimeUnit.SECONDS);
            throw new AssertionError("the copy was answered while the rows were held: " + r.statusCode() + " "
                    + r.body());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
        }
    }

    /** Every audit event of the network's toggles, page by page. */
    private static List<JsonNode> toggleEvents(SignedClient node, String net) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = null;
        do {
            String path = "/_local/audit?operation=" + TOGGLE + "&networkId=" + net + "&maxResults=100"
                    + (next == null ? "" : "&nextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            JsonNode page = ok(node.send("GET", path, null));
            page.get("events").forEach(out::add);
            next = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (next != null);
        return out;
    }

    @Test
    void copiesOfOneTokenBehindALockedRowRunOnceOnBothNodesAndNeverUndoANewerBatch() throws Exception {
        SignedClient a = nodes.get(0);
        SignedClient b = nodes.get(1);
        String net = ok(a.send("POST", "/networks", "{\"networkName\":\"race\",\"accessLevel\":\"STANDARD\"}"))
                .get("networkId").asText();
        List<String> users = createUsers(a, net, 6);
        String token = "race-" + UUID.randomUUID();
        String newer = "newer-" + UUID.randomUUID();

        List<Future<HttpResponse<String>>> gaveUp = new ArrayList<>();
        List<Future<HttpResponse<String>>> patient = new ArrayList<>();
        Future<HttpResponse<String>> newerBatch;
        try (Connection holder = connect(); Connection watch = connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT user_id FROM users WHERE network_id = ? FOR UPDATE")) {
                lock.setString(1, net);
                lock.executeQuery().close();
            }
            // The first copy, to node A: it waits for the rows; the client gives up after a second.
            gaveUp.add(toggle(a, net, true, users, token, CLIENT_TIMEOUT));
            awaitWaiting(watch, 1);
            // The client, having given up on it, sends a newer batch (a new token) that undoes it.
            newerBatch = toggle(b, net, false, users, newer, null);
            awaitWaiting(watch, 2);
            // The SDK's retries of the first call, to both nodes: some give up too, two wait for an answer.
            for (int i = 0; i < 6; i++) {
                gaveUp.add(toggle(nodes.get(i % 2), net, true, users, token, CLIENT_TIMEOUT));
            }
            patient.add(toggle(a, net, true, users, token, null));
            patient.add(toggle(b, net, true, users, token, null));
            awaitWaiting(watch, 2 + 8);
            for (Future<HttpResponse<String>> copy : gaveUp) {
                assertTimedOut(copy);
            }
            holder.rollback(); // the stall ends
        }

        Set<JsonNode> answers = new HashSet<>();
        for (Future<HttpResponse<String>> copy : patient) {
            answers.add(ok(copy.get(60, TimeUnit.SECONDS)));
        }
        ok(newerBatch.get(60, TimeUnit.SECONDS));
        answers.add(ok(b.send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=true",
                ("{\"userIds\":[\"" + String.join("\",\"", users) + "\"]}").getBytes(StandardCharsets.UTF_8),
                Map.of("X-Client-Token", token))));
        JsonNode stored;
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT response FROM idempotency_records WHERE operation = ? AND token = ?")) {
            s.setString(1, TOGGLE);
            s.setString(2, token);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the token's record").isTrue();
                stored = JSON.readTree(rs.getString(1));
                assertThat(rs.next()).isFalse();
            }
        }
        assertThat(answers).as("every copy answered got the first answer").containsExactly(stored);
        assertThat(stored.get("successful")).hasSize(6);

        List<JsonNode> ofToken = toggleEvents(a, net).stream()
                .filter(e -> token.equals(e.path("clientToken").asText())).toList();
        List<JsonNode> runs = ofToken.stream().filter(e -> !e.get("outcome").asText().equals("Replay")).toList();
        assertThat(runs).as("the events of copies that ran").hasSize(6)
                .allSatisfy(e -> assertThat(e.get("outcome").asText()).isEqualTo("Success"));
        assertThat(runs.stream().map(e -> e.get("requestId").asText()).distinct()).as("copies that ran").hasSize(1);
        assertThat(ofToken).as("one event for each copy answered from the store").hasSize(6 + 9);

        for (String user : users) {
            assertThat(ok(a.send("GET", "/networks/" + net + "/users/" + user, null)).get("suspended").asBoolean())
                    .as("the newer batch's state of user %s", user).isFalse();
        }
    }
}
