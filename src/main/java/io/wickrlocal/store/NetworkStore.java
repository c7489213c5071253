package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Networks, always looked up within their owner's account and region. */
public final class NetworkStore {
    private NetworkStore() {}

    public static void insert(Tx tx, NetworkRecord n) {
        tx.update("INSERT INTO networks (network_id, account_id, region, name, name_key, access_level,"
                        + " encryption_key_arn, free_trial_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                n.networkId(), n.accountId(), n.region(), n.name(), key(n.name()), n.accessLevel(),
                n.encryptionKeyArn(), n.freeTrialExpiresAt(), n.createdAt());
    }

    /** True when any owner already uses the id: network IDs are unique across the whole store. */
    public static boolean idTaken(Tx tx, String networkId) {
        return tx.exists("SELECT 1 FROM networks WHERE network_id = ?", networkId);
    }

    public static Optional<NetworkRecord> find(Tx tx, String accountId, String region, String networkId) {
        return tx.one("SELECT n.* FROM networks n WHERE n.network_id = ? AND n.account_id = ? AND n.region = ?",
                NetworkStore::map, networkId, accountId, region);
    }

    public static Page<NetworkRecord> page(Tx tx, String accountId, String region, PageRequest page) {
        return Keyset.fetch(tx, "n.*", "FROM networks n WHERE n.account_id = ? AND n.region = ?",
                List.of(accountId, region), page, NetworkStore::map);
    }

    public static void update(Tx tx, String networkId, String name, String encryptionKeyArn) {
        tx.update("UPDATE networks SET name = ?, name_key = ?, encryption_key_arn = ? WHERE network_id = ?",
                name, key(name), encryptionKeyArn, networkId);
    }

    /** Deletes the network and everything that lives in it. */
    public static void delete(Tx tx, String networkId) {
        for (String table : List.of("bot_sessions", "bots", "data_retention_bots", "guest_activity", "guest_blocks",
                "guest_users", "network_settings", "oidc_configs", "opentdf_configs", "user_counts")) {
            tx.update("DELETE FROM " + table + " WHERE network_id = ?", networkId);
        }
        tx.update("DELETE FROM sessions WHERE network_id = ?", networkId);
        tx.update("DELETE FROM devices WHERE network_id = ?", networkId);
        tx.update("DELETE FROM user_groups WHERE network_id = ?", networkId);
        tx.update("DELETE FROM users WHERE network_id = ?", networkId);
        tx.update("DELETE FROM security_groups WHERE network_id = ?", networkId);
        tx.update("DELETE FROM networks WHERE network_id = ?", networkId);
    }

    static String key(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static NetworkRecord map(ResultSet rs) throws SQLException {
        return new NetworkRecord(rs.getString("network_id"), rs.getString("account_id"), rs.getString("region"),
                rs.getString("name"), rs.getString("access_level"), rs.getString("encryption_key_arn"),
                Tx.nullableLong(rs, "free_trial_expires_at"), rs.getLong("created_at"));
    }
}
