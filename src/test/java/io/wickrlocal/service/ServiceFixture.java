package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A service over a store, with helpers that build inputs as the protocol layer would. */
final class ServiceFixture implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    final Database database;
    final WickrService service;
    final Call call = new Call("000000000000", "us-east-1", "test", "req");

    /** The same caller holding the operator role, as the default test/test credential does. */
    static Call operator(Call c) {
        return new Call(c.accountId(), c.region(), c.accessKeyId(), c.requestId(), true);
    }

    ServiceFixture(Database database) {
        this.database = database;
        this.service = new WickrService(database, clock);
    }

    /** @param discovery how RegisterOidcConfigTest fetches (for limits shorter than the defaults) */
    ServiceFixture(Database database, OidcDiscoveryClient discovery) {
        this.database = database;
        this.service = new WickrService(database, clock, discovery);
    }

    /** A service with the given bounds, whose audit eviction works in steps of {@code batch} events. */
    ServiceFixture(Database database, StateBounds bounds, int batch) {
        this.database = database;
        this.service = new WickrService(database, clock, bounds, batch, batch + 1);
    }

    ObjectNode invoke(String op, ObjectNode input) {
        return service.invoke(op, call, input, null, null);
    }

    ObjectNode invoke(String op, Call as, ObjectNode input) {
        return service.invoke(op, as, input, null, null);
    }

    String network() {
        return network("STANDARD");
    }

    /** A PREMIUM network: only those may have a data retention bot. */
    String premiumNetwork() {
        return network("PREMIUM");
    }

    private String network(String accessLevel) {
        ObjectNode in = Json.object();
        in.put("networkName", "net");
        in.put("accessLevel", accessLevel);
        return invoke("CreateNetwork", in).get("networkId").asText();
    }

    String defaultGroup(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        for (JsonNode g : invoke("ListSecurityGroups", in).get("securityGroups")) {
            if (g.get("isDefault").asBoolean()) {
                return g.get("id").asText();
            }
        }
        throw new AssertionError("no default group");
    }

    /** Creates users named prefix0..prefixN-1 and returns their ids (and invite codes in codes). */
    List<String> users(String networkId, String prefix, int n, List<String> codes) {
        String group = defaultGroup(networkId);
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        ArrayNode list = in.putArray("users");
        for (int i = 0; i < n; i++) {
            ObjectNode u = list.addObject();
            u.put("username", prefix + i + "@example.com");
            u.put("firstName", "First" + i);
            u.put("lastName", "Last" + i);
            u.putArray("securityGroupIds").add(group);
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode u : invoke("BatchCreateUser", in).get("successful")) {
            ids.add(u.get("userId").asText());
            if (codes != null) {
                codes.add(u.get("inviteCode").asText());
            }
        }
        return ids;
    }

    ObjectNode toggle(String networkId, boolean suspend, List<String> userIds, String token) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        in.put("suspend", suspend);
        ArrayNode ids = in.putArray("userIds");
        userIds.forEach(ids::add);
        if (token != null) {
            in.put("clientToken", token);
        }
        return service.invoke("BatchToggleUserSuspendStatus", call, in, token, "clientToken");
    }

    ObjectNode user(String networkId, String userId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        in.put("userId", userId);
        return invoke("GetUser", in);
    }

    ObjectNode signIn(String networkId, String userId, String inviteCode) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        in.put("userId", userId);
        in.put("deviceType", "iOS");
        if (inviteCode != null) {
            in.put("inviteCode", inviteCode);
        }
        return invoke("LocalSignIn", in);
    }

    ArrayNode sessions(String networkId, String userId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        in.put("userId", userId);
        return (ArrayNode) invoke("LocalListSessions", in).get("sessions");
    }

    @Override
    public void close() {
        database.close();
    }
}
