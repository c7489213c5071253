package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A client token's record: claimed once, never replaced inside its window, taken over only once expired. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdempotencyStoreTest {
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "us-east-1";
    private static final String OP = "BatchToggleUserSuspendStatus";
    private static final long WINDOW = 24 * 3600;
    private static final long T0 = 1_800_000_000L;

    private static ExecutorService threads;

    @BeforeAll
    static void start() {
        threads = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        threads.shutdownNow();
    }

    /** One call's transaction: claims the token at {@code now}, and completes it with {@code answer} if it won. */
    private static Optional<IdempotencyRecord> call(Tx tx, String token, String fingerprint, long now, String answer) {
        Optional<IdempotencyRecord> first = IdempotencyStore.claim(tx, ACCOUNT, REGION, OP, token, fingerprint, now,
                WINDOW);
        if (first.isEmpty()) {
            IdempotencyStore.complete(tx, ACCOUNT, REGION, OP, token, answer);
        }
        return first;
    }

    /** A call at READ COMMITTED with row locks on PostgreSQL (the toggle's way). */
    private static Optional<IdempotencyRecord> rowLocked(Database db, String token, String fingerprint, long now,
                                                         String answer) {
        return db.transactionWithRowLocks(tx -> call(tx, token, fingerprint, now, answer));
    }

    /** A call in a plain transaction (SERIALIZABLE on PostgreSQL). */
    private static Optional<IdempotencyRecord> plain(Database db, String token, String fingerprint, long now,
                                                     String answer) {
        return db.transaction(tx -> call(tx, token, fingerprint, now, answer));
    }

    private static Optional<IdempotencyRecord> stored(Database db, String token) {
        return db.transaction(tx -> IdempotencyStore.find(tx, ACCOUNT, REGION, OP, token));
    }

    @EveryStore
    void aRecordInsideItsWindowIsNeverReplaced(Supplier<Database> store) {
        try (Database db = store.get()) {
            assertThat(rowLocked(db, "t", "fp-1", T0, "{\"n\":1}")).isEmpty();
            IdempotencyRecord first = new IdempotencyRecord("fp-1", "{\"n\":1}", T0);
            // Copies later in the window, with the same parameters or others, at either isolation: the first answer.
            for (long at : new long[] {T0, T0 + 1, T0 + WINDOW - 1}) {
                assertThat(rowLocked(db, "t", "fp-1", at, "{\"n\":2}")).contains(first);
                assertThat(plain(db, "t", "fp-2", at, "{\"n\":3}")).contains(first);
            }
            assertThat(stored(db, "t")).contains(first);
        }
    }

    /**
     * What a copy that looked the token up before the first copy committed, then waited behind its row locks,
     * did at the end: write its own answer. Only the transaction holding the token's claim may.
     */
    @EveryStore
    void aTransactionThatDidNotClaimTheTokenCannotWriteItsRecord(Supplier<Database> store) {
        try (Database db = store.get()) {
            rowLocked(db, "t", "fp-1", T0, "{\"n\":1}");
            assertThatThrownBy(() -> db.transactionWithRowLocks(tx -> {
                complete(tx, "t", "fp-1", T0 + 1, "{\"n\":2}");
                return null;
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("not claimed");
            assertThat(stored(db, "t")).contains(new IdempotencyRecord("fp-1", "{\"n\":1}", T0));
        }
    }

    /** Writes the answer of a call that holds the token's claim. */
    private static void complete(Tx tx, String token, String fingerprint, long now, String answer) {
        IdempotencyStore.complete(tx, ACCOUNT, REGION, OP, token, answer);
    }

    @EveryStore
    void anExpiredRecordIsTakenOverAndThenKeptForItsOwnWindow(Supplier<Database> store) {
        try (Database db = store.get()) {
            db.transaction(tx -> call(tx, "t", "fp-1", T0, "{\"n\":1}"));
            long later = T0 + WINDOW;
            assertThat(plain(db, "t", "fp-2", later, "{\"n\":2}")).as("expired: taken over").isEmpty();
            IdempotencyRecord second = new IdempotencyRecord("fp-2", "{\"n\":2}", later);
            assertThat(stored(db, "t")).contains(second);
            assertThat(rowLocked(db, "t", "fp-3", later + WINDOW - 1, "{\"n\":3}"))
                    .contains(second);
            assertThat(stored(db, "t")).contains(second);
        }
    }

    @EveryStore
    void aClaimRolledBackLeavesNothingAndTheNextCallClaimsTheToken(Supplier<Database> store) {
        try (Database db = store.get()) {
            assertThatThrownBy(() -> db.transaction(tx -> {
                IdempotencyStore.claim(tx, ACCOUNT, REGION, OP, "t", "fp-1", T0, WINDOW);
                throw new IllegalStateException("the call failed");
            })).hasMessage("the call failed");
            assertThat(stored(db, "t")).isEmpty();
            assertThat(plain(db, "t", "fp-2", T0, "{\"n\":2}")).isEmpty();
            assertThat(stored(db, "t")).contains(new IdempotencyRecord("fp-2", "{\"n\":2}", T0));
        }
    }

    // ---- PostgreSQL: transactions that meet on one token ----

    private static DatabaseUrl url;
    private static final Object URL_LOCK = new Object();

    private static DatabaseUrl postgres() {
        synchronized (URL_LOCK) {
            if (url == null) {
                url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
            }
            return url;
        }
    }

    private static PostgresDatabase open(long timeoutMillis) {
        return PostgresDatabase.open(postgres(), new PoolSettings(4, 5_000, timeoutMillis, 20), TestPostgres.KEY);
    }

    private static int waitingForLocks() throws SQLException {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND wait_event_type = 'Lock'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void awaitWaiting(int n) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waitingForLocks() < n) {
            assertThat(System.nanoTime()).as("%d transactions waiting for a lock", n).isLessThan(until);
            Thread.sleep(20);
        }
    }

    /** A first call that has claimed the token and holds its transaction open until released. */
    private static final class HeldClaim {
        final CountDownLatch claimed = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Future<Optional<IdempotencyRecord>> done;

        HeldClaim(Database db, String token, boolean rollBack) {
            done = threads.submit(() -> db.transactionWithRowLocks(tx -> {
                Optional<IdempotencyRecord> first = IdempotencyStore.claim(tx, ACCOUNT, REGION, OP, token, "fp-1",
                        T0, WINDOW);
                claimed.countDown();
                await(release);
                if (rollBack) {
                    throw new IllegalStateException("the first call failed");
                }
                IdempotencyStore.complete(tx, ACCOUNT, REGION, OP, token, "{\"n\":1}");
                return first;
            }));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A copy that meets the claim of a first call still running waits for it, holding nothing, and then answers
     * the first call's answer: at READ COMMITTED (row-locking operations) and SERIALIZABLE (the others).
     */
    @ParameterizedTest(name = "serializable: {0}")
    @ValueSource(booleans = {false, true})
    void onPostgresACopyWaitsForTheFirstClaimThenGetsItsAnswer(boolean serializable) throws Exception {
        try (PostgresDatabase db = open(30_000)) {
            String token = "wait-" + serializable;
            HeldClaim first = new HeldClaim(db, token, false);
            assertThat(first.claimed.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Optional<IdempotencyRecord>> copy = threads.submit(() -> serializable
                    ? db.transaction(tx -> call(tx, token, "fp-1", T0 + 5, "{\"n\":2}"))
                    : rowLocked(db, token, "fp-1", T0 + 5, "{\"n\":2}"));
            awaitWaiting(1);
            assertThat(copy).as("the copy waits while the first runs").isNotDone();
            first.release.countDown();
            assertThat(first.done.get(30, TimeUnit.SECONDS)).isEmpty();
            IdempotencyRecord answer = new IdempotencyRecord("fp-1", "{\"n\":1}", T0);
            assertThat(copy.get(30, TimeUnit.SECONDS)).contains(answer);
            assertThat(stored(db, token)).contains(answer);
        }
    }

    @Test
    void onPostgresACopyWhoseFirstCallRollsBackClaimsTheToken() throws Exception {
        try (PostgresDatabase db = open(30_000)) {
            HeldClaim first = new HeldClaim(db, "rolled-back", true);
            assertThat(first.claimed.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Optional<IdempotencyRecord>> copy = threads.submit(
                    () -> rowLocked(db, "rolled-back", "fp-1", T0 + 5, "{\"n\":2}"));
            awaitWaiting(1);
            first.release.countDown();
            assertThatThrownBy(() -> first.done.get(30, TimeUnit.SECONDS)).hasMessageContaining("the first call failed");
            assertThat(copy.get(30, TimeUnit.SECONDS)).as("the copy ran").isEmpty();
            assertThat(stored(db, "rolled-back")).contains(new IdempotencyRecord("fp-1", "{\"n\":2}", T0 + 5));
        }
    }

    /**
     * The wait is bounded by the store's lock timeout, here 300 ms for the copies' own transactions (set in the
     * transaction, so that the test does not rest on how the pool sets its sessions up).
     */
    @Test
    void onPostgresACopyThatWaitsPastTheLockTimeoutIsToldTheFirstIsStillRunning() throws Exception {
        try (PostgresDatabase db = open(30_000)) {
            HeldClaim first = new HeldClaim(db, "busy", false);
            assertThat(first.claimed.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                assertThatThrownBy(() -> db.transactionWithRowLocks(tx -> {
                    tx.update("SET LOCAL lock_timeout = 300");
                    return call(tx, "busy", "fp-1", T0 + 5, "{}");
                })).isInstanceOf(ClientTokenBusyException.class).hasMessageContaining("still running");
                assertThatThrownBy(() -> db.transaction(tx -> {
                    tx.update("SET LOCAL statement_timeout = 300");
                    return call(tx, "busy", "fp-1", T0 + 5, "{}");
                })).isInstanceOf(ClientTokenBusyException.class);
            } finally {
                first.release.countDown();
            }
            assertThat(first.done.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(plain(db, "busy", "fp-1", T0 + 6, "{}"))
                    .as("a later retry gets the first answer").contains(new IdempotencyRecord("fp-1", "{\"n\":1}", T0));
        }
    }

    /** The bound a copy's wait rests on: every session of the pool keeps the store's timeouts, even after a rollback. */
    @Test
    void onPostgresEverySessionKeepsTheStoreTimeoutsAfterARollback() {
        try (PostgresDatabase db = open(1_234)) {
            for (int i = 0; i < 8; i++) {
                assertThatThrownBy(() -> db.transaction(tx -> {
                    throw new IllegalStateException("rolled back");
                })).hasMessage("rolled back");
                for (String setting : new String[] {"lock_timeout", "statement_timeout",
                        "idle_in_transaction_session_timeout"}) {
                    String value = db.transactionWithRowLocks(tx -> tx.one("SHOW " + setting, rs -> rs.getString(1))
                            .orElseThrow());
                    assertThat(value).as(setting).isEqualTo("1234ms");
                }
            }
        }
    }

    /** Two calls taking over one expired record at once: one wins, the other gets the winner's answer. */
    @Test
    void onPostgresTwoCallsTakingOverAnExpiredRecordAtOnceRunOnce() throws Exception {
        try (PostgresDatabase db = open(30_000)) {
            db.transaction(tx -> call(tx, "expired", "fp-0", T0 - WINDOW, "{\"n\":0}"));
            HeldClaim first = new HeldClaim(db, "expired", false);
            assertThat(first.claimed.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Optional<IdempotencyRecord>> copy = threads.submit(
                    () -> rowLocked(db, "expired", "fp-1", T0 + 5, "{\"n\":2}"));
            awaitWaiting(1);
            first.release.countDown();
            assertThat(first.done.get(30, TimeUnit.SECONDS)).as("the first took it over").isEmpty();
            IdempotencyRecord answer = new IdempotencyRecord("fp-1", "{\"n\":1}", T0);
            assertThat(copy.get(30, TimeUnit.SECONDS)).contains(answer);
            assertThat(stored(db, "expired")).contains(answer);
        }
    }
}
