package io.wickrlocal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail: events are only ever added, read in pages of one account and region, evicted oldest
 * first (by age or by count, through the key's order), and deleted wholesale when an account's state is reset.
 */
public final class AuditStore {
    private AuditStore() {}

    /** Where an event sits in its account and region's order: time, then event id. */
    public record Key(long occurredAt, String eventId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int byTime = Long.compare(occurredAt, o.occurredAt);
            return byTime != 0 ? byTime : eventId.compareTo(o.eventId);
        }

        /** The position before every event of that millisecond and after every earlier one. */
        public static Key at(long millis) {
            return new Key(millis, "");
        }
    }

    /** A position after every event. */
    public static final Key END = Key.at(Long.MAX_VALUE);

    public static void insert(Tx tx, List<AuditEventRecord> events) {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (AuditEventRecord e : events) {
            rows.add(new Object[] {e.accountId(), e.region(), e.occurredAt(), e.eventId(), e.operation(),
                    e.accessKeyId(), e.requestId(), e.outcome(), e.networkId(), e.userId(), e.details()});
        }
        tx.batch("INSERT INTO audit_events (account_id, region, occurred_at, event_id, operation, access_key_id,"
                + " request_id, outcome, network_id, user_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    /** A page of the account's events in the region, ordered by {@link SortColumn#AUDIT_TIME} and event id. */
    public static Page<AuditEventRecord> page(Tx tx, String accountId, String region, AuditFilter filter,
                                              PageRequest page) {
        StringBuilder from = new StringBuilder("FROM audit_events a WHERE a.account_id = ? AND a.region = ?");
        List<Object> args = new ArrayList<>(List.of(accountId, region));
        if (filter.operation() != null) {
            from.append(" AND a.operation = ?");
            args.add(filter.operation());
        }
        if (filter.userId() != null) {
            from.append(" AND a.user_id = ?");
            args.add(filter.userId());
        }
        if (filter.networkId() != null) {
            from.append(" AND a.network_id = ?");
            args.add(filter.networkId());
        }
        if (filter.fromMillis() != null) {
            from.append(" AND a.occurred_at >= ?");
            args.add(filter.fromMillis());
        }
        if (filter.untilMillis() != null) {
            from.append(" AND a.occurred_at < ?");
            args.add(filter.untilMillis());
        }
        return Keyset.fetch(tx, "a.*", from.toString(), args, page, rs -> new AuditEventRecord(
                rs.getString("account_id"), rs.getString("region"), rs.getLong("occurred_at"),
                rs.getString("event_id"), rs.getString("operation"), rs.getString("access_key_id"),
                rs.getString("request_id"), rs.getString("outcome"), rs.getString("network_id"),
                Tx.nullableLong(rs, "user_id"), rs.getString("details")));
    }

    /** Forgets every event of the account, in all regions; returns how many went. */
    public static int deleteAccount(Tx tx, String accountId) {
        return tx.update("DELETE FROM audit_events WHERE account_id = ?", accountId);
    }

    /** Forgets every event of every account; returns how many went. */
    public static int deleteAll(Tx tx) {
        return tx.update("DELETE FROM audit_events");
    }

    /** The first account after {@code after}, in text order, that has events; null when there is none. */
    public static String nextAccount(Tx tx, String after) {
        return tx.one("SELECT account_id FROM audit_events WHERE account_id > ? ORDER BY account_id LIMIT 1",
                rs -> rs.getString(1), after).orElse(null);
    }

    /** The first region after {@code after}, in text order, where the account has events; null when there is none. */
    public static String nextRegion(Tx tx, String accountId, String after) {
        return tx.one("SELECT region FROM audit_events WHERE account_id = ? AND region > ? ORDER BY region LIMIT 1",
                rs -> rs.getString(1), accountId, after).orElse(null);
    }

    /**
     * The key of the event {@code offset} places from the oldest (0: the oldest) among the account's events
     * in the region before {@code before}; empty when there are not that many. Reads the key's index only.
     */
    public static Optional<Key> fromOldest(Tx tx, String accountId, String region, Key before, int offset) {
        return tx.one("SELECT occurred_at, event_id FROM audit_events WHERE account_id = ? AND region = ?"
                        + " AND (occurred_at, event_id) < (?, ?) ORDER BY occurred_at, event_id LIMIT 1 OFFSET ?",
                rs -> new Key(rs.getLong(1), rs.getString(2)), accountId, region, before.occurredAt(), before.eventId(),
                offset);
    }

    /**
     * The key of the event {@code offset} places from the newest (0: the newest) among the account's events
     * in the region before {@code before}; empty when there are not that many. Reads the key's index only.
     */
    public static Optional<Key> fromNewest(Tx tx, String accountId, String region, Key before, int offset) {
        return tx.one("SELECT occurred_at, event_id FROM audit_events WHERE account_id = ? AND region = ?"
                        + " AND (occurred_at, event_id) < (?, ?) ORDER BY occurred_at DESC, event_id DESC LIMIT 1 OFFSET ?",
                rs -> new Key(rs.getLong(1), rs.getString(2)), accountId, region, before.occurredAt(), before.eventId(),
                offset);
    }

    /** The keys of up to {@code limit} events of the account and region before {@code before}, newest first. */
    public static List<Key> newestBefore(Tx tx, String accountId, String region, Key before, int limit) {
        return tx.list("SELECT occurred_at, event_id FROM audit_events WHERE account_id = ? AND region = ?"
                        + " AND (occurred_at, event_id) < (?, ?) ORDER BY occurred_at DESC, event_id DESC LIMIT ?",
                rs -> new Key(rs.getLong(1), rs.getString(2)), accountId, region, before.occurredAt(), before.eventId(),
                limit);
    }

    /** How many events of the account and region come before {@code before}. */
    public static long countBefore(Tx tx, String accountId, String region, Key before) {
        return tx.count("SELECT COUNT(*) FROM audit_events WHERE account_id = ? AND region = ?"
                + " AND (occurred_at, event_id) < (?, ?)", accountId, region, before.occurredAt(), before.eventId());
    }

    /** Forgets the events of the account and region up to and including {@code through}; returns how many went. */
    public static int deleteThrough(Tx tx, String accountId, String region, Key through) {
        return tx.update("DELETE FROM audit_events WHERE account_id = ? AND region = ? AND (occurred_at, event_id) <= (?, ?)",
                accountId, region, through.occurredAt(), through.eventId());
    }

    /** Forgets the events of the account and region before {@code before}; returns how many went. */
    public static int deleteBefore(Tx tx, String accountId, String region, Key before) {
        return tx.update("DELETE FROM audit_events WHERE account_id = ? AND region = ? AND (occurred_at, event_id) < (?, ?)",
                accountId, region, before.occurredAt(), before.eventId());
    }
}
