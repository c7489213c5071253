package io.wickrlocal.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The snapshot document's identity, and what becomes of every table of the schema in a snapshot.
 * A test compares {@link #TABLES} with the schema, so a table added without deciding how it
 * travels fails the build.
 */
public final class Snapshot {
    public static final String FORMAT = "wickr-local-snapshot";
    /** Raised when the document changes in a way an older reader would get wrong. */
    public static final int VERSION = 1;

    /** Every state table, with how a snapshot carries it. */
    public static final Map<String, String> TABLES;

    static {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("networks", "accounts[].networks[]");
        t.put("security_groups", "networks[].securityGroups[]");
        t.put("users", "networks[].users[]");
        t.put("user_groups", "networks[].users[].securityGroupIds");
        t.put("devices", "networks[].users[].devices[]");
        t.put("sessions", "networks[].users[].sessions[]");
        t.put("user_counts", "derived: counted again from the imported users");
        t.put("bots", "networks[].bots[]");
        t.put("bot_sessions", "networks[].bots[].sessions[]");
        t.put("data_retention_bots", "networks[].dataRetentionBot");
        t.put("guest_users", "networks[].guests[]");
        t.put("guest_activity", "networks[].guests[].activity[]");
        t.put("guest_blocks", "networks[].guests[].blocked");
        t.put("network_settings", "networks[].settings[]");
        t.put("oidc_configs", "networks[].oidc (client secret sealed with the passphrase, or left out)");
        t.put("opentdf_configs", "networks[].openTdf (client secret sealed with the passphrase, or left out)");
        t.put("idempotency_records", "not carried: client tokens are a 24-hour retry window, not state");
        t.put("audit_events", "not carried: the trail is the history of the server that recorded it");
        t.put("deleted_networks", "not carried: a deleted network is gone, and its id answers 404 after an import");
        TABLES = java.util.Collections.unmodifiableMap(t);
    }

    private Snapshot() {}

    static String oidcSecretPlace(String networkId) {
        return networkId + "/oidc.secret";
    }

    static String openTdfSecretPlace(String networkId) {
        return networkId + "/openTdf.clientSecret";
    }
}
