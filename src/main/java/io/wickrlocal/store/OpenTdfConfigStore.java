package io.wickrlocal.store;

import java.util.Optional;

/**
 * One OpenTDF configuration per network. The client secret is stored encrypted ({@link SecretCipher});
 * records carry it in clear.
 */
public final class OpenTdfConfigStore {
    /** The column the secret is sealed for (part of the associated data). */
    static final String COLUMN = "opentdf_configs.client_secret";
    private static final String WHAT = "OpenTDF client secret";

    private OpenTdfConfigStore() {}

    public static Optional<OpenTdfConfigRecord> find(Tx tx, String networkId) {
        return tx.one("SELECT network_id, client_id, client_secret, domain, provider, modified_at"
                        + " FROM opentdf_configs WHERE network_id = ?",
                rs -> new OpenTdfConfigRecord(rs.getString(1), rs.getString(2),
                        tx.secrets().open(rs.getString(3), COLUMN, rs.getString(1), WHAT), rs.getString(4),
                        rs.getString(5), rs.getLong(6)),
                networkId);
    }

    /** Stores the configuration, replacing the network's previous one. */
    public static void save(Tx tx, OpenTdfConfigRecord r) {
        tx.update("DELETE FROM opentdf_configs WHERE network_id = ?", r.networkId());
        tx.update("INSERT INTO opentdf_configs (network_id, client_id, client_secret, domain, provider, modified_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                r.networkId(), r.clientId(), tx.secrets().seal(r.clientSecret(), COLUMN, r.networkId()), r.domain(),
                r.provider(), r.modifiedAt());
    }
}
