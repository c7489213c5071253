package io.wickrlocal.store;

/**
 * A transactional store. Every request's mutations run inside one {@link #transaction} call:
 * all of them commit, or none does.
 */
public interface Database extends AutoCloseable {

    /** Runs the work in one transaction and commits it; any exception rolls everything back. */
    <T> T transaction(TxWork<T> work);

    /** A short name for logs and docs, e.g. "sqlite (in memory)". */
    String describe();

    @Override
    void close();
}
