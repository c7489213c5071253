package io.wickrlocal.service;

import io.wickrlocal.store.Database;
import io.wickrlocal.store.StoreException;
import io.wickrlocal.store.TxWork;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that fails the next transaction in a chosen way, as a crashing node or a lost connection would. */
final class FaultyDatabase implements Database {
    enum Fault {
        /** The work runs, then the node fails before the commit: nothing of it is kept. */
        BEFORE_COMMIT,
        /** The first attempt loses a serialization conflict (PostgreSQL runs it again; SQLite gives up). */
        CONFLICT,
        /** The transaction commits, then the answer is lost on its way to the client. */
        AFTER_COMMIT
    }

    private final Database delegate;
    private volatile Fault next;

    FaultyDatabase(Database delegate) {
        this.delegate = delegate;
    }

    void failNext(Fault fault) {
        next = fault;
    }

    @Override
    public <T> T transaction(TxWork<T> work) {
        Fault fault = next;
        next = null;
        AtomicInteger attempts = new AtomicInteger();
        T result = delegate.transaction(tx -> {
            T r = work.run(tx);
            if (fault == Fault.BEFORE_COMMIT) {
                throw new IllegalStateException("injected: the node failed before committing");
            }
            if (fault == Fault.CONFLICT && attempts.getAndIncrement() == 0) {
                throw new StoreException("injected: could not serialize access", null, true);
            }
            return r;
        });
        if (fault == Fault.AFTER_COMMIT) {
            throw new IllegalStateException("injected: the answer was lost after the commit");
        }
        return result;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
