package io.wickrlocal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store for several Wickr Local nodes: PostgreSQL through a bounded HikariCP pool.
 * Every transaction runs SERIALIZABLE, so concurrent batches from different nodes behave as if
 * they ran one after the other. A transaction that loses a conflict (serialization failure,
 * deadlock, a unique key taken by a concurrent insert) or its connection is run again from the
 * start, a bounded number of times within the call's budget; the service's work is safe to repeat
 * because nothing of a failed attempt was committed. When the database goes away, the pool gets
 * connections again within about 200 ms of its return ({@link ReconnectingDataSource}).
 */
public final class PostgresDatabase implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

    /** The longest pause between two attempts to reach the database at start. */
    static final long MAX_WAIT_PAUSE_MILLIS = 1_000;

    private final HikariDataSource pool;
    private final ReconnectingDataSource source;
    private final InFlight inFlight = new InFlight();
    private final String description;
    private final int maxAttempts;
    private final long callBudgetNanos;
    private final TransactionQueues queues;
    private final SecretCipher secrets;

    private PostgresDatabase(HikariDataSource pool, ReconnectingDataSource source, String description,
                             PoolSettings settings, SecretCipher secrets) {
        this.pool = pool;
        this.source = source;
        this.callBudgetNanos = TimeUnit.MILLISECONDS.toNanos(settings.statementTimeoutMillis());
        this.secrets = secrets;
        this.description = description;
        this.maxAttempts = settings.maxAttempts();
        this.queues = new TransactionQueues(settings.statementTimeoutMillis());
    }

    /**
     * Connects and brings the schema up to date, waiting for the database as long as the pool's connection
     * timeout (5 s by default) when it does not accept connections yet.
     *
     * @param key the key of the stored client secrets: every node of one database needs the same one (the
     *            database keeps a check value of the key it was first used with, and refuses any other)
     * @throws SecretsKeyException when the key is missing, malformed, or not the database's
     * @throws DatabaseUnavailableException when the database did not accept a connection in that time
     */
    public static PostgresDatabase open(DatabaseUrl url, PoolSettings settings, SecretsKey key) {
        return open(url, settings, key, Duration.ofMillis(settings.connectionTimeoutMillis()),
                line -> LOG.warn("{}", line));
    }

    /**
     * Connects and brings the schema up to date. While the database does not accept connections
     * (refused, unreachable, starting up, in recovery), tries again with a pause that grows from 100 ms to
     * {@link #MAX_WAIT_PAUSE_MILLIS}, for at most {@code wait}, telling each failed attempt to
     * {@code progress} in one line such as "waiting for PostgreSQL at db:5432 (attempt 3): connection
     * refused". Failures that waiting does not cure (a wrong password, a missing database) end it at once.
     *
     * @throws SecretsKeyException when the key is missing, malformed, or not the database's
     * @throws DatabaseUnavailableException when the database did not accept a connection within {@code wait}
     * @throws StoreException when the database refused the connection for another reason, or the schema
     *                        could not be brought up to date
     */
    public static PostgresDatabase open(DatabaseUrl url, PoolSettings settings, SecretsKey key, Duration wait,
                                        Consumer<String> progress) {
        ReconnectingDataSource source = new ReconnectingDataSource(url);
        SecretCipher secrets = prepare(url, source, settings, key, wait, progress);
        source.logChanges();
        HikariConfig config = new HikariConfig();
        config.setPoolName("wickr-pg");
        config.setDataSource(source);
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(Math.min(2, settings.maxConnections()));
        config.setConnectionTimeout(settings.connectionTimeoutMillis());
        config.setValidationTimeout(Math.min(5_000, settings.connectionTimeoutMillis()));
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        config.setConnectionInitSql(initSql(settings));
        // Commits the SETs above; left in the open transaction, the first rollback undid them (no timeouts at all).
        config.setIsolateInternalQueries(true);
        // The schema step above has connected already; the pool fills itself in the background.
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + url.describe() + ": " + rootMessage(e), e, false);
        }
        return new PostgresDatabase(pool, source, "postgresql at " + url.describe(), settings, secrets);
    }

    private static String initSql(PoolSettings settings) {
        return "SET statement_timeout = " + settings.statementTimeoutMillis()
                + "; SET lock_timeout = " + settings.statementTimeoutMillis()
                + "; SET idle_in_transaction_session_timeout = " + settings.statementTimeoutMillis();
    }

    /** Waits for the database (see {@link #open(DatabaseUrl, PoolSettings, SecretsKey, Duration, Consumer)}) and migrates it. */
    private static SecretCipher prepare(DatabaseUrl url, ReconnectingDataSource source, PoolSettings settings,
                                        SecretsKey key, Duration wait, Consumer<String> progress) {
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        for (int attempt = 1; ; attempt++) {
            boolean connected = false;
            try (Connection c = source.connectOnce()) {
                connected = true;
                try (Statement s = c.createStatement()) {
                    s.execute(initSql(settings));
                }
                // On a connection of its own, so that nothing else of the pool runs before the schema is there.
                return Migrations.apply(c, key);
            } catch (SecretsKeyException e) {
                throw e;
            } catch (SQLException | RuntimeException e) {
                if (!ConnectFailures.isUnreachable(e)) {
                    throw new StoreException("cannot " + (connected ? "prepare the schema in " : "connect to ")
                            + url.describe() + ": " + rootMessage(e), e, false);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DatabaseUnavailableException("gave up waiting for PostgreSQL at " + source.address()
                            + " after " + Math.round((System.nanoTime() - started) / 1e9) + " s and " + attempt
                            + (attempt == 1 ? " attempt: " : " attempts: ") + ConnectFailures.phrase(e), e);
                }
                progress.accept("waiting for PostgreSQL at " + source.address() + " (attempt " + attempt + "): "
                        + ConnectFailures.phrase(e));
                try {
                    Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1,
                            Math.min(MAX_WAIT_PAUSE_MILLIS, 100L << Math.min(attempt - 1, 10))));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while waiting for PostgreSQL", interrupted, false);
                }
            }
        }
    }

    /**
     * {@inheritDoc} On PostgreSQL: one query on a pooled connection that also tells whether a node holds the
     * migration lock, that is, schema migrations are running.
     */
    @Override
    public String probe() {
        try (Connection c = pool.getConnection()) {
            boolean migrating;
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(5);
                try (ResultSet rs = s.executeQuery(MIGRATIONS_RUNNING)) {
                    rs.next();
                    migrating = rs.getBoolean(1);
                }
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            c.rollback();
            return migrating ? "schema migrations are running (a node is bringing the database up to date)" : null;
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        }
    }

    /** Whether a session holds the migration lock ({@link Migrations}): one bigint key is (classid, objid, 1). */
    private static final String MIGRATIONS_RUNNING = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
            + " AND classid = " + (Migrations.MIGRATION_LOCK >>> 32) + " AND objid = " + (Migrations.MIGRATION_LOCK & 0xffffffffL)
            + " AND objsubid = 1 AND granted)";

    @Override
    public StoreOutage outage() {
        return source.outage();
    }

    @Override
    public long longestTransactionMillis() {
        return inFlight.longestMillis();
    }

    @Override
    public <T> T transaction(TxWork<T> work) {
        return run(work, false, null);
    }

    @Override
    public <T> T transactionWithRowLocks(TxWork<T> work) {
        return run(work, true, null);
    }

    @Override
    public <T> T transactionQueuedBy(String queueKey, TxWork<T> work) {
        return run(work, false, queueKey);
    }

    /**
     * Runs the work, again from the start after a lost conflict or a lost connection, within the call's
     * budget of {@link PoolSettings#statementTimeoutMillis()} (30 s): no attempt starts after it, and a
     * statement that ran into the lock or statement timeout is not tried again, since it has waited that
     * long already. Nor is a call tried again once the database has been unreachable for more than
     * {@link StoreReadiness#REFUSE_AFTER_MILLIS} (5 s): new calls are refused then, and those in flight
     * stop waiting. Whatever fails, nothing of the failed attempts is committed.
     */
    @SuppressWarnings("try") // the in-flight entry is there for its close()
    private <T> T run(TxWork<T> work, boolean readCommitted, String queueKey) {
        long started = System.nanoTime();
        try (InFlight.Entry ignored = inFlight.enter()) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return attempt(work, readCommitted, queueKey);
                } catch (SQLException | RuntimeException e) {
                    boolean timedOut = SqlFailures.isTimeout(e);
                    long left = started + callBudgetNanos - System.nanoTime();
                    StoreOutage outage = source.outage();
                    boolean away = outage != null && outage.millis() > StoreReadiness.REFUSE_AFTER_MILLIS;
                    if (timedOut || away || !SqlFailures.isWorthRetrying(e) || attempt >= maxAttempts || left <= 0) {
                        if (timedOut || away || left <= 0) {
                            LOG.warn("transaction gave up after {} attempt(s) in {} ms: {}", attempt,
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), e.toString());
                        }
                        if (e instanceof SQLException sql) {
                            throw SqlFailures.wrap(sql);
                        }
                        throw (RuntimeException) e;
                    }
                    LOG.debug("transaction attempt {} lost a conflict or its connection; running it again: {}", attempt,
                            e.toString());
                    pause(attempt, ConnectFailures.isUnreachable(e), left);
                }
            }
        }
    }

    private <T> T attempt(TxWork<T> work, boolean readCommitted, String queueKey) throws SQLException {
        try (TransactionQueues.Place place = queueKey == null ? null : queues.enter(queueKey);
             Connection c = pool.getConnection()) {
            if (place != null) {
                place.lockSession(c);
            }
            try {
                if (readCommitted) {
                    // For this transaction only: the pool's connections stay SERIALIZABLE.
                    try (Statement s = c.createStatement()) {
                        s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
                    }
                }
                T result = work.run(new Tx(c, null, true, secrets));
                c.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                if (place != null && !place.unlockSession(c)) {
                    pool.evictConnection(c); // closing the session frees its lock
                }
            }
        }
    }

    /**
     * A random pause before the next attempt, growing with the attempts after a lost conflict; short after
     * a lost connection, since getting the next one from the pool waits for the database anyway.
     */
    private static void pause(int attempt, boolean connectionLost, long leftNanos) {
        long bound = connectionLost ? 50 : 10L << Math.min(attempt, 6);
        bound = Math.max(1, Math.min(bound, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a transaction", e, false);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        source.close();
        pool.close();
    }
}
