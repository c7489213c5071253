package io.wickrlocal.store;

import java.util.Optional;

/**
 * One SSO (OIDC) configuration per network. The document holds the client secret, and the store keeps
 * it as opaque text, so the whole document is stored encrypted ({@link SecretCipher}); records carry it
 * in clear.
 */
public final class OidcConfigStore {
    /** The column the document is sealed for (part of the associated data). */
    static final String COLUMN = "oidc_configs.config";
    private static final String WHAT = "SSO configuration";

    private OidcConfigStore() {}

    public static Optional<OidcConfigRecord> find(Tx tx, String networkId) {
        return tx.one("SELECT network_id, config, modified_at FROM oidc_configs WHERE network_id = ?",
                rs -> new OidcConfigRecord(rs.getString(1),
                        tx.secrets().open(rs.getString(2), COLUMN, rs.getString(1), WHAT), rs.getLong(3)),
                networkId);
    }

    /** Stores the configuration, replacing the network's previous one. */
    public static void save(Tx tx, OidcConfigRecord record) {
        tx.update("DELETE FROM oidc_configs WHERE network_id = ?", record.networkId());
        tx.update("INSERT INTO oidc_configs (network_id, config, modified_at) VALUES (?, ?, ?)",
                record.networkId(), tx.secrets().seal(record.config(), COLUMN, record.networkId()),
                record.modifiedAt());
    }
}
