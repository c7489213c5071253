package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.BotRecord;
import io.wickrlocal.store.DataRetentionBotStore;
import io.wickrlocal.store.DeviceRecord;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.GuestRecord;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.OidcConfigStore;
import io.wickrlocal.store.OpenTdfConfigStore;
import io.wickrlocal.store.SnapshotStore;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserRecord;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the state of one account (every region), or of every account, as one snapshot document
 * (the LocalSnapshot shape of the contract). Values the server derives (unames, search keys, the
 * data retention bot's name, the OIDC application and redirect URL, counts) are left out: import
 * derives them again by the same rules.
 */
final class SnapshotExporter {
    private final Tx tx;
    private final SnapshotSecrets secrets;

    private SnapshotExporter(Tx tx, SnapshotSecrets secrets) {
        this.tx = tx;
        this.secrets = secrets;
    }

    /**
     * @param accountId the account to export, or null for every account
     * @param secrets   how to seal secrets, or null to leave them out
     */
    static ObjectNode export(Tx tx, String accountId, SnapshotSecrets secrets, long now) {
        return new SnapshotExporter(tx, secrets).document(accountId, now);
    }

    private ObjectNode document(String accountId, long now) {
        ObjectNode doc = Json.object();
        doc.put("format", Snapshot.FORMAT);
        doc.put("version", Snapshot.VERSION);
        doc.put("exportedAt", now);
        if (secrets != null) {
            doc.set("secrets", secrets.header());
        }
        ArrayNode accounts = doc.putArray("accounts");
        ObjectNode current = null;
        for (NetworkRecord n : SnapshotStore.networks(tx, accountId)) {
            if (current == null || !current.get("accountId").asText().equals(n.accountId())
                    || !current.get("region").asText().equals(n.region())) {
                current = accounts.addObject();
                current.put("accountId", n.accountId());
                current.put("region", n.region());
                current.putArray("networks");
            }
            ((ArrayNode) current.get("networks")).add(network(n));
        }
        return doc;
    }

    private ObjectNode network(NetworkRecord n) {
        String id = n.networkId();
        ObjectNode out = Json.object();
        out.put("networkId", id);
        out.put("networkName", n.name());
        out.put("accessLevel", n.accessLevel());
        putIfSet(out, "encryptionKeyArn", n.encryptionKeyArn());
        putIfSet(out, "freeTrialExpiresAt", n.freeTrialExpiresAt());
        out.put("createdAt", n.createdAt());
        ArrayNode groups = out.putArray("securityGroups");
        for (GroupRecord g : GroupStore.all(tx, id)) {
            ObjectNode item = groups.addObject();
            item.put("id", g.groupId());
            item.put("name", g.name());
            item.put("isDefault", g.isDefault());
            item.set("settings", SecurityGroupOperations.settings(g));
            item.put("modifiedAt", g.modifiedAt());
        }
        users(out.putArray("users"), id);
        bots(out.putArray("bots"), id);
        DataRetentionBotStore.find(tx, id).ifPresent(b -> {
            ObjectNode item = out.putObject("dataRetentionBot");
            putIfSet(item, "challengeHash", b.challengeHash());
            item.put("registered", b.registered());
            item.put("serviceEnabled", b.serviceEnabled());
            item.put("pubkeyAcked", b.pubkeyAcked());
            putIfSet(item, "lastLoginAt", b.lastLoginAt());
            item.put("createdAt", b.createdAt());
            item.put("modifiedAt", b.modifiedAt());
        });
        guests(out.putArray("guests"), id);
        ArrayNode settings = out.putArray("settings");
        for (SnapshotStore.Setting s : SnapshotStore.settings(tx, id)) {
            ObjectNode item = settings.addObject();
            item.put("name", s.name());
            item.put("value", s.value());
            item.put("modifiedAt", s.modifiedAt());
        }
        OidcConfigStore.find(tx, id).ifPresent(c -> {
            JsonNode config = Json.read(c.config());
            ObjectNode item = out.putObject("oidc");
            for (String member : List.of("companyId", "issuer", "scopes")) {
                item.put(member, config.path(member).asText());
            }
            putIfSet(item, "clientId", Json.text(config, "userId"));
            String secret = Json.text(config, "secret");
            if (secret != null && secrets != null) {
                item.put("encryptedSecret", secrets.seal(secret, Snapshot.oidcSecretPlace(id)));
            }
            putIfSet(item, "customUsername", Json.text(config, "customUsername"));
            putIfSet(item, "extraAuthParams", Json.text(config, "extraAuthParams"));
            item.put("ssoTokenBufferMinutes", config.path("ssoTokenBufferMinutes").asInt());
            item.put("modifiedAt", c.modifiedAt());
        });
        OpenTdfConfigStore.find(tx, id).ifPresent(c -> {
            ObjectNode item = out.putObject("openTdf");
            item.put("clientId", c.clientId());
            if (secrets != null && !c.clientSecret().isEmpty()) {
                item.put("encryptedClientSecret", secrets.seal(c.clientSecret(), Snapshot.openTdfSecretPlace(id)));
            }
            item.put("domain", c.domain());
            item.put("provider", c.provider());
            item.put("modifiedAt", c.modifiedAt());
        });
        return out;
    }

    private void users(ArrayNode out, String networkId) {
        Map<Long, List<DeviceRecord>> devices = SnapshotStore.devices(tx, networkId);
        Map<Long, List<SnapshotStore.UserSession>> sessions = SnapshotStore.userSessions(tx, networkId);
        for (UserRecord u : SnapshotStore.users(tx, networkId)) {
            ObjectNode item = out.addObject();
            item.put("userId", Long.toString(u.userId()));
            item.put("username", u.username());
            item.put("firstName", u.firstName());
            item.put("lastName", u.lastName());
            item.put("status", u.status());
            item.put("suspended", u.suspended());
            item.put("isAdmin", u.isAdmin());
            ArrayNode groups = item.putArray("securityGroupIds");
            u.groupIds().forEach(groups::add);
            putIfSet(item, "inviteCode", u.inviteCode());
            putIfSet(item, "inviteExpiresAt", u.inviteExpiresAt());
            item.put("codeValidation", u.codeValidation());
            putIfSet(item, "lastLoginAt", u.lastLoginAt());
            item.put("createdAt", u.createdAt());
            item.put("modifiedAt", u.modifiedAt());
            ArrayNode ds = item.putArray("devices");
            for (DeviceRecord d : devices.getOrDefault(u.userId(), List.of())) {
                ObjectNode device = ds.addObject();
                device.put("appId", d.appId());
                device.put("type", d.type());
                device.put("statusText", d.statusText());
                device.put("createdAt", d.createdAt());
                device.put("lastLoginAt", d.lastLoginAt());
            }
            ArrayNode ss = item.putArray("sessions");
            for (SnapshotStore.UserSession s : sessions.getOrDefault(u.userId(), List.of())) {
                ObjectNode session = ss.addObject();
                session.put("sessionId", s.sessionId());
                session.put("appId", s.appId());
                session.put("startedAt", s.startedAt());
                putIfSet(session, "endedAt", s.endedAt());
                putIfSet(session, "endReason", s.endReason());
            }
        }
    }

    private void bots(ArrayNode out, String networkId) {
        Map<Long, List<SnapshotStore.BotSession>> sessions = SnapshotStore.botSessions(tx, networkId);
        for (BotRecord b : SnapshotStore.bots(tx, networkId)) {
            ObjectNode item = out.addObject();
            item.put("botId", Long.toString(b.botId()));
            item.put("username", b.username());
            item.put("displayName", b.displayName());
            item.put("groupId", b.groupId());
            // A salted one-way hash: the password itself is never stored, so it can never be exported.
            putIfSet(item, "passwordHash", b.challengeHash());
            item.put("status", b.status());
            item.put("suspended", b.suspended());
            putIfSet(item, "pubkey", b.pubkey());
            putIfSet(item, "lastLoginAt", b.lastLoginAt());
            item.put("createdAt", b.createdAt());
            item.put("modifiedAt", b.modifiedAt());
            ArrayNode ss = item.putArray("sessions");
            for (SnapshotStore.BotSession s : sessions.getOrDefault(b.botId(), List.of())) {
                ObjectNode session = ss.addObject();
                session.put("sessionId", s.sessionId());
                session.put("startedAt", s.startedAt());
                putIfSet(session, "endedAt", s.endedAt());
                putIfSet(session, "endReason", s.endReason());
            }
        }
    }

    private void guests(ArrayNode out, String networkId) {
        Map<String, List<SnapshotStore.GuestActivity>> activity = SnapshotStore.guestActivity(tx, networkId);
        Map<String, SnapshotStore.GuestBlock> blocks = SnapshotStore.guestBlocks(tx, networkId);
        for (GuestRecord g : SnapshotStore.guests(tx, networkId)) {
            ObjectNode item = out.addObject();
            item.put("username", g.username());
            item.put("firstSeenAt", g.firstSeenAt());
            item.put("lastSeenAt", g.lastSeenAt());
            ArrayNode periods = item.putArray("activity");
            for (SnapshotStore.GuestActivity a : activity.getOrDefault(g.usernameHash(), List.of())) {
                ObjectNode period = periods.addObject();
                period.put("billingPeriod", a.billingPeriod());
                period.put("firstAt", a.firstAt());
                period.put("lastAt", a.lastAt());
            }
            SnapshotStore.GuestBlock block = blocks.get(g.usernameHash());
            if (block != null) {
                ObjectNode b = item.putObject("blocked");
                b.put("admin", block.admin());
                b.put("modifiedAt", block.modifiedAt());
            }
        }
    }

    private static void putIfSet(ObjectNode out, String member, Object value) {
        if (value instanceof String s) {
            out.put(member, s);
        } else if (value instanceof Long l) {
            out.put(member, l);
        } else if (value != null) {
            throw new IllegalArgumentException(member + ": " + Objects.toString(value));
        }
    }
}
