package io.wickrlocal.service;

import io.wickrlocal.store.AuditStore;
import io.wickrlocal.store.AuditStore.Key;
import io.wickrlocal.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bounds of the audit trail, by age and by count, applied by the server's housekeeping: events older
 * than the retention go, then, in each account whose trail (all regions together) still holds more than
 * the bound, the oldest events beyond it. Oldest first always, by time and then event id, so what is left
 * is the most recent part of the trail, without gaps.
 *
 * <p>Every step is a short transaction of its own, at READ COMMITTED where the store has it: a deletion of
 * at most {@code batch} events, or a count of at most {@code countChunk} keys of the index. A pass over a long
 * trail never holds the store for long (SQLite has one writer; the calls waiting behind a step wait for that
 * step only), and calls go on between the steps. The deletions walk the keys from a cursor of their own, so
 * two nodes evicting the same account at once remove the same events, not twice as many.
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

    AuditEviction(Database database, Clock clock, Duration retention, long maxEvents, int batch, int countChunk) {
        this.database = database;
        this.clock = clock;
        this.retention = retention;
        this.maxEvents = maxEvents;
        this.batch = batch;
        this.countChunk = countChunk;
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
        long cutoff = clock.millis() - retention.toMillis();
        String account = "";
        while ((account = next(account)) != null) {
            List<String> regions = regions(account);
            for (String region : regions) {
                byAge += evictOlderThan(account, region, cutoff);
            }
            byCount += evictBeyondBound(account, regions);
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

    private long evictOlderThan(String account, String region, long cutoff) {
        long removed = 0;
        while (true) {
            int[] step = database.transactionWithRowLocks(tx -> {
                Optional<Key> last = AuditStore.keyAt(tx, account, region, AuditStore.FIRST, cutoff, batch - 1);
                return last.isPresent()
                        ? new int[] {AuditStore.deleteThrough(tx, account, region, last.get()), 1}
                        : new int[] {AuditStore.deleteBefore(tx, account, region, cutoff), 0};
            });
            removed += step[0];
            if (step[1] == 0) {
                return removed;
            }
        }
    }

    /**
     * Counts the account's events, then removes the oldest beyond the bound: the oldest across its regions,
     * merged by time, in batches. The number to remove is fixed by the count, and each batch goes on from
     * where the previous one ended, whatever other nodes removed meanwhile.
     */
    private long evictBeyondBound(String account, List<String> regions) {
        long total = 0;
        for (String region : regions) {
            total += count(account, region);
        }
        long excess = total - maxEvents;
        if (excess <= 0) {
            return 0;
        }
        Map<String, Key> cursors = new HashMap<>();
        regions.forEach(r -> cursors.put(r, AuditStore.FIRST));
        long removed = 0;
        while (excess > 0) {
            int take = (int) Math.min(batch, excess);
            long[] step = database.transactionWithRowLocks(tx -> {
                Map<String, List<Key>> heads = new TreeMap<>();
                for (String r : regions) {
                    heads.put(r, AuditStore.keysAfter(tx, account, r, cursors.get(r), take));
                }
                long taken = 0;
                long deleted = 0;
                // In the order of the regions' names, so that two nodes take their rows in the same order.
                for (Map.Entry<String, Integer> e : oldest(heads, take).entrySet()) {
                    Key through = heads.get(e.getKey()).get(e.getValue() - 1);
                    taken += e.getValue();
                    deleted += AuditStore.deleteThrough(tx, account, e.getKey(), through);
                    cursors.put(e.getKey(), through);
                }
                return new long[] {taken, deleted};
            });
            if (step[0] == 0) {
                break; // fewer events than counted: others removed them
            }
            excess -= step[0];
            removed += step[1];
        }
        return removed;
    }

    /**
     * How many of each region's first keys to remove so that {@code take} events go, the oldest of all
     * regions together: a merge that only ever compares the heads of the lists, so each region gives up a
     * prefix of its own order (the store's), whatever the collation of event ids.
     */
    private static Map<String, Integer> oldest(Map<String, List<Key>> heads, int take) {
        Map<String, Integer> used = new TreeMap<>();
        for (int n = 0; n < take; n++) {
            String pick = null;
            Key best = null;
            for (Map.Entry<String, List<Key>> e : heads.entrySet()) {
                int i = used.getOrDefault(e.getKey(), 0);
                if (i < e.getValue().size() && (best == null || e.getValue().get(i).compareTo(best) < 0)) {
                    best = e.getValue().get(i);
                    pick = e.getKey();
                }
            }
            if (pick == null) {
                break;
            }
            used.merge(pick, 1, Integer::sum);
        }
        return used;
    }

    /** The account's events in the region, counted from the key index in chunks of their own transactions. */
    private long count(String account, String region) {
        long n = 0;
        Key after = AuditStore.FIRST;
        while (true) {
            Key from = after;
            Optional<Key> last = database.transactionWithRowLocks(
                    tx -> AuditStore.keyAt(tx, account, region, from, Long.MAX_VALUE, countChunk - 1));
            if (last.isEmpty()) {
                return n + database.transactionWithRowLocks(tx -> AuditStore.countAfter(tx, account, region, from));
            }
            n += countChunk;
            after = last.get();
        }
    }
}
