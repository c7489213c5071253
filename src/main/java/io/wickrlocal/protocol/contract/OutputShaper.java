package io.wickrlocal.protocol.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Keeps only what the output shape declares. A handler can never leak an internal column or a
 * misspelt member to the client, and nulls are dropped (clients expect absent, not null).
 */
public final class OutputShaper {
    private OutputShaper() {}

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
