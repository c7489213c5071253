package io.wickrlocal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared store for several Wickr Local nodes: PostgreSQL through a bounded HikariCP pool.
 * Every transaction runs SERIALIZABLE, so concurrent batches from different nodes behave as if
 * they ran one after the other. A transaction that loses a conflict (serialization failure,
 * deadlock, a unique key taken by a concurrent insert) or its connection is run again from the
 * start, a bounded number of times; the service's work is safe to repeat because nothing of a
 * failed attempt was committed.
 */
public final class PostgresDatabase implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

    private final HikariDataSource pool;
    private final String description;
    private final int maxAttempts;
    private final TransactionQueues queues;
    private final SecretCipher secrets;

    private PostgresDatabase(HikariDataSource pool, String description, PoolSettings settings, SecretCipher secrets) {
        this.pool = pool;
        this.secrets = secrets;
        this.description = description;
        this.maxAttempts = settings.maxAttempts();
        this.queues = new TransactionQueues(settings.statementTimeoutMillis());
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @param key the key of the stored client secrets: every node of one database needs the same one (the
     *            database keeps a check value of the key it was first used with, and refuses any other)
     * @throws SecretsKeyException when the key is missing, malformed, or not the database's
     */
    public static PostgresDatabase open(DatabaseUrl url, PoolSettings settings, SecretsKey key) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("wickr-pg");
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(Math.min(2, settings.maxConnections()));
        config.setConnectionTimeout(settings.connectionTimeoutMillis());
        config.setValidationTimeout(Math.min(5_000, settings.connectionTimeoutMillis()));
        config.setAutoCommit(false);
        // Keeps row values (usernames in a unique-key conflict, say) out of exception messages and logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // One multi-row INSERT for a JDBC batch of inserts instead of one statement a row.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeoutMillis()
                + "; SET lock_timeout = " + settings.statementTimeoutMillis()
                + "; SET idle_in_transaction_session_timeout = " + settings.statementTimeoutMillis());
        // Commits the SETs above; left in the open transaction, the first rollback undid them (no timeouts at all).
        config.setIsolateInternalQueries(true);
        config.setInitializationFailTimeout(settings.connectionTimeoutMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + url.describe() + ": " + rootMessage(e), e, false);
        }
        SecretCipher secrets;
        try (Connection c = pool.getConnection()) {
            secrets = Migrations.apply(c, key);
            c.commit();
        } catch (SecretsKeyException e) {
            pool.close();
            throw e;
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new StoreException("cannot prepare the schema in " + url.describe() + ": " + rootMessage(e), e, false);
        }
        return new PostgresDatabase(pool, "postgresql at " + url.describe(), settings, secrets);
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

    private <T> T run(TxWork<T> work, boolean readCommitted, String queueKey) {
        for (int attempt = 1; ; attempt++) {
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
            } catch (SQLException | RuntimeException e) {
                if (!SqlFailures.isWorthRetrying(e) || attempt >= maxAttempts) {
                    if (e instanceof SQLException sql) {
                        throw SqlFailures.wrap(sql);
                    }
                    throw (RuntimeException) e;
                }
                LOG.debug("transaction attempt {} lost a conflict or its connection; running it again: {}", attempt,
                        e.toString());
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L << Math.min(attempt, 6)));
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
        pool.close();
    }
}
