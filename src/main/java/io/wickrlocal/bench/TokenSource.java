package io.wickrlocal.bench;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh {@code X-Client-Token}s: a random prefix per run and a counter. UUID.randomUUID would draw from one
 * shared SecureRandom, which 64 workers calling it thousands of times a second would queue on.
 */
final class TokenSource {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    TokenSource() {
        this.prefix = "bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "-";
    }

    /** At most 6 + 16 + 1 + 19 = 42 characters of {@code [a-z0-9-]}, inside the model's 64 and pattern. */
    String next() {
        return prefix + counter.incrementAndGet();
    }
}
