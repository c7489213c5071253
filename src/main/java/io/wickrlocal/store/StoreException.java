package io.wickrlocal.store;

/** A failure of the store itself (not of the client's request). */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    public StoreException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** True when running the same transaction again may succeed (busy, deadlock, lost connection). */
    public boolean isTransient() {
        return transientFailure;
    }
}
