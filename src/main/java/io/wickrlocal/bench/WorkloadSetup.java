package io.wickrlocal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Prepares what the workers act on: a network and its users, created fresh or found in an existing network. */
final class WorkloadSetup {

    /** BatchCreateUser and the toggle accept at most this many users per call. */
    static final int MAX_BATCH = 50;
    /** ListUsers' largest page. */
    private static final int LIST_PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The network under load, its default group (where created users go) and the users the workers pick from. */
    record Workload(String networkId, String defaultGroupId, List<String> userIds) {}

    /** Setup could not finish; the message says which call failed and what the server answered. */
    static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }

    private final WickrClient client;
    private final TokenSource tokens;

    WorkloadSetup(WickrClient client, TokenSource tokens) {
        this.client = client;
        this.tokens = tokens;
    }

    /** Creates a STANDARD network (no free trial, so no 30-user cap) and {@code users} users in its default group. */
    Workload createNetwork(String networkName, int users) throws SetupException, IOException, InterruptedException {
        ObjectNode create = JSON.createObjectNode().put("networkName", networkName).put("accessLevel", "STANDARD");
        String networkId = call("CreateNetwork", "POST", "/networks", create, true).path("networkId").asText();
        String groupId = defaultGroup(networkId);
        List<String> ids = new ArrayList<>(users);
        for (int start = 0; start < users; start += MAX_BATCH) {
            ObjectNode batch = JSON.createObjectNode();
            ArrayNode items = batch.putArray("users");
            for (int i = start; i < Math.min(users, start + MAX_BATCH); i++) {
                ObjectNode user = items.addObject().put("username", String.format("bench%06d@example.com", i));
                user.putArray("securityGroupIds").add(groupId);
            }
            JsonNode answer = call("BatchCreateUser", "POST", "/networks/" + networkId + "/users", batch, true);
            if (answer.path("failed").size() > 0) {
                throw new SetupException("BatchCreateUser failed for some users: " + answer.path("failed"));
            }
            answer.path("successful").forEach(u -> ids.add(u.path("userId").asText()));
        }
        return new Workload(networkId, groupId, List.copyOf(ids));
    }

    /** An existing network that only gets new users: its users need not be listed. */
    Workload networkToFill(String networkId) throws SetupException, IOException, InterruptedException {
        return new Workload(networkId, defaultGroup(networkId), List.of());
    }

    /** Lists the users of an existing network, page by page, up to {@code maxUsers} of them. */
    Workload existingNetwork(String networkId, int maxUsers) throws SetupException, IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        String nextToken = null;
        do {
            String path = "/networks/" + networkId + "/users?maxResults=" + LIST_PAGE
                    + (nextToken == null ? "" : "&nextToken=" + WickrClient.encodeQueryValue(nextToken));
            JsonNode page = call("ListUsers", "GET", path, null, false);
            for (JsonNode u : page.path("users")) {
                if (ids.size() < maxUsers) {
                    ids.add(u.path("userId").asText());
                }
            }
            nextToken = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (nextToken != null && ids.size() < maxUsers);
        if (ids.isEmpty()) {
            throw new SetupException("network " + networkId + " has no users to put load on");
        }
        return new Workload(networkId, defaultGroup(networkId), List.copyOf(ids));
    }

    private String defaultGroup(String networkId) throws SetupException, IOException, InterruptedException {
        JsonNode groups = call("ListSecurityGroups", "GET", "/networks/" + networkId + "/security-groups?maxResults="
                + LIST_PAGE, null, false);
        for (JsonNode g : groups.path("securityGroups")) {
            if (g.path("isDefault").asBoolean()) {
                return g.path("id").asText();
            }
        }
        throw new SetupException("network " + networkId + " has no default security group");
    }

    private JsonNode call(String operation, String method, String path, JsonNode body, boolean withToken)
            throws SetupException, IOException, InterruptedException {
        WickrClient.Reply reply = client.send(method, path, body == null ? null : JSON.writeValueAsBytes(body),
                withToken ? tokens.next() : null);
        if (!reply.ok()) {
            throw new SetupException(operation + " failed: HTTP " + reply.status()
                    + (reply.errorType() == null ? "" : " " + reply.errorType()) + ": " + reply.bodyText());
        }
        return JSON.readTree(reply.body());
    }
}
