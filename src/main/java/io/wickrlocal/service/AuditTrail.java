package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.wickrlocal.store.AuditEventRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit events of one call, made from what the call was given and what it answered, so that no
 * operation has to remember to audit itself. Which operations are recorded, and whether a call becomes
 * one event per user, are in each operation's descriptor ({@link OperationDescriptor#audit()}); which ids
 * of the input and output an event keeps is decided here.
 * Events keep ids, states and outcomes only: never names, invite codes, passwords or other secrets.
 */
final class AuditTrail {
    static final String SUCCESS = "Success";
    static final String FAILED = "Failed";
    static final String REPLAY = "Replay";

    /** Member names whose values are ids worth keeping, by the kind of id they are. */
    private static final Map<String, String> ID_MEMBERS = Map.ofEntries(Map.entry("userId", "userIds"),
            Map.entry("userIds", "userIds"), Map.entry("groupId", "groupIds"), Map.entry("securityGroupIds", "groupIds"),
            Map.entry("securityGroups", "groupIds"), Map.entry("botId", "botIds"), Map.entry("appId", "deviceIds"),
            Map.entry("appIds", "deviceIds"), Map.entry("deviceId", "deviceIds"),
            Map.entry("usernameHash", "usernameHashes"));
    private static final int MAX_DEPTH = 8;
    private static final int MAX_IDS_PER_KIND = 100;
    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_REASON_LENGTH = 512;

    private final String operation;
    private final boolean perUser;
    private final Call call;
    private final ObjectNode input;
    private final String clientToken;
    private final long atMillis;

    /** @param shape {@link OperationDescriptor.Audit#PER_CALL} or {@link OperationDescriptor.Audit#PER_USER} */
    AuditTrail(String operation, OperationDescriptor.Audit shape, Call call, ObjectNode input, String clientToken,
               long atMillis) {
        this.operation = operation;
        this.perUser = shape == OperationDescriptor.Audit.PER_USER;
        this.call = call;
        this.input = input;
        this.clientToken = clientToken;
        this.atMillis = atMillis;
    }

    /** A call that did its work: one event per user for an operation audited per user, one event otherwise. */
    List<AuditEventRecord> succeeded(ObjectNode output, AuditNotes notes) {
        if (perUser) {
            Events events = new Events();
            output.path("successful").forEach(item -> events.add(userEvent(item, SUCCESS, notes)));
            output.path("failed").forEach(item -> events.add(userEvent(item, FAILED, notes)));
            if (!events.list.isEmpty()) {
                return events.list;
            }
        }
        return new Events().add(callEvent(SUCCESS, output)).list;
    }

    /** A repeat of a client token, answered with the first answer: one event, and no change. */
    List<AuditEventRecord> replayed(JsonNode firstOutput) {
        return new Events().add(callEvent(REPLAY, firstOutput)).list;
    }

    /** A call the service refused, with the modeled error it got; it changed nothing. */
    List<AuditEventRecord> rejected(ErrorKind kind) {
        return new Events().add(callEvent(kind.shapeName(), null)).list;
    }

    private Event callEvent(String outcome, JsonNode output) {
        Long subject = userIdOf(input.get("userId"));
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        collect(input, null, ids, 0);
        if (output != null) {
            collect(output, null, ids, 0);
        }
        if (subject != null) {
            removeId(ids, "userIds", Long.toString(subject));
        }
        String networkId = Json.text(input, "networkId");
        if (networkId == null && output != null) {
            networkId = Json.text(output, "networkId");
        }
        ObjectNode details = baseDetails(ids);
        return new Event(outcome, networkId, subject, details);
    }

    private Event userEvent(JsonNode item, String outcome, AuditNotes notes) {
        Long userId = userIdOf(item.get("userId"));
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        collect(item, null, ids, 0);
        collect(createdFrom(item), null, ids, 0);
        ids.remove("userIds");
        ObjectNode details = baseDetails(ids);
        if (FAILED.equals(outcome)) {
            putText(details, "field", item.get("field"));
            putText(details, "reason", item.get("reason"));
        }
        Map<String, Object[]> states = userId == null ? Map.of() : notes.userState(userId);
        if (!states.isEmpty()) {
            ObjectNode before = details.putObject("oldState");
            ObjectNode after = details.putObject("newState");
            boolean changed = false;
            for (Map.Entry<String, Object[]> s : states.entrySet()) {
                before.set(s.getKey(), scalar(s.getValue()[0]));
                after.set(s.getKey(), scalar(s.getValue()[1]));
                changed |= !java.util.Objects.equals(s.getValue()[0], s.getValue()[1]);
            }
            details.put("changed", changed);
        }
        return new Event(outcome, Json.text(input, "networkId"), userId, details);
    }

