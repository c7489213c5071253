package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
    @TempDir
    Path dir;

    private static NetworkRecord network(String id) {
        return new NetworkRecord(id, "000000000000", "us-east-1", "n" + id, "STANDARD", null, null, 1);
    }

    @Test
    void committedWritesSurviveReopeningAndMigrationsRunOnce() {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.transaction(tx -> {
                NetworkStore.insert(tx, network("11111111"));
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            java.util.Optional<NetworkRecord> found =
                    db.transaction(tx -> NetworkStore.find(tx, "000000000000", "us-east-1", "11111111"));
            assertThat(found).isPresent();
            long versions = db.transaction(tx -> tx.count("SELECT COUNT(*) FROM schema_version"));
            assertThat(versions).isEqualTo(Migrations.FILES.size());
        }
        assertThat(dir.resolve(SqliteDatabase.FILE_NAME)).exists();
    }

    @Test
    void aFailedTransactionLeavesNoTrace() {
        try (SqliteDatabase db = SqliteDatabase.inMemory()) {
            assertThatThrownBy(() -> db.transaction(tx -> {
                NetworkStore.insert(tx, network("22222222"));
                NetworkStore.insert(tx, network("22222222")); // primary key violation
                return null;
            })).isInstanceOf(StoreException.class);
            boolean taken = db.transaction(tx -> NetworkStore.idTaken(tx, "22222222"));
            assertThat(taken).isFalse();
        }
    }

    @Test
    void transactionsThatWaitedShareACommitYetFailAlone() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
            try {
                // The first transaction holds the writer until the others have queued behind it.
                var first = pool.submit(() -> db.transaction(tx -> {
                    started.countDown();
                    NetworkStore.insert(tx, network("30000000"));
                    sleep(300);
                    return null;
                }));
                started.await();
                List<java.util.concurrent.Future<Object>> rest = new java.util.ArrayList<>();
                for (int i = 1; i < 24; i++) {
                    String id = String.valueOf(30000000 + i);
                    boolean fails = i % 4 == 0;
                    rest.add(pool.submit(() -> db.transaction(tx -> {
                        NetworkStore.insert(tx, network(id));
                        if (fails) {
                            throw new IllegalArgumentException("refused " + id);
                        }
                        return (Object) id;
                    })));
                }
                first.get();
                for (int i = 1; i < 24; i++) {
                    var answer = rest.get(i - 1);
                    if (i % 4 == 0) {
                        assertThatThrownBy(answer::get).hasCauseInstanceOf(IllegalArgumentException.class)
                                .hasMessageContaining("refused");
                    } else {
                        assertThat(answer.get()).isEqualTo(String.valueOf(30000000 + i));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            for (int i = 0; i < 24; i++) {
                String id = String.valueOf(30000000 + i);
                boolean taken = db.transaction(tx -> NetworkStore.idTaken(tx, id));
                assertThat(taken).as(id).isEqualTo(i == 0 || i % 4 != 0);
            }
        }
    }

    @Test
    void theWriteAheadLogIsCopiedIntoTheDatabaseWhileTheStoreIsOpen() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            java.nio.file.Path file = dir.resolve(SqliteDatabase.FILE_NAME);
            long before = java.nio.file.Files.size(file);
            for (int t = 0; t < 5; t++) {
                int from = t * 400;
                db.transaction(tx -> {
                    for (int i = from; i < from + 400; i++) {
                        NetworkStore.insert(tx, network(String.valueOf(40000000 + i)));
                    }
                    return null;
                });
            }
            // Commits write only the log (automatic checkpoints are off); the checkpointer copies it over.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (java.nio.file.Files.size(file) <= before && System.nanoTime() < deadline) {
                sleep(50);
            }
            assertThat(java.nio.file.Files.size(file)).isGreaterThan(before);
        }
    }

    @Test
    void theLogStaysShortUnderAStreamOfCommits() throws Exception {
        // A small threshold (64 pages), and commits back to back for two seconds: passive checkpoints
        // alone never let the log start again, and its file only ever grew.
        try (SqliteDatabase db = SqliteDatabase.open(dir, 64)) {
            java.nio.file.Path wal = dir.resolve(SqliteDatabase.FILE_NAME + "-wal");
            long end = System.nanoTime() + 2_000_000_000L;
            long largest = 0;
            int shrinks = 0;
            long last = 0;
            for (int n = 0; System.nanoTime() < end; n += 20) {
                int from = n;
                db.transaction(tx -> {
                    for (int i = from; i < from + 20; i++) {
                        NetworkStore.insert(tx, network(String.valueOf(50000000 + i)));
                    }
                    return null;
                });
                long size = java.nio.file.Files.size(wal);
                shrinks += size < last ? 1 : 0;
                largest = Math.max(largest, size);
                last = size;
            }
            assertThat(shrinks).as("times the log file was emptied (largest: %d bytes)", largest).isPositive();
        }
    }

    @Test
    void aTransactionCannotStartInsideAnother() {
        try (SqliteDatabase db = SqliteDatabase.inMemory()) {
            assertThatThrownBy(() -> db.transaction(tx -> db.transaction(inner -> null)))
                    .isInstanceOf(IllegalStateException.class);
            long networks = db.transaction(tx -> tx.count("SELECT COUNT(*) FROM networks"));
            assertThat(networks).isZero();
        }
    }

    @Test
    void aClosedStoreRefusesTransactions() {
        SqliteDatabase db = SqliteDatabase.inMemory();
        db.close();
        assertThatThrownBy(() -> db.transaction(tx -> null)).isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStoreFromANewerVersionIsRefused() {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            db.transaction(tx -> tx.update("INSERT INTO schema_version (version, file, applied_at) VALUES (999, 'future', 0)"));
        }
        assertThatThrownBy(() -> SqliteDatabase.open(dir)).hasMessageContaining("newer");
    }

    @Test
    void keysetPagesNeitherSkipNorRepeat() {
        try (SqliteDatabase db = SqliteDatabase.inMemory()) {
            db.transaction(tx -> {
                for (int i = 10; i < 35; i++) {
                    NetworkStore.insert(tx, network("100000" + i));
                }
                return null;
            });
            for (boolean descending : List.of(true, false)) {
                List<Object> after = null;
                java.util.List<String> seen = new java.util.ArrayList<>();
                do {
                    PageRequest req = new PageRequest(List.of(SortColumn.NETWORK_NAME, SortColumn.NETWORK_ID), descending,
                            after, 7);
                    Page<NetworkRecord> page = db.transaction(tx -> NetworkStore.page(tx, "000000000000", "us-east-1", req));
                    page.items().forEach(n -> seen.add(n.networkId()));
                    after = page.nextKey();
                } while (after != null);
                assertThat(seen).hasSize(25).doesNotHaveDuplicates();
                assertThat(seen).isSortedAccordingTo(descending ? java.util.Comparator.reverseOrder()
                        : java.util.Comparator.naturalOrder());
            }
        }
    }
}
