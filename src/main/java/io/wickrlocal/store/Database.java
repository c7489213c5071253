package io.wickrlocal.store;

/**
 * A transactional store. Every request's mutations run inside one {@link #transaction} call:
 * all of them commit, or none does.
 */
public interface Database extends AutoCloseable {

    /** Runs the work in one transaction and commits it; any exception rolls everything back. */
    <T> T transaction(TxWork<T> work);

    /**
     * Runs work that locks the rows its decisions depend on ({@link Tx#lockRows()}) in one transaction.
     * PostgreSQL runs it at READ COMMITTED: under SERIALIZABLE its page-level read locks make transactions
     * on disjoint rows that share a page abort each other (measured: most concurrent 50-user toggles).
     * The serializable transactions it meets stay safe, since each one that writes those rows either
     * waits for its lock or fails as a concurrent update and runs again.
     */
    default <T> T transactionWithRowLocks(TxWork<T> work) {
        return transaction(work);
    }

    /**
     * Runs the work in one transaction that starts only once no other transaction queued under the same key
     * is running. PostgreSQL takes the queue's lock before the transaction's snapshot, so the second of two
     * such transactions sees everything the first committed and the two never conflict: under SERIALIZABLE
     * concurrent BatchCreateUser calls otherwise abort each other on the predicate locks of their uniqueness
     * checks (measured: 4 % of calls from 8 clients in one network failed after all their retries).
     * SQLite has one writer, so every transaction is queued already. The key is only hashed; any string will do.
     */
    default <T> T transactionQueuedBy(String queueKey, TxWork<T> work) {
        return transaction(work);
    }

    /**
     * Checks that the store answers now, by one short query; returns null when it does, or why this node
     * should not take calls though the store answered (such as schema migrations running). A failure to
     * answer is thrown. {@link StoreReadiness} bounds how long a caller waits for it.
     */
    default String probe() {
        transaction(tx -> tx.one("SELECT 1", rs -> rs.getInt(1)));
        return null;
    }

    /** When the database does not accept connections now: why, and since how long; null otherwise. */
    default StoreOutage outage() {
        return null;
    }

    /**
     * How long the oldest transaction this store is running (or waiting to run, retries included) has
     * been going on, in milliseconds; 0 when none is.
     */
    default long longestTransactionMillis() {
        return 0;
    }

    /** A short name for logs and docs, e.g. "sqlite (in memory)". */
    String describe();

    @Override
    void close();
}
