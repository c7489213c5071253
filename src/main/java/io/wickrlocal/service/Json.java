package io.wickrlocal.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON documents as the service builds and stores them. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** An answer that is only a message, such as UpdateBot's {"message": "success"}. */
    static ObjectNode message(String text) {
        ObjectNode out = object();
        out.put("message", text);
        return out;
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same document with object members sorted, so equal inputs give equal text. */
    public static String canonical(JsonNode node) {
        return write(sorted(node));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.properties().forEach(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            fields.forEach(e -> out.set(e.getKey(), sorted(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(v -> out.add(sorted(v)));
            return out;
        }
        return node;
    }

    /** Text of an optional string member, or null. */
    public static String text(JsonNode input, String member) {
        JsonNode v = input.get(member);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static List<String> texts(JsonNode input, String member) {
        List<String> out = new ArrayList<>();
        JsonNode v = input.get(member);
        if (v != null) {
            v.forEach(item -> out.add(item.asText()));
        }
        return out;
    }

    /** The first line of a parser's message, at most 200 characters: what an error may quote of it. */
    public static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
