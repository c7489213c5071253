package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The successful/failed halves of a batch answer. Each distinct id lands in exactly one of them,
 * in the order the client first named it.
 */
final class Batch {
    private final ArrayNode successful = Json.array();
    private final ArrayNode failed = Json.array();

    /** The distinct user ids of a request, as numbers, each with the text the client used first. */
    static Map<Long, String> distinctUserIds(List<String> userIds) {
        Map<Long, String> ids = new LinkedHashMap<>();
        for (String id : userIds) {
            ids.putIfAbsent(Long.parseLong(id), id);
        }
        return ids;
    }

    void succeeded(ObjectNode item) {
        successful.add(item);
    }

    void succeeded(String key, String value) {
        ObjectNode item = Json.object();
        item.put(key, value);
        successful.add(item);
    }

    void failed(String key, String value, String field, String reason) {
        ObjectNode item = Json.object();
        if (key != null) {
            item.put(key, value);
        }
        item.put("field", field);
        item.put("reason", reason);
        failed.add(item);
    }

    int successCount() {
        return successful.size();
    }

    int failureCount() {
        return failed.size();
    }

    /** The answer, with a message such as "Suspended 3 of 4 users; 1 failed." */
    ObjectNode answer(String verbPast, String noun) {
        int total = successful.size() + failed.size();
        List<String> parts = new ArrayList<>();
        parts.add(verbPast + " " + successful.size() + " of " + total + " " + noun + (total == 1 ? "" : "s"));
        if (!failed.isEmpty()) {
            parts.add(failed.size() + " failed");
        }
        ObjectNode out = Json.object();
        out.put("message", String.join("; ", parts) + ".");
        out.set("successful", successful);
        out.set("failed", failed);
        return out;
    }
}
