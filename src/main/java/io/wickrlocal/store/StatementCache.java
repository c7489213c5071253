package io.wickrlocal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one connection, kept open between transactions. The SQLite driver parses
 * every statement it prepares, and a batch of 50 users runs hundreds of statements: preparing each
 * once is most of the store's cost otherwise. Bounded and least-recently-used, since list queries
 * are built from the client's filters and sort fields. Not thread-safe: one connection, one user.
 */
final class StatementCache implements AutoCloseable {
    private static final int CAPACITY = 256;

    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > CAPACITY) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    PreparedStatement get(Connection connection, String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    void evict(PreparedStatement ps) {
        statements.values().removeIf(s -> s == ps);
        closeQuietly(ps);
    }

    @Override
    public void close() {
        statements.values().forEach(StatementCache::closeQuietly);
        statements.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException e) {
            // closing a statement of a connection that is going away: nothing to do
        }
    }
}
