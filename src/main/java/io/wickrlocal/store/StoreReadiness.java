package io.wickrlocal.store;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether this node's store can serve calls now, cheaply enough to be asked every second by a load
 * balancer, and whether calls should be refused at once because the database has been unreachable for a
 * while.
 *
 * <p>Not ready, with the reason, when: the database does not accept connections; a transaction of this
 * node has been waiting on the store for longer than {@link #STALL_BOUND_MILLIS} (a lock held elsewhere, a
 * stalled disk); the store's probe (a {@code SELECT} on a pooled connection) did not answer within
 * {@link #PROBE_BOUND_MILLIS}, or failed; or schema migrations are running. At most one probe runs at a
 * time, and its answer serves every check for {@link #REUSE_MILLIS}: however often readiness is asked, the
 * store sees at most a few probes a second, and a check never waits longer than the probe bound.
 */
public final class StoreReadiness implements AutoCloseable {
    public static final long PROBE_BOUND_MILLIS = 1_000;
    public static final long STALL_BOUND_MILLIS = 5_000;
    /** How long the database must have been unreachable before new calls are refused at once. */
    public static final long REFUSE_AFTER_MILLIS = 5_000;
    static final long REUSE_MILLIS = 250;

    private final Database database;
    private final long probeBoundMillis;
    private final long stallBoundMillis;
    private final long refuseAfterMillis;
    private final ExecutorService prober;
    private CompletableFuture<String> probe;
    private long probeStartedNanos;
    /** What the last probe that ended said (reason null: ready), or null before the first one ends. */
    private LastProbe lastProbe;

    private record LastProbe(String reason) {}

    public StoreReadiness(Database database) {
        this(database, PROBE_BOUND_MILLIS, STALL_BOUND_MILLIS, REFUSE_AFTER_MILLIS);
    }

    /** With other bounds, for tests. */
    public StoreReadiness(Database database, long probeBoundMillis, long stallBoundMillis, long refuseAfterMillis) {
        this.database = database;
        this.probeBoundMillis = probeBoundMillis;
        this.stallBoundMillis = stallBoundMillis;
        this.refuseAfterMillis = refuseAfterMillis;
        this.prober = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wickr-readiness");
            t.setDaemon(true);
            return t;
        });
    }

    /** Null when the store serves calls now; otherwise why not, in one sentence without hosts or users. */
    public String check() {
        StoreOutage outage = database.outage();
        if (outage != null) {
            return unreachable(outage);
        }
        long waited = database.longestTransactionMillis();
        if (waited > stallBoundMillis) {
            return String.format(Locale.ROOT, "a call has been waiting on the database for %.1f s, longer than the"
                    + " bound of %d s (a lock held elsewhere, or a stalled database)", waited / 1000.0,
                    TimeUnit.MILLISECONDS.toSeconds(stallBoundMillis));
        }
        CompletableFuture<String> running;
        long runningFor;
        synchronized (this) {
            long now = System.nanoTime();
            boolean started = false;
            if (probe == null || probe.isDone() && now - probeStartedNanos > TimeUnit.MILLISECONDS.toNanos(REUSE_MILLIS)) {
                probeStartedNanos = now;
                try {
                    probe = CompletableFuture.supplyAsync(database::probe, prober);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return "the node is stopping";
                }
                started = true;
            }
            running = probe;
            runningFor = TimeUnit.NANOSECONDS.toMillis(now - probeStartedNanos);
            // Only the check that started a probe waits for it; the others meanwhile get the last probe's
            // answer at once, so checks sent in a flood hold no request thread for the probe's bound.
            if (!started && !running.isDone() && lastProbe != null) {
                return lastProbe.reason();
            }
        }
        String reason = awaitProbe(running, runningFor);
        synchronized (this) {
            lastProbe = new LastProbe(reason);
        }
        return reason;
    }

    private String awaitProbe(CompletableFuture<String> running, long runningFor) {
        StoreOutage outage;
        try {
            // A probe already running past the bound is not waited for again.
            return running.get(Math.max(0, probeBoundMillis - runningFor), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            outage = database.outage();
            return outage != null ? unreachable(outage) : "the database did not answer a probe within "
                    + probeBoundMillis + " ms";
        } catch (ExecutionException e) {
            outage = database.outage();
            if (outage != null) {
                return unreachable(outage);
            }
            return (ConnectFailures.isUnreachable(e.getCause()) ? "the database is unreachable: " : "the database failed a probe: ")
                    + ConnectFailures.phrase(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing the database";
        }
    }

    /**
     * Null when calls should run; otherwise the reason to refuse them at once, before anything of them
     * runs: the database has not accepted a connection for longer than {@link #REFUSE_AFTER_MILLIS}. Reads
     * what the store already knows; asks the database nothing.
     */
    public String refusal() {
        StoreOutage outage = database.outage();
        if (outage == null || outage.millis() <= refuseAfterMillis) {
            return null;
        }
        return unreachable(outage);
    }

    private static String unreachable(StoreOutage outage) {
        return String.format(Locale.ROOT, "the database is unreachable (%s) for %.1f s", outage.reason(),
                outage.millis() / 1000.0);
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
