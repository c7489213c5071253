package io.wickrlocal.protocol.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.wickrlocal.service.FieldProblem;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a bound input against every constraint the contract states: required members, JSON types,
 * lengths, sizes, ranges, patterns and enums. All problems are reported together, each with the
 * path of the field (e.g. {@code users[0].username}). Patterns must match the whole value.
 */
public final class InputValidator {
    /** Stop collecting after this many problems: a hostile body must not make a huge error. */
    static final int MAX_PROBLEMS = 50;

    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final List<FieldProblem> problems = new ArrayList<>();

    private InputValidator() {}

    public static List<FieldProblem> validate(Shape input, JsonNode value) {
        InputValidator v = new InputValidator();
        if (input != null) {
            v.structure(input, value, "");
        }
        return v.problems;
    }

    private void report(String field, String reason) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new FieldProblem(field, reason));
        }
    }

    private void structure(Shape shape, JsonNode node, String path) {
        if (!node.isObject()) {
            report(path, "must be an object");
            return;
        }
        for (String name : shape.required()) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                report(join(path, name), "is required");
            }
        }
        for (Map.Entry<String, Member> e : shape.members().entrySet()) {
            JsonNode v = node.get(e.getKey());
            if (v != null && !v.isNull()) {
                value(e.getValue().target(), e.getValue().limits(), v, join(path, e.getKey()));
            }
        }
    }

    private void value(Shape shape, Limits limits, JsonNode node, String path) {
        if (problems.size() >= MAX_PROBLEMS) {
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> structure(shape, node, path);
            case LIST -> list(shape, limits, node, path);
            case MAP -> map(shape, node, path);
            case STRING -> string(shape, limits, node, path);
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    report(path, "must be a boolean (true or false)");
                }
            }
            case INTEGER -> integral(limits, node, path, INT_MIN, INT_MAX, "an integer");
            case LONG -> integral(limits, node, path, LONG_MIN, LONG_MAX, "an integer");
            case DOUBLE, FLOAT, TIMESTAMP -> {
                if (!node.isNumber()) {
                    report(path, shape.type() == ShapeType.TIMESTAMP ? "must be a time in epoch seconds" : "must be a number");
                }
            }
            case BLOB -> {
                if (!node.isTextual()) {
                    report(path, "must be base64 text");
                }
            }
        }
    }

    private void list(Shape shape, Limits limits, JsonNode node, String path) {
        if (!node.isArray()) {
            report(path, "must be a list");
            return;
        }
        int size = node.size();
        if (limits.min() != null && size < limits.min()) {
            report(path, limits.min() == 1 ? "must not be empty" : "must have at least " + limits.min() + " items");
        } else if (limits.max() != null && size > limits.max()) {
            report(path, "must have at most " + limits.max() + " items, got " + size);
            return;
        }
        for (int i = 0; i < size && problems.size() < MAX_PROBLEMS; i++) {
            JsonNode item = node.get(i);
            String itemPath = path + "[" + i + "]";
            if (item.isNull()) {
                report(itemPath, "must not be null");
            } else {
                value(shape.listMember(), shape.listMember().limits(), item, itemPath);
            }
        }
    }

    private void map(Shape shape, JsonNode node, String path) {
        if (!node.isObject()) {
            report(path, "must be an object");
        }
    }

    private void string(Shape shape, Limits limits, JsonNode node, String path) {
        if (!node.isTextual()) {
            report(path, "must be a string");
            return;
        }
        String s = node.textValue();
        if (s.indexOf('\u0000') >= 0) {
            // No store keeps NUL in text (PostgreSQL refuses it), and no Wickr name or id contains it.
            report(path, "must not contain the NUL character");
            return;
        }
        if (!shape.enumValues().isEmpty()) {
            if (!shape.enumValues().contains(s)) {
                report(path, "must be one of " + String.join(", ", shape.enumValues()));
            }
            return;
        }
        long length = s.codePointCount(0, s.length());
        if (limits.min() != null && length < limits.min()) {
            report(path, length == 0 ? "must not be empty" : "must be at least " + limits.min() + " characters long");
            return;
        }
        if (limits.max() != null && length > limits.max()) {
            report(path, "must be at most " + limits.max() + " characters long");
            return;
        }
        if (shape.pattern() != null && !shape.pattern().matcher(s).matches()) {
            report(path, "must match the pattern " + shape.patternSource());
        }
    }

    private void integral(Limits limits, JsonNode node, String path, BigInteger lo, BigInteger hi, String what) {
        if (!node.isIntegralNumber()) {
            report(path, "must be " + what);
            return;
        }
        BigInteger v = node.bigIntegerValue();
        if (v.compareTo(lo) < 0 || v.compareTo(hi) > 0) {
            report(path, "is out of range");
            return;
        }
        boolean tooLow = limits.min() != null && v.compareTo(BigInteger.valueOf(limits.min())) < 0;
        boolean tooHigh = limits.max() != null && v.compareTo(BigInteger.valueOf(limits.max())) > 0;
        if (tooLow || tooHigh) {
            if (limits.min() != null && limits.max() != null) {
                report(path, "must be between " + limits.min() + " and " + limits.max());
            } else if (tooLow) {
                report(path, "must be at least " + limits.min());
            } else {
                report(path, "must be at most " + limits.max());
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
