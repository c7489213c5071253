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
 * path of the field (e.g. {@code users[0].username}) and a reason that is a whole sentence naming
 * it ("networkName must be between 1 and 20 characters"), as the service's own reasons are; where
 * the contract gives a member a sentence of its own ({@link Member#reason()}), a length, range,
 * pattern or presence problem of that member is reported with it. Patterns must match the whole
 * value.
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

    /** Reports "{field} {predicate}", or the member's own sentence when it has one. */
    private void report(String field, String predicate) {
        report(field, predicate, null);
    }

    private void report(String field, String predicate, String sentence) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new FieldProblem(field, sentence != null ? sentence : (field.isEmpty() ? "The input" : field)
                    + " " + predicate));
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
                Member member = shape.members().get(name);
                report(join(path, name), "is required", member == null ? null : member.reason());
            }
        }
        for (Map.Entry<String, Member> e : shape.members().entrySet()) {
            JsonNode v = node.get(e.getKey());
            if (v != null && !v.isNull()) {
                value(e.getValue().target(), e.getValue().limits(), v, join(path, e.getKey()), e.getValue().reason());
            }
        }
    }

    /** {@code sentence}: the member's own reason for a length, range, pattern or presence problem, or null. */
    private void value(Shape shape, Limits limits, JsonNode node, String path, String sentence) {
        if (problems.size() >= MAX_PROBLEMS) {
            return;
        }
        switch (shape.type()) {
            case STRUCTURE -> structure(shape, node, path);
            case LIST -> list(shape, limits, node, path, sentence);
            case MAP -> map(shape, node, path);
            case STRING -> string(shape, limits, node, path, sentence);
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    report(path, "must be a boolean (true or false)");
                }
            }
            case INTEGER -> integral(limits, node, path, INT_MIN, INT_MAX, "an integer", sentence);
            case LONG -> integral(limits, node, path, LONG_MIN, LONG_MAX, "an integer", sentence);
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

    private void list(Shape shape, Limits limits, JsonNode node, String path, String sentence) {
        if (!node.isArray()) {
            report(path, "must be a list");
            return;
        }
        int size = node.size();
        if (limits.min() != null && size < limits.min()) {
            report(path, limits.min() == 1 ? "must not be empty" : "must have at least " + limits.min() + " items",
                    sentence);
        } else if (limits.max() != null && size > limits.max()) {
            report(path, "must have at most " + limits.max() + " items, got " + size, sentence);
            return;
        }
        for (int i = 0; i < size && problems.size() < MAX_PROBLEMS; i++) {
            JsonNode item = node.get(i);
            String itemPath = path + "[" + i + "]";
            if (item.isNull()) {
                report(itemPath, "must not be null");
            } else {
                value(shape.listMember(), shape.listMember().limits(), item, itemPath, null);
            }
        }
    }

    private void map(Shape shape, JsonNode node, String path) {
        if (!node.isObject()) {
            report(path, "must be an object");
        }
    }

    private void string(Shape shape, Limits limits, JsonNode node, String path, String sentence) {
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
        boolean tooShort = limits.min() != null && length < limits.min();
        boolean tooLong = limits.max() != null && length > limits.max();
        if (tooShort && length == 0) {
            // An empty text where one is needed is a missing value (as AWS's example CreateSecurityGroup#2 answers).
            report(path, "is required", sentence);
            return;
        }
        if (tooShort || tooLong) {
            report(path, limits.min() != null && limits.max() != null
                    ? "must be between " + limits.min() + " and " + limits.max() + " characters"
                    : tooShort ? "must be at least " + limits.min() + " characters"
                    : "must be at most " + limits.max() + " characters", sentence);
            return;
        }
        if (shape.pattern() != null && !shape.pattern().matcher(s).matches()) {
            report(path, "must match the pattern " + shape.patternSource(), sentence);
        }
    }

    private void integral(Limits limits, JsonNode node, String path, BigInteger lo, BigInteger hi, String what,
                          String sentence) {
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
                report(path, "must be between " + limits.min() + " and " + limits.max(), sentence);
            } else if (tooLow) {
                report(path, "must be at least " + limits.min(), sentence);
            } else {
                report(path, "must be at most " + limits.max(), sentence);
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
