package io.wickrlocal.protocol.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gathers an operation's input from the four places rest-json puts it (URI labels, query string,
 * headers, JSON body) into one JSON object keyed by member name. Values that cannot be converted
 * to the member's type are kept as text, so the validator reports them with every other problem.
 *
 * <p>A member that takes one value must be given once: a query parameter or header of a scalar
 * member that comes twice is refused ({@link Repeated}) rather than read as its first (or last)
 * value, since a signature covers all of them and a reader that picked one would let a request mean
 * something other than what was signed.
 */
public final class InputBinder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private InputBinder() {}

    /** A scalar member given more than once; {@link #field()} names the member. */
    public static final class Repeated extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String field;

        Repeated(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * @param query   decoded query parameters, each with all its values in order
     * @param headers every value of a header by name (case-insensitive), empty or null when absent
     * @param body    the parsed JSON body object, or null when the request had none
     * @throws Repeated when a query parameter or header of a scalar member is given more than once
     */
    public static ObjectNode bind(Shape input, Map<String, String> labels, Map<String, List<String>> query,
                                  Function<String, List<String>> headers, ObjectNode body) {
        ObjectNode bound = NODES.objectNode();
        if (input == null) {
            return bound;
        }
        for (Member m : input.members().values()) {
            switch (m.location()) {
                case URI -> {
                    String v = labels.get(m.locationName());
                    if (v != null) {
                        bound.set(m.name(), scalar(m.target(), v));
                    }
                }
                case QUERY -> {
                    List<String> values = query.get(m.locationName());
                    if (values != null && !values.isEmpty()) {
                        if (m.target().type() == ShapeType.LIST) {
                            ArrayNode list = bound.putArray(m.name());
                            values.forEach(v -> list.add(scalar(m.target().listMember(), v)));
                        } else {
                            once(m, values, "query parameter");
                            bound.set(m.name(), scalar(m.target(), values.get(0)));
                        }
                    }
                }
                case HEADER -> {
                    List<String> values = headers.apply(m.locationName());
                    if (values != null && !values.isEmpty()) {
                        once(m, values, "header");
                        bound.set(m.name(), scalar(m.target(), values.get(0)));
                    }
                }
                case BODY -> {
                    JsonNode v = body == null ? null : body.get(m.name());
                    if (v != null && !v.isNull()) {
                        bound.set(m.name(), v);
                    }
                }
            }
        }
        return bound;
    }

    private static void once(Member m, List<String> values, String where) {
        if (values.size() > 1) {
            throw new Repeated(m.name(), "is given " + values.size() + " times as the " + where + " '"
                    + m.locationName() + "'; it takes one value");
        }
    }

    /** Converts a text value from the URI, query or a header to the JSON type its shape wants. */
    static JsonNode scalar(Shape shape, String text) {
        switch (shape.type()) {
            case BOOLEAN:
                if (text.equals("true")) {
                    return NODES.booleanNode(true);
                }
                if (text.equals("false")) {
                    return NODES.booleanNode(false);
                }
                return NODES.textNode(text);
            case INTEGER:
            case LONG:
                try {
                    return NODES.numberNode(new BigDecimal(text).toBigIntegerExact());
                } catch (NumberFormatException | ArithmeticException e) {
                    return NODES.textNode(text);
                }
            case DOUBLE:
            case FLOAT:
                try {
                    return NODES.numberNode(new BigDecimal(text));
                } catch (NumberFormatException e) {
                    return NODES.textNode(text);
                }
            case TIMESTAMP:
                return timestamp(text);
            default:
                return NODES.textNode(text);
        }
    }

    private static JsonNode timestamp(String text) {
        try {
            return NODES.numberNode(new BigDecimal(text));
        } catch (NumberFormatException notNumeric) {
            try {
                return NODES.numberNode(Instant.parse(text).getEpochSecond());
            } catch (DateTimeParseException notIso) {
                return NODES.textNode(text);
            }
        }
    }
}
