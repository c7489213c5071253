package io.wickrlocal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One open transaction: plain JDBC with the boilerplate taken out. Not thread-safe. */
public final class Tx {
    private final Connection connection;
    private final StatementCache cache;
    private final boolean rowLocks;
    private final SecretCipher secrets;
    private int counterShard = -1;

    /**
     * @param cache prepared statements kept open across transactions of one connection, or null
     * @param rowLocks whether the store locks rows ({@code FOR UPDATE}); SQLite has one writer and no such clause
     * @param secrets the cipher of the secrets the store keeps encrypted
     */
    Tx(Connection connection, StatementCache cache, boolean rowLocks, SecretCipher secrets) {
        this.connection = connection;
        this.cache = cache;
        this.rowLocks = rowLocks;
        this.secrets = java.util.Objects.requireNonNull(secrets, "secrets");
    }

    /** The cipher of the store's encrypted columns; only the stores of this package use it. */
    SecretCipher secrets() {
        return secrets;
    }

    /**
     * The shard of a sharded counter this transaction writes to, the same for all its changes: with a
     * shard per change, two transactions adding fifty users each took their rows in different orders
     * and deadlocked on PostgreSQL (measured: creating users from 8 clients in one network stalled).
     */
    int counterShard(int shards) {
        if (counterShard < 0) {
            counterShard = java.util.concurrent.ThreadLocalRandom.current().nextInt(shards);
        }
        return counterShard;
    }

    /** The clause that ends a SELECT to lock the rows it returns until the transaction ends ("" where not needed). */
    public String lockRows() {
        return rowLocks ? " FOR UPDATE" : "";
    }

    public int update(String sql, Object... args) {
        PreparedStatement ps = null;
        try {
            ps = prepare(sql, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        } finally {
            release(ps);
        }
    }

    /** Runs one statement for each row of arguments, as a JDBC batch. */
    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedStatement ps = null;
        try {
            ps = statement(sql);
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        } finally {
            release(ps);
        }
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) {
        PreparedStatement ps = null;
        try {
            ps = prepare(sql, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        } finally {
            release(ps);
        }
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) {
        PreparedStatement ps = null;
        try {
            ps = prepare(sql, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        } finally {
            release(ps);
        }
    }

    public long count(String sql, Object... args) {
        return one(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    public boolean exists(String sql, Object... args) {
        return one(sql, rs -> Boolean.TRUE, args).isPresent();
    }

    private PreparedStatement prepare(String sql, Object[] args) throws SQLException {
        PreparedStatement ps = statement(sql);
        try {
            bind(ps, args);
            return ps;
        } catch (SQLException e) {
            release(ps);
            throw e;
        }
    }

    private PreparedStatement statement(String sql) throws SQLException {
        return cache == null ? connection.prepareStatement(sql) : cache.get(connection, sql);
    }

    /** Closes a statement of its own; a cached one stays open, with its parameters cleared. */
    private void release(PreparedStatement ps) {
        if (ps == null) {
            return;
        }
        try {
            if (cache == null) {
                ps.close();
            } else {
                ps.clearParameters();
                ps.clearBatch();
            }
        } catch (SQLException e) {
            // the statement is unusable; a cached one is replaced on its next use
            if (cache != null) {
                cache.evict(ps);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** Reads the database's own description (tables, columns), e.g. for tests that check the schema. */
    public <T> T connectionMetadata(MetadataReader<T> reader) {
        try {
            return reader.read(connection.getMetaData());
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        }
    }

    /** Reads from the database's metadata. */
    @FunctionalInterface
    public interface MetadataReader<T> {
        T read(java.sql.DatabaseMetaData meta) throws SQLException;
    }

    /** A nullable BIGINT column as a Long. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
