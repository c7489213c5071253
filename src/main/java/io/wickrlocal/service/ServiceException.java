package io.wickrlocal.service;

import java.util.List;

/** A failure the client caused or must see, of one of the modeled kinds. */
public class ServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;
    private final transient List<FieldProblem> problems;

    public ServiceException(ErrorKind kind, String message) {
        this(kind, message, List.of());
    }

    public ServiceException(ErrorKind kind, String message, List<FieldProblem> problems) {
        super(message, null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public ErrorKind kind() { return kind; }

    public List<FieldProblem> problems() { return problems; }

    public static ServiceException notFound(String message) {
        return new ServiceException(ErrorKind.NOT_FOUND, message);
    }

    public static ServiceException badRequest(String message) {
        return new ServiceException(ErrorKind.BAD_REQUEST, message);
    }

    public static ServiceException rateLimited(String message) {
        return new ServiceException(ErrorKind.RATE_LIMIT, message);
    }

    public static ServiceException forbidden(String message) {
        return new ServiceException(ErrorKind.FORBIDDEN, message);
    }

    /**
     * A ValidationError about one field. {@code reason} is either a whole sentence (it starts with a
     * capital letter or a quote, and names what it is about) or the rest of one whose subject is the
     * field ("must be ENABLE or DISABLE"), so that every reason on the wire names its field.
     */
    public static ServiceException invalid(String field, String reason) {
        char first = reason.isEmpty() ? ' ' : reason.charAt(0);
        String sentence = Character.isUpperCase(first) || first == '\'' || first == '"' ? reason : field + " " + reason;
        return new ServiceException(ErrorKind.VALIDATION, "Invalid value for " + field + ": " + reason,
                List.of(new FieldProblem(field, sentence)));
    }
}
