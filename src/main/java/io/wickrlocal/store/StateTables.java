package io.wickrlocal.store;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every table that holds state, with how its rows belong to an account: through the network they
 * live in, or through an account column of their own. A reset is one deletion per table, in this
 * order; a table added to the schema is one more line here (a test compares this list with the
 * schema, so a table left out fails the build).
 */
public final class StateTables {
    /** How a table's rows are tied to an account. */
    public enum Owner {
        /** A {@code network_id} column: the row belongs to the account that owns the network. */
        NETWORK,
        /** An {@code account_id} column of its own. */
        ACCOUNT
    }

    /** One table of account state. */
    public record Table(String name, Owner owner) {}

    /**
     * Children before parents, and {@code networks} last: the network-owned tables find their
     * rows through it.
     */
    public static final List<Table> ALL = List.of(
            network("sessions"),
            network("devices"),
            network("user_groups"),
            network("user_counts"),
            network("users"),
            network("bot_sessions"),
            network("bots"),
            network("data_retention_bots"),
            network("guest_activity"),
            network("guest_blocks"),
            network("guest_users"),
            network("network_settings"),
            network("oidc_configs"),
            network("opentdf_configs"),
            network("security_groups"),
            account("idempotency_records"),
            account("audit_events"),
            account("deleted_networks"),
            account("networks"));

    /** Tables that are not account state: the schema's own bookkeeping, and the secrets key's check value. */
    public static final Set<String> NOT_STATE = Set.of("schema_version", "secrets_key_check");

    private StateTables() {}

    /** Deletes every row of the account, in every region; returns how many networks went. */
    public static int resetAccount(Tx tx, String accountId) {
        int networks = (int) tx.count("SELECT COUNT(*) FROM networks WHERE account_id = ?", accountId);
        for (Table t : ALL) {
            if (t.owner() == Owner.NETWORK) {
                tx.update("DELETE FROM " + t.name() + " WHERE network_id IN"
                        + " (SELECT network_id FROM networks WHERE account_id = ?)", accountId);
            } else {
                tx.update("DELETE FROM " + t.name() + " WHERE account_id = ?", accountId);
            }
        }
        return networks;
    }

    /** Deletes every row of every account; returns how many networks went. */
    public static int resetAll(Tx tx) {
        int networks = (int) tx.count("SELECT COUNT(*) FROM networks");
        for (Table t : ALL) {
            tx.update("DELETE FROM " + t.name());
        }
        return networks;
    }

    /** The tables the database has (lower case), as its own metadata lists them. */
    public static Set<String> inSchema(Tx tx) {
        return tx.connectionMetadata(meta -> {
            Set<String> out = new TreeSet<>();
            try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equals("public") || schema.equals("main")) {
                        out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            return out;
        });
    }

    /** The names of {@link #ALL}. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        ALL.forEach(t -> out.add(t.name()));
        return out;
    }

    private static Table network(String name) {
        return new Table(name, Owner.NETWORK);
    }

    private static Table account(String name) {
        return new Table(name, Owner.ACCOUNT);
    }
}
