package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The data retention bot of each network: at most one, keyed by the network. */
public final class DataRetentionBotStore {
    private DataRetentionBotStore() {}

    public static void insert(Tx tx, DataRetentionBotRecord r) {
        tx.update("INSERT INTO data_retention_bots (network_id, bot_name, challenge_hash, registered, service_enabled,"
                        + " pubkey_acked, last_login_at, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.networkId(), r.botName(), r.challengeHash(), r.registered(), r.serviceEnabled(), r.pubkeyAcked(),
                r.lastLoginAt(), r.createdAt(), r.modifiedAt());
    }

    public static void update(Tx tx, DataRetentionBotRecord r) {
        tx.update("UPDATE data_retention_bots SET challenge_hash = ?, registered = ?, service_enabled = ?,"
                        + " pubkey_acked = ?, last_login_at = ?, modified_at = ? WHERE network_id = ?",
                r.challengeHash(), r.registered(), r.serviceEnabled(), r.pubkeyAcked(), r.lastLoginAt(),
                r.modifiedAt(), r.networkId());
    }

    public static Optional<DataRetentionBotRecord> find(Tx tx, String networkId) {
        return tx.one("SELECT * FROM data_retention_bots WHERE network_id = ?", DataRetentionBotStore::map, networkId);
    }

    /** False when the network had none. */
    public static boolean delete(Tx tx, String networkId) {
        return tx.update("DELETE FROM data_retention_bots WHERE network_id = ?", networkId) > 0;
    }

    private static DataRetentionBotRecord map(ResultSet rs) throws SQLException {
        return new DataRetentionBotRecord(rs.getString("network_id"), rs.getString("bot_name"),
                rs.getString("challenge_hash"), rs.getInt("registered") == 1, rs.getInt("service_enabled") == 1,
                rs.getInt("pubkey_acked") == 1, Tx.nullableLong(rs, "last_login_at"), rs.getLong("created_at"),
                rs.getLong("modified_at"));
    }
}
