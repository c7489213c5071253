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

    /** A short name for logs and docs, e.g. "sqlite (in memory)". */
    String describe();

    @Override
    void close();
}
