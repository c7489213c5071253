package io.wickrlocal.store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The transactions of this node that have been asked for and have not ended yet, each with the moment it
 * was asked for (its waits for a queue, a connection, locks and retries included): how long the oldest has
 * been waiting tells the readiness answer that the store is stalled.
 */
final class InFlight {
    private final ConcurrentHashMap<Entry, Long> started = new ConcurrentHashMap<>();

    /** One transaction in flight; closing it ends it. */
    final class Entry implements AutoCloseable {
        @Override
        public void close() {
            started.remove(this);
        }
    }

    Entry enter() {
        Entry e = new Entry();
        started.put(e, System.nanoTime());
        return e;
    }

    /** How long the oldest transaction in flight has been going on, in milliseconds (0 when none). */
    long longestMillis() {
        long now = System.nanoTime();
        long longest = 0;
        for (long t : started.values()) {
            longest = Math.max(longest, now - t);
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }
}
