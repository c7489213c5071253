package io.wickrlocal.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Where the pool gets its PostgreSQL connections. While the database does not accept connections (down,
 * restarting, in crash recovery), a request for one is retried here every 20 to 200 ms until it succeeds
 * or the store closes, instead of failing.
 *
 * <p>Why: HikariCP sleeps between failed attempts to add a connection, doubling the pause up to 5 s, a
 * bound hard-coded in its pool entry creator (HikariCP 7.1). After an outage of more than a few seconds a
 * node therefore went on failing for up to 5 s after the database was back. Retrying below the pool keeps
 * HikariCP's creator from ever seeing a failure it would back off from, so the pool has a connection within
 * about 200 ms of the database accepting them. Only the pool's connection-adding thread waits here; callers
 * wait for the pool, bounded by its connection timeout.
 *
 * <p>It also tells whether the database is reachable now ({@link #outage}), for the readiness answer.
 */
final class ReconnectingDataSource implements DataSource {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ReconnectingDataSource.class);
    static final long FIRST_PAUSE_MILLIS = 20;
    static final long MAX_PAUSE_MILLIS = 200;

    private final Driver driver = new org.postgresql.Driver();
    private final String jdbcUrl;
    private final Properties properties;
    private final String address;
    private volatile boolean closed;
    /** Off while the start waits for the database, which tells each attempt in its own words. */
    private volatile boolean logging;
    /** The failure in force since the last connection made, or null while connections are made. */
    private volatile Down down;

    private record Down(long sinceNanos, String reason, boolean unreachable) {}

    ReconnectingDataSource(DatabaseUrl url) {
        this.jdbcUrl = url.jdbcUrl();
        this.address = url.address();
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        // Keeps row values (usernames in a unique-key conflict, say) out of exception messages and logs.
        p.setProperty("logServerErrorDetail", "false");
        // One multi-row INSERT for a JDBC batch of inserts instead of one statement a row.
        p.setProperty("reWriteBatchedInserts", "true");
        // A host that drops packets costs an attempt 5 s, not the driver's default of 10 s.
        p.setProperty("connectTimeout", "5");
        p.setProperty("ApplicationName", "wickr-local");
        this.properties = p;
    }

    /** host:port of the database, for messages. */
    String address() {
        return address;
    }

    /** One attempt to connect, without retrying; records the outcome for {@link #outage}. */
    Connection connectOnce() throws SQLException {
        try {
            Connection c = driver.connect(jdbcUrl, properties);
            if (c == null) {
                throw new SQLException("the PostgreSQL driver does not take the URL of " + address, "08001");
            }
            reached();
            return c;
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    /** Connects, retrying while the database is unreachable, until it answers or the store closes. */
    @Override
    public Connection getConnection() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            if (closed) {
                throw new SQLException("the store is closed", "08003");
            }
            try {
                return connectOnce();
            } catch (SQLException e) {
                if (!ConnectFailures.isUnreachable(e) || closed) {
                    throw e;
                }
            }
            try {
                Thread.sleep(Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(attempt - 1, 10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while reconnecting to PostgreSQL", "08001", e);
            }
        }
    }

    private void reached() {
        Down was = down;
        if (was != null) {
            down = null;
            if (logging) {
                LOG.info("PostgreSQL at {} accepts connections again (after {} ms)", address,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - was.sinceNanos()));
            }
        }
    }

    private void failed(SQLException e) {
        String reason = ConnectFailures.phrase(e);
        boolean unreachable = ConnectFailures.isUnreachable(e);
        Down was = down;
        if (was == null) {
            down = new Down(System.nanoTime(), reason, unreachable);
            if (logging && !closed) {
                LOG.warn("cannot connect to PostgreSQL at {}: {}{}", address, reason,
                        unreachable ? "; connecting again every " + MAX_PAUSE_MILLIS + " ms" : "");
            }
        } else if (!was.reason().equals(reason) || was.unreachable() != unreachable) {
            down = new Down(was.sinceNanos(), reason, unreachable);
        }
    }

    /**
     * When the last attempt to connect failed because the database is not accepting connections: why,
     * and for how long attempts have failed. Null while connections are made, and for failures that
     * waiting does not cure (those are told by the probe that runs into them).
     */
    StoreOutage outage() {
        Down d = down;
        if (d == null || !d.unreachable()) {
            return null;
        }
        return new StoreOutage(d.reason(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - d.sinceNanos()));
    }

    /** From now on, losing and regaining the database is logged (once each way). */
    void logChanges() {
        logging = true;
    }

    void close() {
        closed = true;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user and password come with the database URL");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver log
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // connectTimeout bounds each attempt; the pool's connection timeout bounds its callers' wait
    }

    /** What HikariCP waits, at close, for its connection-adding thread: an attempt's connect timeout. */
    @Override
    public int getLoginTimeout() {
        return 5;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
