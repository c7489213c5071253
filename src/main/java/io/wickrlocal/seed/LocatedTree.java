package io.wickrlocal.seed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wickrlocal.service.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON or YAML document read into a tree that remembers where each value starts, by field path
 * ({@code networks[0].users[3].username}), so every error can name its line and column. Jackson's
 * own trees forget locations; this reads the token stream once and keeps them.
 */
final class LocatedTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 32;

    final JsonNode root;
    private final Map<String, int[]> where;
    private final String source;

    private LocatedTree(JsonNode root, Map<String, int[]> where, String source) {
        this.root = root;
        this.where = where;
        this.source = source;
    }

    static LocatedTree parse(String text, String source, boolean yaml) {
        JsonFactory factory = yaml ? YAMLFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
                : JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        Map<String, int[]> where = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SeedException(source, 0, 0, "", "the file is empty");
            }
            JsonNode root = value(p, "", where);
            if (!yaml && p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new SeedException(source, line(at), column(at), "", "unexpected content after the document");
            }
            return new LocatedTree(root, where, source);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SeedException(source, at == null ? 0 : line(at), at == null ? 0 : column(at), "",
                    "not valid " + (yaml ? "YAML" : "JSON") + ": " + Json.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SeedException(source, 0, 0, "", "could not be read: " + e.getMessage());
        }
    }

    private static JsonNode value(JsonParser p, String path, Map<String, int[]> where) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        where.put(path, new int[] {line(at), column(at)});
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode obj = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    JsonLocation nameAt = p.currentTokenLocation();
                    where.put(child + "#name", new int[] {line(nameAt), column(nameAt)});
                    p.nextToken();
                    obj.set(name, value(p, child, where));
                }
                return obj;
            }
            case START_ARRAY -> {
                ArrayNode arr = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(value(p, path + "[" + i++ + "]", where));
                }
                return arr;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + p.currentToken());
        }
    }

    /** An error at the field, located at the field itself or, when it is missing, at the nearest enclosing value. */
    SeedException error(String field, String reason) {
        int[] at = locate(field);
        return new SeedException(source, at[0], at[1], field, reason);
    }

    /** An error about a member's name (an unknown field), located at the name. */
    SeedException nameError(String field, String reason) {
        int[] at = where.getOrDefault(field + "#name", locate(field));
        return new SeedException(source, at[0], at[1], field, reason);
    }

    private int[] locate(String field) {
        String path = field;
        while (true) {
            int[] at = where.get(path);
            if (at != null || path.isEmpty()) {
                return at != null ? at : new int[] {0, 0};
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = cut < 0 ? "" : path.substring(0, cut);
        }
    }

    private static int line(JsonLocation at) {
        return Math.max(0, at.getLineNr());
    }

    private static int column(JsonLocation at) {
        return Math.max(0, at.getColumnNr());
    }
}
