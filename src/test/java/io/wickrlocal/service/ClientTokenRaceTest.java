package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SqliteDatabase;
import io.wickrlocal.store.TestPostgres;
import io.wickrlocal.store.TxWork;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Copies of one call (one client token) that meet while the first copy is still in its transaction, on every
 * store: the first copy stalls after its work, before its commit (as behind a slow disk or a lock); the other
 * copies arrive meanwhile and queue behind it. Exactly one copy does the work, every copy answers its answer,
 * and a late copy never undoes a newer batch. On SQLite the stalled copy holds the one writer; on PostgreSQL
 * it holds its claim of the token and its row locks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientTokenRaceTest {
    private static final String TOGGLE = "BatchToggleUserSuspendStatus";
    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
    }

    /** A store, and for PostgreSQL its address, so that the test can see which sessions wait for a lock. */
    record Store(Database database, DatabaseUrl postgres) {}

    static Stream<Named<Supplier<Store>>> stores() {
        return Stream.of(
                Named.of("sqlite in memory", () -> new Store(SqliteDatabase.inMemory(), null)),
                Named.of("sqlite on disk", () -> {
                    try {
                        return new Store(SqliteDatabase.open(Files.createTempDirectory("wickr-race")), null);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }),
                Named.of("postgresql", () -> {
                    DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
                    return new Store(PostgresDatabase.open(url, PoolSettings.defaults().withMaxConnections(12),
                            TestPostgres.KEY), url);
                }));
    }

    /**
     * A store whose next transaction, once armed, stalls after its work until released, and which counts the
     * calls inside it (entered and not yet returned).
     */
    static final class StallingDatabase implements Database {
        final Database delegate;
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger inside = new AtomicInteger();
        volatile CountDownLatch stalled = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(1);

        StallingDatabase(Database delegate) {
            this.delegate = delegate;
        }

        void arm() {
            stalled = new CountDownLatch(1);
            release = new CountDownLatch(1);
            armed.set(true);
        }

        /** PostgreSQL only: the lock timeout of the transactions that do not stall, in ms (0: the pool's). */
        volatile int lockTimeoutMillis;

        private <T> TxWork<T> maybeStalled(TxWork<T> work) {
            if (!armed.compareAndSet(true, false)) {
                int timeout = lockTimeoutMillis;
                return timeout == 0 ? work : tx -> {
                    tx.update("SET LOCAL lock_timeout = " + timeout);
                    return work.run(tx);
                };
            }
            CountDownLatch s = stalled;
            CountDownLatch r = release;
            return tx -> {
                T result = work.run(tx);
                s.countDown();
                try {
                    if (!r.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the stalled transaction was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return result;
            };
        }

        private <T> T counted(Supplier<T> run) {
            inside.incrementAndGet();
            try {
                return run.get();
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public <T> T transaction(TxWork<T> work) {
            TxWork<T> w = maybeStalled(work);
            return counted(() -> delegate.transaction(w));
        }

        @Override
        public <T> T transactionWithRowLocks(TxWork<T> work) {
            TxWork<T> w = maybeStalled(work);
            return counted(() -> delegate.transactionWithRowLocks(w));
        }

        @Override
        public <T> T transactionQueuedBy(String queueKey, TxWork<T> work) {
            TxWork<T> w = maybeStalled(work);
            return counted(() -> delegate.transactionQueuedBy(queueKey, w));
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** The service over a stalling store, and the way to watch its calls queue up. */
    static final class Race implements AutoCloseable {
        final StallingDatabase db;
        final DatabaseUrl postgres;
        final ServiceFixture f;

        Race(Store store) {
            this.db = new StallingDatabase(store.database());
            this.postgres = store.postgres();
            this.f = new ServiceFixture(db);
        }

        Call copy(String name) {
            return new Call(f.call.accountId(), f.call.region(), f.call.accessKeyId(), name);
        }

        Future<ObjectNode> send(String operation, String requestId, ObjectNode input, String token) {
            ObjectNode in = input.deepCopy();
            in.put("clientToken", token);
            return threads.submit(() -> f.service.invoke(operation, copy(requestId), in, token, "clientToken"));
        }

        /** Waits (bounded) until n calls are inside the store and, on PostgreSQL, lockWaits of them wait for a lock. */
        void awaitQueued(int n, int lockWaits) throws Exception {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (db.inside.get() < n || postgres != null && waitingForLocks() < lockWaits) {
                assertThat(System.nanoTime()).as("%d calls queued", n).isLessThan(until);
                Thread.sleep(10);
            }
        }

        private int waitingForLocks() throws Exception {
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                 PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                         + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }

        /** The audit events of the operation with this client token. */
        List<JsonNode> events(String operation, String token) {
            List<JsonNode> out = new ArrayList<>();
            ObjectNode query = Json.object();
            query.put("operation", operation);
            query.put("maxResults", 100);
            while (true) {
                ObjectNode page = f.invoke("LocalListAuditEvents", query);
                page.get("events").forEach(e -> {
                    if (token.equals(e.path("clientToken").asText())) {
                        out.add(e);
                    }
                });
                if (!page.hasNonNull("nextToken")) {
                    return out;
                }
                query.put("nextToken", page.get("nextToken").asText());
            }
        }

        @Override
        public void close() {
            f.close();
        }
    }

    private static ObjectNode toggleInput(String net, boolean suspend, List<String> users) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("suspend", suspend);
        ArrayNode ids = in.putArray("userIds");
        users.forEach(ids::add);
        return in;
    }

    /** Asserts the token's calls ran once, as the request named {@code ran}, and that {@code replays} were answered from the store. */
    private static void assertRanOnce(Race race, String operation, String token, String ran, int replays) {
        List<JsonNode> events = race.events(operation, token);
        List<JsonNode> runs = events.stream().filter(e -> Set.of("Success", "Failed").contains(e.get("outcome").asText()))
                .toList();
        assertThat(runs).as("events of the copies that ran").isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("requestId").asText()).as("the copy that ran").isEqualTo(ran));
        assertThat(events.stream().filter(e -> e.get("outcome").asText().equals("Replay")))
                .as("copies answered from the store").hasSize(replays);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void copiesOfAToggleQueuedBehindTheFirstRunOnceAndNeverUndoANewerBatch(Supplier<Store> store) throws Exception {
        try (Race race = new Race(store.get())) {
            String net = race.f.network();
            List<String> users = race.f.users(net, "u", 6, null);
            race.f.toggle(net, false, users, "warm-up"); // the account's client tokens are counted from here on

            race.db.arm();
            Future<ObjectNode> first = race.send(TOGGLE, "copy-0", toggleInput(net, true, users), "T");
            assertThat(race.db.stalled.await(30, TimeUnit.SECONDS)).isTrue();
            // A newer batch, undoing the first, sent while the first has not answered yet.
            Future<ObjectNode> newer = race.send(TOGGLE, "newer", toggleInput(net, false, users), "T-newer");
            race.awaitQueued(2, 1);
            // The retries of the first call.
            List<Future<ObjectNode>> copies = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                copies.add(race.send(TOGGLE, "copy-" + i, toggleInput(net, true, users), "T"));
            }
            // And a call that reuses the token for other parameters.
            Future<ObjectNode> misused = race.send(TOGGLE, "misused", toggleInput(net, true, users.subList(0, 2)), "T");
            race.awaitQueued(8, 7);
            race.db.release.countDown();

            ObjectNode answer = first.get(60, TimeUnit.SECONDS);
            assertThat(answer.get("successful")).hasSize(6);
            for (Future<ObjectNode> copy : copies) {
                assertThat(Json.canonical(copy.get(60, TimeUnit.SECONDS))).as("a copy's answer")
                        .isEqualTo(Json.canonical(answer));
            }
            assertThat(newer.get(60, TimeUnit.SECONDS).get("successful")).hasSize(6);
            assertThatThrownBy(() -> misused.get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("different parameters");
                    });
            assertRanOnce(race, TOGGLE, "T", "copy-0", 5);
            for (String user : users) {
                assertThat(race.f.user(net, user).get("suspended").asBoolean()).as("the newer batch's state").isFalse();
            }
        }
    }

    /**
     * A copy that waits for the first past the store's lock timeout (shortened here to 300 ms) is told the first
     * is still running, in a retryable error; its retry, after the first finished, gets the first answer.
     */
    @org.junit.jupiter.api.Test
    void onPostgresACopyThatWaitsPastTheLockTimeoutGetsARetryableErrorAndItsRetryTheFirstAnswer() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
        try (Race race = new Race(new Store(PostgresDatabase.open(url, PoolSettings.defaults().withMaxConnections(6),
                TestPostgres.KEY), url))) {
            String net = race.f.network();
            List<String> users = race.f.users(net, "u", 3, null);
            race.f.toggle(net, false, users, "warm-up");
            race.db.arm();
            Future<ObjectNode> first = race.send(TOGGLE, "copy-0", toggleInput(net, true, users), "T");
            assertThat(race.db.stalled.await(30, TimeUnit.SECONDS)).isTrue();
            race.db.lockTimeoutMillis = 300;
            try {
                assertThatThrownBy(() -> race.send(TOGGLE, "copy-1", toggleInput(net, true, users), "T")
                        .get(60, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(ServiceException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL);
                            assertThat(e.getMessage()).contains("client token T, is still running",
                                    "safe to retry with the same client token");
                        });
            } finally {
                race.db.release.countDown();
            }
            ObjectNode answer = first.get(60, TimeUnit.SECONDS);
            assertThat(Json.canonical(race.send(TOGGLE, "copy-2", toggleInput(net, true, users), "T")
                    .get(60, TimeUnit.SECONDS))).isEqualTo(Json.canonical(answer));
            assertRanOnce(race, TOGGLE, "T", "copy-0", 1);
            assertThat(race.events(TOGGLE, "T")).filteredOn(e -> e.get("requestId").asText().equals("copy-1"))
                    .extracting(e -> e.get("outcome").asText()).containsExactly("InternalServerError");
        }
    }

    /** Every operation with a client token in the contract, with an input that does something. */
    static Stream<Arguments> operationsOnStores() {
        List<String> operations = List.of("BatchCreateUser", "BatchDeleteUser", "BatchLookupUserUname",
                "BatchReinviteUser", "BatchResetDevicesForUser", TOGGLE, "CreateSecurityGroup", "DeleteNetwork",
                "UpdateNetwork");
        return stores().flatMap(s -> operations.stream().map(op -> Arguments.of(s, op)));
    }

    private static ObjectNode inputOf(ServiceFixture f, String operation) {
        String net = f.network();
        ObjectNode in = Json.object();
        in.put("networkId", net);
        List<String> codes = new ArrayList<>();
        List<String> users = operation.equals("BatchCreateUser") ? List.of() : f.users(net, "u", 3, codes);
        switch (operation) {
            case "BatchCreateUser" -> {
                String group = f.defaultGroup(net);
                ArrayNode list = in.putArray("users");
                for (int i = 0; i < 3; i++) {
                    ObjectNode u = list.addObject();
                    u.put("username", "new" + i + "@example.com");
                    u.put("firstName", "First");
                    u.put("lastName", "Last");
                    u.putArray("securityGroupIds").add(group);
                }
            }
            case "BatchDeleteUser", "BatchReinviteUser" -> users.forEach(in.putArray("userIds")::add);
            case "BatchLookupUserUname" -> {
                ArrayNode unames = in.putArray("unames");
                for (int i = 0; i < users.size(); i++) {
                    unames.add(Users.uname("u" + i + "@example.com"));
                }
            }
            case "BatchResetDevicesForUser" -> {
                String device = f.signIn(net, users.get(0), codes.get(0)).get("deviceId").asText();
                in.put("userId", users.get(0));
                in.putArray("appIds").add(device);
            }
            case TOGGLE -> {
                in.put("suspend", true);
                users.forEach(in.putArray("userIds")::add);
            }
            case "CreateSecurityGroup" -> {
                in.put("name", "Responders");
                in.putObject("securityGroupSettings").put("lockoutThreshold", 15);
            }
            case "DeleteNetwork" -> { }
            case "UpdateNetwork" -> in.put("networkName", "renamed");
            default -> throw new IllegalArgumentException(operation);
        }
        return in;
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("operationsOnStores")
    void everyOperationWithAClientTokenRunsOnceWhenItsCopiesMeet(Supplier<Store> store, String operation)
            throws Exception {
        try (Race race = new Race(store.get())) {
            ObjectNode input = inputOf(race.f, operation);
            race.f.toggle(input.get("networkId").asText(), false, List.of(), "warm-up");
            String token = operation + "-token";

            race.db.arm();
            Future<ObjectNode> first = race.send(operation, "copy-0", input, token);
            assertThat(race.db.stalled.await(30, TimeUnit.SECONDS)).isTrue();
            List<Future<ObjectNode>> copies = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                copies.add(race.send(operation, "copy-" + i, input, token));
            }
            // BatchCreateUser calls queue in the server before they reach PostgreSQL, holding no lock there.
            race.awaitQueued(5, operation.equals("BatchCreateUser") ? 0 : 4);
            race.db.release.countDown();

            // Compared as the client reads them: a stored answer is read back with its own number types.
            String answer = Json.canonical(first.get(60, TimeUnit.SECONDS));
            Set<String> answers = new HashSet<>();
            for (Future<ObjectNode> copy : copies) {
                answers.add(Json.canonical(copy.get(60, TimeUnit.SECONDS)));
            }
            assertThat(answers).as("the copies' answers").containsExactly(answer);
            assertRanOnce(race, operation, token, "copy-0", 4);
        }
    }
}
