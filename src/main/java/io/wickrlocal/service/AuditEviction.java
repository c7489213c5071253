package io.wickrlocal.service;

import io.wickrlocal.store.AuditStore;
import io.wickrlocal.store.AuditStore.Key;
import io.wickrlocal.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bounds of the audit trail, by age and by count, applied by the server's housekeeping: events older
 * than the retention go, then, in each account whose trail (all regions together) still holds more than
 * the bound, every event older than the newest {@code maxEvents}. Oldest first always, by time and then
 * event id, so what is left is the most recent part of the trail, without gaps.
 *
 * <p>Every step is a short transaction of its own, at READ COMMITTED where the store has it: a deletion of
 * at most {@code batch} events, or a read of at most {@code chunk} keys of the index. A pass over a long trail
 * never holds the store for long (SQLite has one writer; the calls waiting behind a step wait for that step
 * only), and calls go on between the steps. What a pass deletes is fixed by where the newest events are, not
 * by how many it counted, so two nodes evicting the same account at once delete the same events, not twice
 * as many.
 */
final class AuditEviction {
    static final int BATCH = 1000;
    static final int COUNT_CHUNK = 50_000;

    private final Database database;
    private final Clock clock;
    private final Duration retention;
    private final long maxEvents;
    private final int batch;
    private final int countChunk;
    private final int walkChunk;

    /**
     * @param batch the most events one step deletes
     * @param countChunk the most keys one step counts (in the store)
     */
    AuditEviction(Database database, Clock clock, Duration retention, long maxEvents, int batch, int countChunk) {
        this.database = database;
        this.clock = clock;
        this.retention = retention;
        this.maxEvents = maxEvents;
        this.batch = batch;
        this.countChunk = countChunk;
        this.walkChunk = Math.min(batch * 10, countChunk); // keys read into memory, per region and step
    }

    /** How many events one pass removed, for being too old and for being beyond an account's bound. */
    record Result(long byAge, long byCount) {
        long total() {
            return byAge + byCount;
        }
    }

    /** One pass over every account. */
    Result run() {
        long byAge = 0;
        long byCount = 0;
        Key cutoff = Key.at(clock.millis() - retention.toMillis());
        String account = "";
        while ((account = next(account)) != null) {
            List<String> regions = regions(account);
            for (String region : regions) {
                byAge += deleteBefore(account, region, cutoff);
            }
            if (count(account, regions) > maxEvents) {
                for (Map.Entry<String, Key> bound : boundaries(account, regions).entrySet()) {
                    byCount += deleteBefore(account, bound.getKey(), bound.getValue());
                }
            }
        }
        return new Result(byAge, byCount);
    }

    private String next(String after) {
        return database.transactionWithRowLocks(tx -> AuditStore.nextAccount(tx, after));
    }

    private List<String> regions(String account) {
        return database.transactionWithRowLocks(tx -> {
            List<String> out = new ArrayList<>();
            String region = "";
            while ((region = AuditStore.nextRegion(tx, account, region)) != null) {
                out.add(region);
            }
            return out;
        });
    }

    /** Deletes the events of the account and region before the key, oldest first, {@code batch} at a time. */
    private long deleteBefore(String account, String region, Key before) {
        long removed = 0;
        while (true) {
            long[] step = database.transactionWithRowLocks(tx -> {
                Optional<Key> last = AuditStore.fromOldest(tx, account, region, before, batch - 1);
                return last.isPresent()
                        ? new long[] {AuditStore.deleteThrough(tx, account, region, last.get()), 1}
                        : new long[] {AuditStore.deleteBefore(tx, account, region, before), 0};
            });
            removed += step[0];
            if (step[1] == 0) {
                return removed;
            }
        }
    }

    /** The account's events in all regions, counted in the store, {@code countChunk} keys at a time. */
    private long count(String account, List<String> regions) {
        long n = 0;
        for (String region : regions) {
            Key before = AuditStore.END;
            while (true) {
                Key from = before;
                Optional<Key> last = database.transactionWithRowLocks(
                        tx -> AuditStore.fromNewest(tx, account, region, from, countChunk - 1));
                if (last.isEmpty()) {
                    n += database.transactionWithRowLocks(tx -> AuditStore.countBefore(tx, account, region, from));
                    break;
                }
                n += countChunk;
                before = last.get();
            }
        }
        return n;
    }

    /**
     * Where each region's kept events begin, so that the account keeps its newest {@code maxEvents} of all
     * regions together: a merge of the regions' keys from the newest, read {@code walkChunk} at a time, that
     * only ever compares the heads of the regions, so each region keeps a prefix of its own order (the
     * store's, whatever the collation of event ids). A region none of whose events are kept is cut at the
     * oldest kept event of the others. Empty when the account holds no more than the bound (any more).
     */
    private Map<String, Key> boundaries(String account, List<String> regions) {
        Map<String, Walk> walks = new TreeMap<>();
        regions.forEach(r -> walks.put(r, new Walk()));
        Key oldestKept = null;
        for (long kept = 0; kept < maxEvents; kept++) {
            String pick = null;
            for (Map.Entry<String, Walk> e : walks.entrySet()) {
                Key head = e.getValue().head(account, e.getKey());
                if (head != null && (pick == null || head.compareTo(walks.get(pick).head(account, pick)) > 0)) {
                    pick = e.getKey();
                }
            }
            if (pick == null) {
                return Map.of();
            }
            oldestKept = walks.get(pick).take();
        }
        Map<String, Key> out = new TreeMap<>();
        for (Map.Entry<String, Walk> e : walks.entrySet()) {
            out.put(e.getKey(), e.getValue().oldestKept != null ? e.getValue().oldestKept : oldestKept);
        }
        return out;
    }

    /** One region's keys from the newest, read a chunk at a time. */
    private final class Walk {
        private List<Key> chunk = List.of();
        private int next;
        private boolean exhausted;
        private Key before = AuditStore.END;
        Key oldestKept;

        Key head(String account, String region) {
            if (next == chunk.size() && !exhausted) {
                Key from = before;
                chunk = database.transactionWithRowLocks(
                        tx -> AuditStore.newestBefore(tx, account, region, from, walkChunk));
                next = 0;
                exhausted = chunk.size() < walkChunk;
                if (!chunk.isEmpty()) {
                    before = chunk.get(chunk.size() - 1);
                }
            }
            return next < chunk.size() ? chunk.get(next) : null;
        }

        Key take() {
            oldestKept = chunk.get(next++);
            return oldestKept;
        }
    }
}
