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
import org.junit.jupiter.api.Test;

/** Readiness checks, which anyone may send without a signature, hold no request thread for long. */
class StoreReadinessTest {

    /** A store whose probe answers ready until told to hang, then waits on a latch. */
    private static final class HangingProbe implements Database {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger probes = new AtomicInteger();
        volatile boolean hang;

        @Override
        public <T> T transaction(TxWork<T> work) {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public String probe() {
            probes.incrementAndGet();
            if (hang) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        }

        @Override
        public String describe() {
            return "hanging probe";
        }

        @Override
        public void close() {}
    }

    @Test
    void onlyTheCheckThatStartsAProbeWaitsForItTheOthersGetTheLastAnswerAtOnce() throws Exception {
        HangingProbe store = new HangingProbe();
        ExecutorService threads = Executors.newCachedThreadPool();
        try (StoreReadiness readiness = new StoreReadiness(store, 2_000, 5_000, 5_000)) {
            assertThat(readiness.check()).as("ready").isNull();
            Thread.sleep(StoreReadiness.REUSE_MILLIS + 50);
            store.hang = true;
            Future<String> starter = threads.submit(readiness::check);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (store.probes.get() < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(store.probes.get()).as("the second probe started").isEqualTo(2);
            List<Future<String>> flood = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                flood.add(threads.submit(readiness::check));
            }
            for (Future<String> f : flood) {
                // Answered long before the hanging probe's bound of 2 s (a generous wait against hangs).
                assertThat(f.get(1, TimeUnit.SECONDS)).as("the last probe's answer: ready").isNull();
            }
            assertThat(starter.isDone()).as("the check that started the probe still waits for it").isFalse();
            assertThat(store.probes.get()).as("one probe at a time").isEqualTo(2);
            store.release.countDown();
            assertThat(starter.get(5, TimeUnit.SECONDS)).isNull();
        } finally {
            store.release.countDown();
            threads.shutdownNow();
        }
    }
}
