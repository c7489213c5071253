package io.wickrlocal.store;

import java.util.Optional;

/** One OpenTDF configuration per network. */
public final class OpenTdfConfigStore {
    private OpenTdfConfigStore() {}

    public static Optional<OpenTdfConfigRecord> find(Tx tx, String networkId) {
        return tx.one("SELECT network_id, client_id, client_secret, domain, provider, modified_at"
                        + " FROM opentdf_configs WHERE network_id = ?",
                rs -> new OpenTdfConfigRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6)),
                networkId);
    }

    /** Stores the configuration, replacing the network's previous one. */
    public static void save(Tx tx, OpenTdfConfigRecord r) {
        tx.update("DELETE FROM opentdf_configs WHERE network_id = ?", r.networkId());
        tx.update("INSERT INTO opentdf_configs (network_id, client_id, client_secret, domain, provider, modified_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                r.networkId(), r.clientId(), r.clientSecret(), r.domain(), r.provider(), r.modifiedAt());
    }
}
