package io.wickrlocal.protocol.faults;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Reads a fault plan from JSON or YAML text, keeping the line of every field for error messages. */
final class FaultPlanText {
    private FaultPlanText() {}

    static FaultPlan read(String text, boolean json, String source) {
        JsonFactory factory = json
                ? JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
                : YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        String format = json ? "JSON" : "YAML";
        JsonNode tree;
        SourceLines lines;
        try {
            tree = new ObjectMapper(factory).readTree(text);
            lines = new SourceLines(lines(factory, text), source);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String what = e.getOriginalMessage() == null ? "unreadable input" : firstLine(e.getOriginalMessage());
            throw new FaultPlanException("", "The fault plan is not valid " + format + ": " + what,
                    at == null ? 0 : Math.max(0, at.getLineNr()), source);
        } catch (IOException e) {
            throw new FaultPlanException("", "The fault plan could not be read: " + e.getMessage(), 0, source);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new FaultPlanException("", "The fault plan is empty; it needs at least {\"rules\": []}", 0, source);
        }
        try {
            return FaultPlanJson.plan(tree, lines);
        } catch (FaultPlanException e) {
            throw lines.locate(e);
        }
    }

    /** The line of every field and value, by JSON pointer; the first token of each wins. */
    private static Map<String, Integer> lines(JsonFactory factory, String text) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                out.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
