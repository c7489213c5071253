package io.wickrlocal.protocol.faults;

import java.util.Map;

/**
 * Where each field of a plan read from text stands, so a problem found later, when the rules are
 * built or installed, can still say "line 7".
 */
final class SourceLines {
    static final SourceLines NONE = new SourceLines(Map.of(), null);

    private final Map<String, Integer> lineByPointer;
    private final String source;

    SourceLines(Map<String, Integer> lineByPointer, String source) {
        this.lineByPointer = Map.copyOf(lineByPointer);
        this.source = source;
    }

    FaultPlanException locate(FaultPlanException e) {
        if (this == NONE) {
            return e;
        }
        return e.at(lineOf(e.field()), source);
    }

    /** The line of a field path such as {@code rules[1].count}, or of its nearest enclosing field. */
    int lineOf(String field) {
        String pointer = pointer(field);
        while (true) {
            Integer line = lineByPointer.get(pointer);
            if (line != null) {
                return line;
            }
            if (pointer.isEmpty()) {
                return 0;
            }
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
        }
    }

    /** {@code rules[1].count} as the JSON pointer {@code /rules/1/count}. */
    static String pointer(String field) {
        if (field == null || field.isEmpty()) {
            return "";
        }
        return "/" + field.replace("[", "/").replace("]", "").replace('.', '/');
    }
}
