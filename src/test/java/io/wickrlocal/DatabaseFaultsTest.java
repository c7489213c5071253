package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.store.DatabaseUnavailableException;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose PostgreSQL stalls, goes away, or comes late (issue #18): what readiness answers, what a
 * blocked call gets, and that the node serves again on its own. The database's failures are real: a
 * session holding a lock, and a server of the test's own that is stopped, crashed and started again.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DatabaseFaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WickrLocalServer node(String url, PoolSettings pool) throws Exception {
        return WickrLocalServer.start(ServerSettings.defaults().withPort(0),
                () -> PostgresDatabase.open(DatabaseUrl.parse(url), pool, TestPostgres.KEY));
    }

    private static SignedClient client(WickrLocalServer node) {
        return new SignedClient(node.endpoint(), "test", "test", "us-east-1");
    }

    /** An unsigned GET that gives up after 5 s: health and readiness must answer well within it. */
    private static HttpResponse<String> get(WickrLocalServer node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.endpoint() + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks again every 100 ms until the answer passes, for at most the bound; returns the passing answer. */
    private static <T> T await(Callable<T> ask, Predicate<T> passes, Duration bound, String what) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = ask.call();
            if (passes.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " within " + bound + "; last: "
                + (last instanceof HttpResponse<?> r ? r.statusCode() + " " + r.body() : last));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String network(SignedClient c) throws Exception {
        return SignedClient.ok(c.send("POST", "/networks", "{\"networkName\":\"faults\",\"accessLevel\":\"STANDARD\"}"))
                .get("networkId").asText();
    }

    private static List<String> users(SignedClient c, String net, int n) throws Exception {
        String group = null;
        for (JsonNode g : SignedClient.ok(c.send("GET", "/networks/" + net + "/security-groups", null)).get("securityGroups")) {
            if (g.get("isDefault").asBoolean()) {
                group = g.get("id").asText();
            }
        }
        StringBuilder body = new StringBuilder("{\"users\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"username\":\"f").append(i).append('-').append(System.nanoTime())
                    .append("@example.com\",\"securityGroupIds\":[\"").append(group).append("\"]}");
        }
        List<String> ids = new ArrayList<>();
        SignedClient.ok(c.send("POST", "/networks/" + net + "/users", body.append("]}").toString())).get("successful")
                .forEach(u -> ids.add(u.get("userId").asText()));
        return ids;
    }

    private static HttpResponse<String> toggle(SignedClient c, String net, List<String> ids, boolean suspend,
                                               String token) throws Exception {
        byte[] body = ("{\"userIds\":[\"" + String.join("\",\"", ids) + "\"]}").getBytes(StandardCharsets.UTF_8);
        return c.send("PATCH", "/networks/" + net + "/users/toggleSuspend?suspend=" + suspend, body,
                token == null ? Map.of() : Map.of("X-Client-Token", token));
    }

    private static List<Boolean> suspended(SignedClient c, String net, List<String> ids) throws Exception {
        List<Boolean> out = new ArrayList<>();
        for (String id : ids) {
            out.add(SignedClient.ok(c.send("GET", "/networks/" + net + "/users/" + id, null)).get("suspended").asBoolean());
        }
        return out;
    }

    private static Connection jdbc(String url) throws Exception {
        DatabaseUrl u = DatabaseUrl.parse(url);
        return DriverManager.getConnection(u.jdbcUrl(), u.user(), u.password());
    }

    @Test
    void readinessTellsOfACallWaitingOnALockWhileHealthStaysCheap() throws Exception {
        String url = TestPostgres.newDatabaseUrl();
        try (WickrLocalServer node = node(url, PoolSettings.defaults().withMaxConnections(4))) {
            SignedClient c = client(node);
            String net = network(c);
            List<String> ids = users(c, net, 3);
            HttpResponse<String> ready = get(node, "/_local/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(json(ready).get("status").asText()).isEqualTo("ready");
            try (Connection lock = jdbc(url); Statement s = lock.createStatement()) {
                lock.setAutoCommit(false);
                s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<HttpResponse<String>> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        return toggle(c, net, ids, true, null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                HttpResponse<String> stalled = await(() -> get(node, "/_local/ready"), r -> r.statusCode() == 503,
                        Duration.ofSeconds(30), "readiness did not turn 503 while a call waited on the lock");
                assertThat(json(stalled).get("status").asText()).isEqualTo("unavailable");
                assertThat(json(stalled).get("reason").asText()).contains("waiting on the database");
                assertThat(stalled.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(blocked).as("the toggle still waits for the lock").isNotDone();
                HttpResponse<String> health = get(node, "/_local/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(json(health).get("status").asText()).isEqualTo("ok");
                lock.commit();
                assertThat(blocked.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            await(() -> get(node, "/_local/ready"), r -> r.statusCode() == 200, Duration.ofSeconds(10),
                    "readiness did not come back once the lock was gone");
        }
    }

    @Test
    void aCallBlockedPastTheLockTimeoutGets500AtOnceAndNothingOfItCommits() throws Exception {
        String url = TestPostgres.newDatabaseUrl();
        // A lock and statement timeout of 1 s instead of 30 s; the store would retry a failed attempt 20 times.
        PoolSettings pool = new PoolSettings(4, 2_000, 1_000, 20);
        try (WickrLocalServer node = node(url, pool); Connection lock = jdbc(url); Statement s = lock.createStatement()) {
            SignedClient c = client(node);
            String net = network(c);
            List<String> ids = users(c, net, 3);
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            // The lock goes after 10 s whatever happens: a call that kept retrying would then succeed.
            AtomicBoolean released = new AtomicBoolean();
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (lock) {
                    if (released.compareAndSet(false, true)) {
                        try {
                            lock.commit();
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            HttpResponse<String> r = toggle(c, net, ids, true, "stalled-once");
            boolean answeredWhileLocked = !released.get();
            synchronized (lock) {
                if (released.compareAndSet(false, true)) {
                    lock.commit();
                }
            }
            release.cancel(true);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("InternalServerError");
            assertThat(json(r).get("message").asText()).contains("safe to retry with the same client token");
            assertThat(answeredWhileLocked).as("the answer came while the lock was still held").isTrue();
            assertThat(suspended(c, net, ids)).as("nothing of the call was committed").containsOnly(false);

            HttpResponse<String> retried = toggle(c, net, ids, true, "stalled-once");
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(json(retried).get("successful")).hasSize(3);
            assertThat(suspended(c, net, ids)).containsOnly(true);
            assertThat(toggle(c, net, ids, true, "stalled-once").body()).isEqualTo(retried.body());
        }
    }

    @Test
    void aNodeWhoseDatabaseGoesAwaySaysSoRefusesCallsAfterAWhileAndServesAgainOnItsOwn() throws Exception {
        try (TestPostgres.Cluster db = TestPostgres.cluster()) {
            db.start();
            try (WickrLocalServer node = node(db.url(), PoolSettings.defaults().withMaxConnections(4))) {
                SignedClient c = client(node);
                String net = network(c);
                List<String> ids = users(c, net, 5);
                SignedClient.ok(toggle(c, net, ids, true, null));

                db.stop("immediate");
                // A call sent now waits for the database, and stops waiting once it has been away for 5 s,
                // well before its 30 s budget: the database stays stopped until the call has its answer.
                CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                    try {
                        return toggle(c, net, ids, false, "in-flight");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                HttpResponse<String> down = await(() -> get(node, "/_local/ready"), r -> r.statusCode() == 503,
                        Duration.ofSeconds(20), "readiness did not turn 503 with the database stopped");
                assertThat(json(down).get("status").asText()).isEqualTo("unavailable");
                assertThat(json(down).get("reason").asText()).contains("the database is unreachable");
                // Once the node has tried to connect again: why it cannot.
                await(() -> json(get(node, "/_local/ready")).get("reason").asText(),
                        reason -> reason.contains("unreachable (connection refused)"), Duration.ofSeconds(20),
                        "readiness did not tell that connections are refused");
                assertThat(get(node, "/_local/health").statusCode()).isEqualTo(200);
                // Unreachable for more than 5 s: calls are refused at once, before anything of them runs.
                await(() -> json(get(node, "/_local/ready")).get("reason").asText(),
                        reason -> reason.matches(".* for ([5-9]|\\d\\d+)\\.\\d s"), Duration.ofSeconds(20),
                        "the outage did not last 5 s");
                Thread.sleep(200);
                HttpResponse<String> refused = toggle(c, net, ids, false, "while-down");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailable");
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(json(refused).get("message").asText()).contains("nothing of this call ran");
                HttpResponse<String> gaveUp = inFlight.get(20, TimeUnit.SECONDS);
                assertThat(gaveUp.statusCode()).as(gaveUp.body()).isEqualTo(500);
                assertThat(json(gaveUp).get("message").asText()).contains("safe to retry with the same client token");

                db.start();
                await(() -> get(node, "/_local/ready"), r -> r.statusCode() == 200, Duration.ofSeconds(30),
                        "readiness did not come back with the database");
                assertThat(suspended(c, net, ids)).as("what was committed before the stop").containsOnly(true);
                SignedClient.ok(toggle(c, net, ids, false, "while-down"));
                assertThat(suspended(c, net, ids)).containsOnly(false);

                db.crash();
                db.start();
                await(() -> toggle(c, net, ids, true, "after-crash"), r -> r.statusCode() == 200,
                        Duration.ofSeconds(40), "the node did not serve again after the crash");
                assertThat(suspended(c, net, ids)).containsOnly(true);

                db.terminateSessions();
                SignedClient.ok(toggle(c, net, ids, false, "after-terminate"));
                assertThat(suspended(c, net, ids)).containsOnly(false);
                assertThat(get(node, "/_local/ready").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void readinessTellsThatMigrationsAreRunning() throws Exception {
        String url = TestPostgres.newDatabaseUrl();
        try (WickrLocalServer node = node(url, PoolSettings.defaults().withMaxConnections(2));
             Connection other = jdbc(url); Statement s = other.createStatement()) {
            assertThat(get(node, "/_local/ready").statusCode()).isEqualTo(200);
            other.setAutoCommit(false);
            // What a node starting with newer migrations holds while it applies them.
            s.execute("SELECT pg_advisory_xact_lock(" + 0x5769636b724c6fL + ")");
            HttpResponse<String> migrating = await(() -> get(node, "/_local/ready"), r -> r.statusCode() == 503,
                    Duration.ofSeconds(10), "readiness did not tell of the migrations");
            assertThat(json(migrating).get("reason").asText()).contains("migrations are running");
            other.rollback();
            await(() -> get(node, "/_local/ready"), r -> r.statusCode() == 200, Duration.ofSeconds(10),
                    "readiness did not come back after the migrations");
        }
    }

    @Test
    void aStartBeforeTheDatabaseWaitsForItTellingEachAttempt() throws Exception {
        try (TestPostgres.Cluster db = TestPostgres.cluster()) {
            // The cluster's own database: "wickr" is created only after the server accepts connections.
            String url = "postgresql://127.0.0.1:" + db.port() + "/postgres?user=wickr";
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<PostgresDatabase> opening = CompletableFuture.supplyAsync(() -> PostgresDatabase.open(
                    DatabaseUrl.parse(url), PoolSettings.defaults().withMaxConnections(2), TestPostgres.KEY,
                    Duration.ofSeconds(90), lines::add));
            await(lines::size, n -> n >= 2, Duration.ofSeconds(20), "no two attempts were told");
            assertThat(lines.get(0)).isEqualTo("waiting for PostgreSQL at 127.0.0.1:" + db.port()
                    + " (attempt 1): connection refused");
            assertThat(lines.get(1)).startsWith("waiting for PostgreSQL at 127.0.0.1:" + db.port() + " (attempt 2): ");
            assertThat(opening).isNotDone();
            db.start();
            try (PostgresDatabase store = opening.get(60, TimeUnit.SECONDS)) {
                long versions = store.transaction(tx -> tx.count("SELECT COUNT(*) FROM schema_version"));
                assertThat(versions).isPositive();
                assertThat(store.probe()).isNull();
            }
        }
    }

    @Test
    void aDatabaseThatNeverComesEndsTheStartWithOneSentence() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> PostgresDatabase.open(DatabaseUrl.parse("postgresql://127.0.0.1:" + closed
                + "/wickr?user=wickr"), PoolSettings.defaults(), TestPostgres.KEY, Duration.ofSeconds(1), lines::add))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageMatching("gave up waiting for PostgreSQL at 127\\.0\\.0\\.1:" + closed
                        + " after 1 s and \\d+ attempts: connection refused");
        assertThat(lines).isNotEmpty().allMatch(l -> l.matches("waiting for PostgreSQL at 127\\.0\\.0\\.1:" + closed
                + " \\(attempt \\d+\\): connection refused"));
    }
}
