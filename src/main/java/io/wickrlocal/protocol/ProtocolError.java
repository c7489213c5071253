package io.wickrlocal.protocol;

import io.wickrlocal.service.ErrorKind;
import io.wickrlocal.service.FieldProblem;
import java.util.List;

/**
 * The one table of the errors Wickr Local answers: each kind with its HTTP status and the error type
 * sent in {@code x-amzn-ErrorType}. Every error answer, from the protocol (a malformed URI, a body
 * that is not JSON), the signature, the service or an injected fault, is made from a row of it, so no
 * other place writes a status. The modeled rows carry the statuses the contract gives their shapes (a
 * test holds them to it); the others are AWS's (the signature failures) or our choice (503 for a call
 * of which nothing ran).
 */
public enum ProtocolError {
    // The contract's modeled errors.
    BAD_REQUEST(400, "BadRequestError"),
    UNAUTHORIZED(401, "UnauthorizedError"),
    FORBIDDEN(403, "ForbiddenError"),
    NOT_FOUND(404, "ResourceNotFoundError"),
    VALIDATION(422, "ValidationError"),
    RATE_LIMIT(429, "RateLimitError"),
    INTERNAL(500, "InternalServerError"),
    // The signature's failures: AWS answers all four with 403.
    MISSING_AUTHENTICATION_TOKEN(403, "MissingAuthenticationTokenException"),
    UNRECOGNIZED_CLIENT(403, "UnrecognizedClientException"),
    INVALID_SIGNATURE(403, "InvalidSignatureException"),
    INCOMPLETE_SIGNATURE(403, "IncompleteSignatureException"),
    /** A call of which nothing ran (starting, or the store away): safe to send again anywhere. */
    UNAVAILABLE(503, "ServiceUnavailable");

    private static final ProtocolError[] ALL = values();

    private final int status;
    private final String type;

    ProtocolError(int status, String type) {
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** This error with a message. */
    public WireError error(String message) {
        return new WireError(status, type, message, List.of());
    }

    /** This error with a message and the fields it is about. */
    public WireError error(String message, List<FieldProblem> reasons) {
        return new WireError(status, type, message, reasons);
    }

    /** The row of a modeled error the service raised. */
    public static ProtocolError of(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> BAD_REQUEST;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case FORBIDDEN -> FORBIDDEN;
            case NOT_FOUND -> NOT_FOUND;
            case VALIDATION -> VALIDATION;
            case RATE_LIMIT -> RATE_LIMIT;
            case INTERNAL -> INTERNAL;
        };
    }

    /** The row of an error type (a signature failure's, an injected fault's); INTERNAL for an unknown one. */
    public static ProtocolError ofType(String type) {
        for (ProtocolError e : ALL) {
            if (e.type.equals(type)) {
                return e;
            }
        }
        return INTERNAL;
    }
}
