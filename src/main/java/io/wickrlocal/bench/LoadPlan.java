package io.wickrlocal.bench;

import java.time.Duration;

/**
 * What to run, already checked: how many workers, which calls, and when to stop.
 *
 * @param clients concurrent workers, each with at most one request in flight
 * @param duration how long to run, or null when {@code requests} bounds the run
 * @param requests how many requests to send, or 0 when {@code duration} bounds the run
 * @param rate requests per second on a fixed schedule (open loop), or 0 for back-to-back (closed loop)
 */
record LoadPlan(int clients, OperationMix mix, int batchSize, Duration duration, long requests, double rate) {

    LoadPlan {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be positive");
        }
        if ((duration == null) == (requests <= 0)) {
            throw new IllegalArgumentException("exactly one of duration and requests bounds a run");
        }
        if (rate < 0 || batchSize < 1) {
            throw new IllegalArgumentException("rate must not be negative and batchSize must be positive");
        }
    }

    /** The same calls, closed loop, for a while: what a warm-up runs before the measured run. */
    LoadPlan warmUp(Duration length) {
        return new LoadPlan(clients, mix, batchSize, length, 0, 0);
    }

    boolean openLoop() {
        return rate > 0;
    }

    /** Every request an open-loop run schedules. */
    long scheduledRequests() {
        return requests > 0 ? requests : (long) Math.ceil(duration.toNanos() / 1e9 * rate);
    }
}
