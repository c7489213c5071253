package io.wickrlocal.store;

import java.util.List;
import java.util.Optional;

/** Client tokens and the answers they were first given. The response is opaque text to the store. */
public final class IdempotencyStore {
    private IdempotencyStore() {}

    /** How many tokens an account holds from a time on, and when the oldest of them was created (0 when none). */
    public record TokenCount(long count, long oldestCreatedAt) {}

    /** The response column of a claimed token whose call has not finished: never visible outside its transaction. */
    static final String PENDING = "";

    /** How many times a claim looks again when the token's row went or changed between two of its statements. */
    private static final int CLAIM_ATTEMPTS = 4;

    /**
     * The token's record, as stored; a record created at or before {@code now - window} is expired. Outside the
     * call's own transaction (the read before an operation's slow work) the response is always a complete one.
     */
    public static Optional<IdempotencyRecord> find(Tx tx, String accountId, String region, String operation,
                                                   String token) {
        return tx.one("SELECT fingerprint, response, created_at FROM idempotency_records"
                        + " WHERE account_id = ? AND region = ? AND operation = ? AND token = ?",
                rs -> new IdempotencyRecord(rs.getString(1), rs.getString(2), rs.getLong(3)),
                accountId, region, operation, token);
    }

    /**
     * Claims the client token for the calling transaction, or finds the answer a copy of the call gave first.
     * It must be the transaction's first statement, before any other read or lock: a copy that waits here then
     * holds nothing another copy could wait for, and at READ COMMITTED everything it reads afterwards is newer
     * than the first copy's commit.
     *
     * <p>The claim is an insert of a pending record ({@link #PENDING} as its response, this call's fingerprint and
     * time), which {@link #complete} fills in before the transaction commits, so no other transaction ever sees a
     * pending record. When the token already has a row:
     * <ul>
     *   <li>a committed record inside its window is returned, and nothing is changed (its fingerprint may differ
     *       from this call's: the caller refuses such a copy);</li>
     *   <li>a record another transaction is writing (the claim of a copy still running) is waited for, up to the
     *       store's lock timeout: on PostgreSQL the insert blocks on the key until that transaction ends. At READ
     *       COMMITTED it then finds the committed record (or claims the token, if the other copy rolled back); at
     *       SERIALIZABLE the store reports a serialization failure and runs the transaction again, whose fresh
     *       snapshot finds the record. SQLite runs one write transaction at a time and never waits here;</li>
     *   <li>an expired record is taken over by an update guarded by its age, so that of two calls taking it
     *       over at once only one gets it, and the other finds the winner's record.</li>
     * </ul>
     * A record is never deleted or replaced inside its window.
     *
     * @param windowSeconds how long a record keeps its answer: older ones are expired
     * @return empty when the transaction now holds the token: it runs the call, then {@link #complete}s the
     *         record; otherwise the committed record of the first answer, inside its window
     * @throws ClientTokenBusyException when the wait for another transaction's claim ran past the store's lock
     *         or statement timeout
     */
    public static Optional<IdempotencyRecord> claim(Tx tx, String accountId, String region, String operation,
                                                    String token, String fingerprint, long now, long windowSeconds) {
        long expiredAtOrBefore = now - windowSeconds;
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            if (insertPending(tx, accountId, region, operation, token, fingerprint, now)) {
                return Optional.empty();
            }
            Optional<IdempotencyRecord> found = find(tx, accountId, region, operation, token);
            if (found.isEmpty()) {
                continue; // deleted since the insert met it (a purge of expired tokens, a reset): claim it again
            }
            IdempotencyRecord record = found.get();
            if (record.createdAt() > expiredAtOrBefore) {
                if (record.response().equals(PENDING)) {
                    throw busy(token); // never committed so; refused rather than taken for an answer
                }
                return found;
            }
            int taken = tx.update("UPDATE idempotency_records SET fingerprint = ?, response = ?, created_at = ?"
                            + " WHERE account_id = ? AND region = ? AND operation = ? AND token = ? AND created_at <= ?",
                    fingerprint, PENDING, now, accountId, region, operation, token, expiredAtOrBefore);
            if (taken == 1) {
                return Optional.empty();
            }
            // Another transaction took the expired record over (or purged it) and committed: look again.
        }
        throw busy(token);
    }

    private static boolean insertPending(Tx tx, String accountId, String region, String operation, String token,
                                         String fingerprint, long now) {
        try {
            return tx.update("INSERT INTO idempotency_records (account_id, region, operation, token, fingerprint,"
                            + " response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (account_id, region, operation, token) DO NOTHING",
                    accountId, region, operation, token, fingerprint, PENDING, now) == 1;
        } catch (StoreException e) {
            if (SqlFailures.isTimeout(e)) {
                throw busy(token);
            }
            throw e;
        }
    }

    private static ClientTokenBusyException busy(String token) {
        return new ClientTokenBusyException("another call with the client token " + token
                + " is still running, and this one waited for it as long as the store allows");
    }

    /**
     * Stores the answer of the call that {@link #claim}ed the token, in the same transaction: the record is
     * complete when it commits.
     */
    public static void complete(Tx tx, String accountId, String region, String operation, String token,
                                String response) {
        if (response.equals(PENDING)) {
            throw new IllegalArgumentException("an answer cannot be empty");
        }
        int n = tx.update("UPDATE idempotency_records SET response = ?"
                        + " WHERE account_id = ? AND region = ? AND operation = ? AND token = ? AND response = ?",
                response, accountId, region, operation, token, PENDING);
        if (n != 1) {
            throw new IllegalStateException("the client token " + token + " was not claimed by this transaction");
        }
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
