package io.wickrlocal.store;

import java.util.List;

/** Pieces of SQL that several stores share. Table and column names are ours, never a client's. */
final class QueryParts {
    private QueryParts() {}

    /** Adds a case-insensitive substring match; LIKE wildcards in the client's text match literally. */
    static void contains(StringBuilder from, List<Object> args, String column, String value) {
        if (value == null) {
            return;
        }
        String escaped = NetworkStore.key(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        from.append(" AND ").append(column).append(" LIKE ? ESCAPE '\\'");
        args.add("%" + escaped + "%");
    }

    /** How many rows of the network's table have status 1 (pending) and 2 (active), in that order. */
    static long[] countByStatus(Tx tx, String table, String networkId) {
        long[] counts = new long[2];
        tx.list("SELECT status, COUNT(*) FROM " + table + " WHERE network_id = ? GROUP BY status", rs -> {
            int status = rs.getInt(1);
            if (status == 1 || status == 2) {
                counts[status - 1] = rs.getLong(2);
            }
            return null;
        }, networkId);
        return counts;
    }
}
