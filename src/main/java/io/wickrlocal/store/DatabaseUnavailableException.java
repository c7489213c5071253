package io.wickrlocal.store;

/** The database did not accept a connection within the time a start may wait for it. */
public final class DatabaseUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
