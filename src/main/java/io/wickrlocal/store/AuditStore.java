package io.wickrlocal.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail: events are only ever added, read in pages of one account and region, and deleted
 * wholesale when an account's state is reset.
 */
public final class AuditStore {
    private AuditStore() {}

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
}
