package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The successful/failed halves of a batch answer. Each distinct id lands in exactly one of them,
 * in the order the client first named it.
 */
final class Batch {
    /** The message of a batch in which every item was processed (AWS examples BatchToggleUserSuspendStatus#1 and others). */
    static final String SUCCESS = "success";
    /**
     * The message of a batch in which at least one item failed (AWS example BatchToggleUserSuspendStatus#2 and
     * others), also when none succeeded: the examples show no third text, and {@code successful} says it (our choice).
     */
    static final String PARTIAL_SUCCESS = "partial success";

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

    /** A failed item {key: value, "field": field, "reason": reason}; {@code field} null leaves it out. */
    void failed(String key, String value, String field, String reason) {
        ObjectNode item = Json.object();
        item.put(key, value);
        if (field != null) {
            item.put("field", field);
        }
        item.put("reason", reason);
        failed.add(item);
    }

    /** The answer with its message: "success" when nothing failed, "partial success" otherwise. */
    ObjectNode answer() {
        ObjectNode out = Json.object();
        out.put("message", failed.isEmpty() ? SUCCESS : PARTIAL_SUCCESS);
        out.set("successful", successful);
        out.set("failed", failed);
        return out;
    }

    /** The answer without a message, as AWS's examples of BatchCreateUser and BatchReinviteUser show it. */
    ObjectNode answerWithoutMessage() {
        ObjectNode out = Json.object();
        out.set("successful", successful);
        out.set("failed", failed);
        return out;
    }
}
