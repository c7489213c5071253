package io.wickrlocal.service;

/**
 * The kinds of failure the Wickr contract models. The names are the contract's error shapes; the
 * protocol layer takes the HTTP status from the contract, so the service never speaks HTTP.
 */
public enum ErrorKind {
    BAD_REQUEST("BadRequestError"),
    UNAUTHORIZED("UnauthorizedError"),
    FORBIDDEN("ForbiddenError"),
    NOT_FOUND("ResourceNotFoundError"),
    VALIDATION("ValidationError"),
    RATE_LIMIT("RateLimitError"),
    INTERNAL("InternalServerError");

    private final String shapeName;

    ErrorKind(String shapeName) {
        this.shapeName = shapeName;
    }

    public String shapeName() {
        return shapeName;
    }
}
