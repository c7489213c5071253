package io.wickrlocal.store;

/**
 * A call found its client token held by another call's transaction still running (a copy of the same
 * request) and waited for it as long as the store's lock and statement timeouts allow. Nothing of the
 * waiting call was done. Not transient for the store: running the transaction again at once would only
 * wait again; the client's retry with the same token gets the first call's answer once it has committed.
 */
public final class ClientTokenBusyException extends StoreException {
    private static final long serialVersionUID = 1L;

    ClientTokenBusyException(String message) {
        super(message, null, false); // no cause: the lock timeout under it would make it look worth retrying
    }
}
