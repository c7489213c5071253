package io.wickrlocal.protocol.faults;

/**
 * A fault plan that cannot be used. Names the field ({@code rules[1].probability}) and, for a plan
 * read from text, the line it is on, so a mistake in a file can be found at once.
 */
public final class FaultPlanException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;
    private final int line;
    private final String source;

    public FaultPlanException(String field, String reason) {
        this(field, reason, 0, null);
    }

    FaultPlanException(String field, String reason, int line, String source) {
        super(describe(field, reason, line, source));
        this.field = field == null ? "" : field;
        this.reason = reason;
        this.line = line;
        this.source = source;
    }

    /** The path of the offending field, such as {@code rules[0].count}; empty for the whole plan. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field's name. */
    public String reason() {
        return reason;
    }

    /** The 1-based line of the field in the text the plan was read from, or 0 when not known. */
    public int line() {
        return line;
    }

    FaultPlanException at(int atLine, String from) {
        return new FaultPlanException(field, reason, atLine, from);
    }

    /** The same problem with its field placed under a parent path ({@code count} to {@code rules[2].count}). */
    FaultPlanException under(String parent) {
        return new FaultPlanException(field.isEmpty() ? parent : parent + "." + field, reason, line, source);
    }

    private static String describe(String field, String reason, int line, String source) {
        StringBuilder b = new StringBuilder();
        if (source != null) {
            b.append(source).append(": ");
        }
        if (line > 0) {
            b.append("line ").append(line).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            b.append(field).append(' ');
        }
        return b.append(reason).toString();
    }
}
