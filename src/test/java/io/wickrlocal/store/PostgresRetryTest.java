package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresRetryTest {
    private static PostgresDatabase db;

    @BeforeAll
    static void open() {
        db = TestPostgres.newDatabase();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static RuntimeException conflict() {
        return SqlFailures.wrap(new SQLException("could not serialize access", "40001"));
    }

    @Test
    void aLostConflictIsRunAgainAndOnlyTheLastAttemptCommits() {
        AtomicInteger attempts = new AtomicInteger();
        String id = db.transaction(tx -> {
            String nid = "3333333" + attempts.get();
            NetworkStore.insert(tx, new NetworkRecord(nid, "a", "r", "n", "STANDARD", null, null, 1));
            if (attempts.incrementAndGet() < 3) {
                throw conflict();
            }
            return nid;
        });
        assertThat(attempts).hasValue(3);
        assertThat(id).isEqualTo("33333332");
        boolean first = db.transaction(tx -> NetworkStore.idTaken(tx, "33333330"));
        boolean last = db.transaction(tx -> NetworkStore.idTaken(tx, "33333332"));
        assertThat(first).as("rolled back attempt").isFalse();
        assertThat(last).isTrue();
    }

    @Test
    void aDroppedConnectionIsReplacedAndTheTransactionRunAgain() {
        AtomicInteger attempts = new AtomicInteger();
        String id = db.transaction(tx -> {
            if (attempts.incrementAndGet() == 1) {
                // The server ends this very connection, as a restart or a network cut would.
                tx.one("SELECT pg_terminate_backend(pg_backend_pid())", rs -> rs.getBoolean(1));
            }
            NetworkStore.insert(tx, new NetworkRecord("44444444", "a", "r", "n", "STANDARD", null, null, 1));
            return "44444444";
        });
        assertThat(attempts.get()).isGreaterThanOrEqualTo(2);
        boolean stored = db.transaction(tx -> NetworkStore.idTaken(tx, id));
        assertThat(stored).isTrue();
    }

    @Test
    void retriesAreBoundedThenTheFailureIsReported() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> db.transaction(tx -> {
            attempts.incrementAndGet();
            throw conflict();
        })).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.isTransient()).isTrue());
        assertThat(attempts).hasValue(PoolSettings.defaults().maxAttempts());
    }

    @Test
    void mistakesAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> db.transaction(tx -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("a bug, not a conflict");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void nodesStartingTogetherMigrateOnce() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<PostgresDatabase>> opening = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opening.add(pool.submit(() -> PostgresDatabase.open(url, PoolSettings.defaults().withMaxConnections(2), TestPostgres.KEY)));
            }
            java.util.List<PostgresDatabase> nodes = new java.util.ArrayList<>();
            for (var f : opening) {
                nodes.add(f.get());
            }
            long versions = nodes.get(0).transaction(tx -> tx.count("SELECT COUNT(*) FROM schema_version"));
            assertThat(versions).isEqualTo(Migrations.FILES.size());
            nodes.forEach(PostgresDatabase::close);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void urlsAreParsedWithoutShowingThePassword() {
        DatabaseUrl a = DatabaseUrl.parse("postgresql://wickr:s%40cret@db.local:5433/wickr?sslmode=disable");
        assertThat(a.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/wickr?sslmode=disable");
        assertThat(a.user()).isEqualTo("wickr");
        assertThat(a.password()).isEqualTo("s@cret");
        assertThat(a.describe()).doesNotContain("s@cret").doesNotContain("cret");
        DatabaseUrl b = DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:5432/w?user=u&password=p");
        assertThat(b.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/w");
        assertThat(b.user()).isEqualTo("u");
        assertThat(b.password()).isEqualTo("p");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://h/db")).hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h")).hasMessageContaining("database name");
    }
}
