package io.wickrlocal.seed;

/**
 * A seed file that cannot be applied: its message names the file, the line and column, and the
 * field path, as in {@code seed.yaml line 12, column 9: networks[0].users[3].username: must not be
 * empty}. When it is thrown, nothing of the seed was written.
 */
public final class SeedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;
    private final int column;
    private final String field;
    private final String reason;

    SeedException(String source, int line, int column, String field, String reason) {
        super(format(source, line, column, field, reason), null, false, false);
        this.source = source;
        this.line = line;
        this.column = column;
        this.field = field;
        this.reason = reason;
    }

    private static String format(String source, int line, int column, String field, String reason) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(" line ").append(line);
            if (column > 0) {
                b.append(", column ").append(column);
            }
        }
        b.append(": ");
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(reason).toString();
    }

    /** The file name (or the name given with the text). */
    public String source() { return source; }

    /** 1-based; 0 when unknown. */
    public int line() { return line; }

    /** 1-based; 0 when unknown. */
    public int column() { return column; }

    /** The field path, such as {@code networks[0].users[3].username}; empty for the whole file. */
    public String field() { return field; }

    /** What is wrong, without the place. */
    public String reason() { return reason; }
}
