package io.wickrlocal.protocol.faults;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Realistic throttling: a token bucket for each account and operation. A bucket holds up to
 * {@code burst} tokens, starts full and refills at {@code ratePerSecond}; a call takes one token or
 * is refused. Off unless the server is started with a limit.
 */
public final class Throttle {
    private final ThrottleLimit limit;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

    public Throttle(ThrottleLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    public ThrottleLimit limit() {
        return limit;
    }

    /** Takes a token for a call; false when the account has used up its calls of this operation for now. */
    public boolean tryAcquire(String accountId, String operation) {
        Bucket bucket = buckets.computeIfAbsent(new Key(accountId, operation), k -> new Bucket(limit.burst(), nanos()));
        return bucket.take(nanos(), limit);
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private record Key(String accountId, String operation) {}

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.refilledAt = now;
        }

        synchronized boolean take(long now, ThrottleLimit limit) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                // A clock that steps back is treated as no time passing, never as a debt.
                tokens = Math.min(limit.burst(), tokens + elapsed / 1e9 * limit.ratePerSecond());
                refilledAt = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
