package io.wickrlocal.protocol.sigv4;

/**
 * An authentication failure, carrying the AWS error type SDKs know how to map to their own exception classes.
 * Every type is answered with HTTP 403.
 *
 * <p>Messages are built from request data that was checked or sanitized; they never contain secrets or the
 * signature the server computed.
 */
public final class SigV4Exception extends Exception {

    public static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
    public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
    public static final String INVALID_SIGNATURE = "InvalidSignatureException";
    public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";

    private final String errorType;

    private SigV4Exception(String errorType, String message) {
        // No stack trace: these are expected outcomes on a hot path that anyone on the network can trigger.
        super(message, null, false, false);
        this.errorType = errorType;
    }

    static SigV4Exception missingAuthenticationToken(String message) {
        return new SigV4Exception(MISSING_AUTHENTICATION_TOKEN, message);
    }

    static SigV4Exception unrecognizedClient(String message) {
        return new SigV4Exception(UNRECOGNIZED_CLIENT, message);
    }

    static SigV4Exception invalidSignature(String message) {
        return new SigV4Exception(INVALID_SIGNATURE, message);
    }

    static SigV4Exception incompleteSignature(String message) {
        return new SigV4Exception(INCOMPLETE_SIGNATURE, message);
    }

    public String errorType() {
        return errorType;
    }

    /** Always 403, as AWS answers all four types. */
    public int httpStatus() {
        return 403;
    }

    @Override
    public String toString() {
        return errorType + ": " + getMessage();
    }
}
