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

    /** A short name for logs and docs, e.g. "sqlite (in memory)". */
    String describe();

    @Override
    void close();
}
