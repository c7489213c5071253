package io.wickrlocal.protocol.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Keeps only what the output shape declares. A handler can never leak an internal column or a
 * misspelt member to the client, and nulls are dropped (clients expect absent, not null).
 */
public final class OutputShaper {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputShaper() {}

    /** A response body and its media type. */
    public record Body(byte[] bytes, String contentType) {}

    /**
     * What the output becomes on the wire: the shaped JSON document, or, when the output shape names a
     * payload member, that member's text as it is, with the media type its shape declares.
     */
    public static Body body(Shape output, ObjectNode value) {
        if (output != null && output.payload() != null) {
            Member member = output.member(output.payload());
            JsonNode text = value == null ? null : value.get(member.name());
            String type = member.target().mediaType() != null ? member.target().mediaType() : "text/plain; charset=utf-8";
            return new Body(text == null || text.isNull() ? new byte[0]
                    : text.asText().getBytes(StandardCharsets.UTF_8), type);
        }
        try {
            return new Body(JSON.writeValueAsBytes(shape(output, value)), "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode shape(Shape output, ObjectNode value) {
        if (output == null || value == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        return structure(output, value);
    }

    private static ObjectNode structure(Shape shape, JsonNode node) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Member> e : shape.members().entrySet()) {
            JsonNode v = node.get(e.getKey());
            if (v != null && !v.isNull() && e.getValue().location() == Location.BODY) {
                out.set(e.getKey(), value(e.getValue().target(), v));
            }
        }
        return out;
    }

    private static JsonNode value(Shape shape, JsonNode node) {
        if (shape.type() == ShapeType.STRUCTURE && node.isObject()) {
            return structure(shape, node);
        }
        if (shape.type() == ShapeType.LIST && node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode item : node) {
                if (!item.isNull()) {
                    out.add(value(shape.listMember(), item));
                }
            }
            return out;
        }
        return node;
    }
}