    private ObjectNode baseDetails(Map<String, Set<String>> ids) {
        ObjectNode details = Json.object();
        if (clientToken != null) {
            details.put("clientToken", clientToken);
        }
        ids.values().removeIf(Set::isEmpty);
        if (!ids.isEmpty()) {
            ObjectNode out = details.putObject("ids");
            ids.forEach((kind, values) -> {
                ArrayNode list = out.putArray(kind);
                values.forEach(list::add);
            });
        }
        return details;
    }

    /**
     * Gathers the ids a document names, by kind. A security group's own id is the "id" member of a
     * "securityGroup" (or of an item of "securityGroups", which otherwise lists group ids).
     */
    private static void collect(JsonNode node, String parent, Map<String, Set<String>> ids, int depth) {
        if (node == null || depth > MAX_DEPTH) {
            return;
        }
        if (node.isArray()) {
            node.forEach(item -> collect(item, parent, ids, depth + 1));
            return;
        }
        node.properties().forEach(e -> {
            String name = e.getKey();
            String kind = "securityGroup".equals(parent) && "id".equals(name) ? "groupIds" : ID_MEMBERS.get(name);
            JsonNode value = e.getValue();
            for (JsonNode one : value.isArray() ? value : List.of(value)) {
                if (kind != null && one.isValueNode()) {
                    add(ids, kind, one);
                } else if (one.isContainerNode()) {
                    collect(one, "securityGroups".equals(name) ? "securityGroup" : name, ids, depth + 1);
                }
            }
        });
    }

    private static void add(Map<String, Set<String>> ids, String kind, JsonNode value) {
        Set<String> values = ids.computeIfAbsent(kind, k -> new LinkedHashSet<>());
        if (value.isNull() || values.size() >= MAX_IDS_PER_KIND) {
            return;
        }
        Long userId = kind.equals("userIds") ? userIdOf(value) : null;
        String text = userId != null ? Long.toString(userId) : value.asText();
        values.add(text.length() > MAX_ID_LENGTH ? text.substring(0, MAX_ID_LENGTH) : text);
    }

    private static void removeId(Map<String, Set<String>> ids, String kind, String id) {
        Set<String> values = ids.get(kind);
        if (values != null) {
            values.remove(id);
        }
    }

    /**
     * The request's item a user was created from (found by username in the request's {@code users}, which
     * only BatchCreateUser has), whose groups its event names: the answer's item does not show them (AWS
     * example BatchCreateUser#1). Null otherwise.
     */
    private JsonNode createdFrom(JsonNode item) {
        String username = Json.text(item, "username");
        if (username == null || !input.path("users").isArray()) {
            return null;
        }
        for (JsonNode u : input.path("users")) {
            if (username.equalsIgnoreCase(u.path("username").asText().strip())) {
                ObjectNode groups = Json.object();
                groups.set("securityGroupIds", u.path("securityGroupIds"));
                return groups;
            }
        }
        return null;
    }

    /** A user id of the document, or null; "0" (a failed BatchCreateUser item, AWS example #2) is none. */
    private static Long userIdOf(JsonNode node) {
        if (node == null || !node.isValueNode()) {
            return null;
        }
        String text = node.asText();
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || text.chars().allMatch(c -> c == '0')) {
            return null;
        }
        return Long.parseLong(text);
    }

    /** A noted value (boolean, number or text) as JSON; written by hand, it is on every suspension's path. */
    private static JsonNode scalar(Object value) {
        if (value instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        }
        if (value instanceof Long n) {
            return LongNode.valueOf(n);
        }
        if (value instanceof Integer n) {
            return IntNode.valueOf(n);
        }
        return value == null ? NullNode.getInstance() : TextNode.valueOf(value.toString());
    }

    private static void putText(ObjectNode into, String member, JsonNode value) {
        if (value != null && value.isValueNode() && !value.isNull()) {
            String text = value.asText();
            into.put(member, text.length() > MAX_REASON_LENGTH ? text.substring(0, MAX_REASON_LENGTH) : text);
        }
    }

    private record Event(String outcome, String networkId, Long userId, ObjectNode details) {}

    /** The events of one call: a fresh random call id, then each event's position, keeps them together and in order. */
    private final class Events {
        private final String callId = Ids.token(16);
        private final List<AuditEventRecord> list = new ArrayList<>();

        Events add(Event e) {
            list.add(new AuditEventRecord(call.accountId(), call.region(), atMillis,
                    callId + "-" + position(list.size()), operation, call.accessKeyId(),
                    call.requestId(), e.outcome(), e.networkId(), e.userId(), Json.write(e.details())));
            return this;
        }

        /** Four digits, so that the ids of one call sort in the order of its events. */
        private static String position(int index) {
            String digits = Integer.toString(index);
            return "0000".substring(Math.min(4, digits.length())) + digits;
        }
    }
}
