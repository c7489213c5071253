package io.wickrlocal.store;

import java.util.Optional;

/** One SSO (OIDC) configuration per network. */
public final class OidcConfigStore {
    private OidcConfigStore() {}

    public static Optional<OidcConfigRecord> find(Tx tx, String networkId) {
        return tx.one("SELECT network_id, config, modified_at FROM oidc_configs WHERE network_id = ?",
                rs -> new OidcConfigRecord(rs.getString(1), rs.getString(2), rs.getLong(3)), networkId);
    }

    /** Stores the configuration, replacing the network's previous one. */
    public static void save(Tx tx, OidcConfigRecord record) {
        tx.update("DELETE FROM oidc_configs WHERE network_id = ?", record.networkId());
        tx.update("INSERT INTO oidc_configs (network_id, config, modified_at) VALUES (?, ?, ?)",
                record.networkId(), record.config(), record.modifiedAt());
    }
}
