package io.wickrlocal.store;

import java.util.Optional;

/** Client tokens and the answers they were first given. The response is opaque text to the store. */
public final class IdempotencyStore {
    private IdempotencyStore() {}

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

    public static int purgeOlderThan(Tx tx, long cutoff) {
        return tx.update("DELETE FROM idempotency_records WHERE created_at < ?", cutoff);
    }
}
