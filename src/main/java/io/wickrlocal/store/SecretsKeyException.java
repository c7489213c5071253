package io.wickrlocal.store;

/**
 * The store cannot be opened with the secrets key it was given: a key file that is missing, unreadable
 * or malformed, or a key that is not the one the database was first used with. The message is one line
 * for an operator, naming the key file but never the key.
 */
public final class SecretsKeyException extends StoreException {
    private static final long serialVersionUID = 1L;

    public SecretsKeyException(String message) {
        super(message, null, false);
    }

    public SecretsKeyException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
