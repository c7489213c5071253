package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Networks, always looked up within their owner's account and region, and the ids of the deleted
 * ones (table {@code deleted_networks}), which answer differently from ids never seen.
 */
public final class NetworkStore {
    /** How many deleted network ids an account keeps, the newest; older ones are forgotten. */
    public static final int DELETED_KEPT = 10_000;

    private NetworkStore() {}

    /** A network with the id of a deleted one (a snapshot import) ends that one's record. */
    public static void insert(Tx tx, NetworkRecord n) {
        tx.update("DELETE FROM deleted_networks WHERE network_id = ?", n.networkId());
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

    /** True when a deleted network of any owner had the id and it is still remembered. */
    public static boolean deletedIdKept(Tx tx, String networkId) {
        return tx.exists("SELECT 1 FROM deleted_networks WHERE network_id = ?", networkId);
    }

    /** True when the owner deleted a network of this id (and it was not forgotten since). */
    public static boolean wasDeleted(Tx tx, String accountId, String region, String networkId) {
        return tx.exists("SELECT 1 FROM deleted_networks WHERE network_id = ? AND account_id = ? AND region = ?",
                networkId, accountId, region);
    }

    /**
     * Deletes the network and everything that lives in it, and remembers its id as deleted; the
     * owner's oldest deleted ids beyond {@link #DELETED_KEPT} are forgotten.
     */
    public static void delete(Tx tx, NetworkRecord network, long now) {
        remove(tx, network.networkId());
        tx.update("INSERT INTO deleted_networks (network_id, account_id, region, deleted_at) VALUES (?, ?, ?, ?)",
                network.networkId(), network.accountId(), network.region(), now);
        long excess = tx.count("SELECT COUNT(*) FROM deleted_networks WHERE account_id = ?", network.accountId())
                - DELETED_KEPT;
        if (excess > 0) {
            tx.update("DELETE FROM deleted_networks WHERE network_id IN (SELECT network_id FROM deleted_networks"
                    + " WHERE account_id = ? ORDER BY deleted_at, network_id LIMIT ?)", network.accountId(), excess);
        }
    }

    private static void remove(Tx tx, String networkId) {
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
