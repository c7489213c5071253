package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Database#transactionQueuedBy} on PostgreSQL, with two "nodes" (pools) on one database. */
class TransactionQueuesTest {
    private static PostgresDatabase node1;
    private static PostgresDatabase node2;

    @BeforeAll
    static void open() {
        String url = TestPostgres.newDatabaseUrl();
        // Two connections and one attempt: a caller that has to wait for a connection fails at once.
        PoolSettings small = new PoolSettings(2, 2_000, 30_000, 1);
        node1 = PostgresDatabase.open(DatabaseUrl.parse(url), small, TestPostgres.KEY);
        node2 = PostgresDatabase.open(DatabaseUrl.parse(url), small, TestPostgres.KEY);
    }

    @AfterAll
    static void close() {
        node1.close();
        node2.close();
    }

    private static NetworkRecord network(String id) {
        return new NetworkRecord(id, "a", "r", "n", "STANDARD", null, null, 1);
    }

    @Test
    void transactionsOfOneKeyNeverOverlapOnAnyNode() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            PostgresDatabase node = t % 2 == 0 ? node1 : node2;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    node.transactionQueuedBy("one key", tx -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        tx.one("SELECT pg_sleep(0.005)", rs -> null);
                        inside.decrementAndGet();
                        return null;
                    });
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(mostInside).hasValue(1);
    }

    @Test
    void theNextInTheQueueSeesWhatTheOneBeforeCommitted() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondWaiting = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> first = pool.submit(() -> node1.transactionQueuedBy("visibility", tx -> {
            firstInside.countDown();
            NetworkStore.insert(tx, network("66666666"));
            await(secondWaiting);
            tx.one("SELECT pg_sleep(0.2)", rs -> null); // lets the second caller reach the node's lock first
            return null;
        }));
        await(firstInside);
        Future<Boolean> second = pool.submit(() -> {
            secondWaiting.countDown();
            return node2.transactionQueuedBy("visibility", tx -> NetworkStore.idTaken(tx, "66666666"));
        });
        first.get(30, TimeUnit.SECONDS);
        assertThat(second.get(30, TimeUnit.SECONDS)).as("a snapshot taken after the first one's commit").isTrue();
        pool.shutdown();
    }

    @Test
    void differentKeysRunSideBySideAndWaitersHoldNoConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        Future<?> holder = pool.submit(() -> node1.transactionQueuedBy("busy", tx -> {
            holding.countDown();
            await(release);
            return null;
        }));
        await(holding);
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(pool.submit(() -> node1.transactionQueuedBy("busy", tx -> null)));
        }
        Thread.sleep(200);
        // The pool has two connections: the holder has one; the four waiters must not have taken the other.
        boolean other = node1.transactionQueuedBy("another key", tx -> NetworkStore.idTaken(tx, "77777777"));
        boolean plain = node1.transaction(tx -> NetworkStore.idTaken(tx, "77777777"));
        assertThat(other).isFalse();
        assertThat(plain).isFalse();
        assertThat(waiters).noneMatch(Future::isDone);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        for (Future<?> w : waiters) {
            w.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
