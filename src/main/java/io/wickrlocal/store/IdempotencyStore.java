package io.wickrlocal.store;

import java.util.List;
import java.util.Optional;

/** Client tokens and the answers they were first given. The response is opaque text to the store. */
public final class IdempotencyStore {
    private IdempotencyStore() {}

    /** How many tokens an account holds from a time on, and when the oldest of them was created (0 when none). */
    public record TokenCount(long count, long oldestCreatedAt) {}

    public static Optional<IdempotencyRecord> find(Tx tx, String accountId, String region, String operation,
                                                   String token) {
        return tx.one("SELECT fingerprint, response, created_at FROM idempotency_records"
                        + " WHERE account_id = ? AND region = ? AND operation = ? AND token = ?",
                rs -> new IdempotencyRecord(rs.getString(1), rs.getString(2), rs.getLong(3)),
                accountId, region, operation, token);
    }

    /** Records the answer, replacing an expired record of the same token if one is left. */
    public static void save(Tx tx, String accountId, String region, String operation, String token,
                            IdempotencyRecord record) {
        tx.update("DELETE FROM idempotency_records WHERE account_id = ? AND region = ? AND operation = ? AND token = ?",
                accountId, region, operation, token);
        tx.update("INSERT INTO idempotency_records (account_id, region, operation, token, fingerprint, response,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                accountId, region, operation, token, record.fingerprint(), record.response(), record.createdAt());
    }

    /**
     * The account's tokens, in every region and operation, created after {@code after} (epoch seconds).
     * Read from the index by account and age alone, without touching the stored answers.
     */
    public static TokenCount countNewerThan(Tx tx, String accountId, long after) {
        return tx.one("SELECT COUNT(*), MIN(created_at) FROM idempotency_records WHERE account_id = ? AND created_at > ?",
                rs -> new TokenCount(rs.getLong(1), rs.getLong(2)), accountId, after)
                .orElse(new TokenCount(0, 0));
    }

    /** The first account after {@code after}, in text order, that holds tokens; null when there is none. */
    public static String nextAccount(Tx tx, String after) {
        return tx.one("SELECT account_id FROM idempotency_records WHERE account_id > ? ORDER BY account_id LIMIT 1",
                rs -> rs.getString(1), after).orElse(null);
    }

    /** Forgets up to {@code limit} of the account's tokens created before the cutoff, oldest first; returns how many. */
    public static int purgeOlderThan(Tx tx, String accountId, long cutoff, int limit) {
        List<Object[]> keys = tx.list("SELECT region, operation, token FROM idempotency_records"
                        + " WHERE account_id = ? AND created_at < ? ORDER BY created_at LIMIT ?",
                rs -> new Object[] {accountId, rs.getString(1), rs.getString(2), rs.getString(3), cutoff},
                accountId, cutoff, limit);
        tx.batch("DELETE FROM idempotency_records WHERE account_id = ? AND region = ? AND operation = ? AND token = ?"
                + " AND created_at < ?", keys);
        return keys.size();
    }
}
