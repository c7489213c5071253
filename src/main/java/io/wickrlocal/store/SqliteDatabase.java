package io.wickrlocal.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded store: one SQLite connection in WAL mode, used by one transaction at a time.
 * SQLite runs one writer at a time anyway; serializing here avoids SQLITE_BUSY retries and lets
 * the in-memory database live on its single connection. synchronous=FULL makes every commit
 * durable before the client sees the answer; transactions that wait meanwhile share the next
 * commit ({@link GroupCommitter}).
 */
public final class SqliteDatabase implements Database {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteDatabase.class);
    public static final String FILE_NAME = "wickr-local.db";

    private final Connection connection;
    private final StatementCache statements = new StatementCache();
    private final GroupCommitter committer;
    private final WalCheckpointer checkpointer;
    private final String description;

    private SqliteDatabase(Connection connection, WalCheckpointer checkpointer, String description) {
        this.connection = connection;
        this.checkpointer = checkpointer;
        this.description = description;
        this.committer = new GroupCommitter(connection, statements, "wickr-sqlite", this::truncateLogIfAsked);
    }

    /** A database in the given folder, created when absent. */
    public static SqliteDatabase open(Path dataDir) {
        return open(dataDir, WalCheckpointer.RESTART_FRAMES);
    }

    /** @param restartFrames log size, in pages, at which the checkpointer starts the log afresh (tests) */
    static SqliteDatabase open(Path dataDir, int restartFrames) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        return connect("jdbc:sqlite:" + file, true, "sqlite at " + file, restartFrames);
    }

    /** A database that lives in memory only and is gone when closed. */
    public static SqliteDatabase inMemory() {
        return connect("jdbc:sqlite::memory:", false, "sqlite in memory", 0);
    }

    private static SqliteDatabase connect(String url, boolean onDisk, String description, int restartFrames) {
        try {
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                if (onDisk) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=FULL");
                    s.execute("PRAGMA wal_autocheckpoint=0"); // WalCheckpointer does it, off the commit path
                }
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            Migrations.apply(c);
            c.setAutoCommit(false);
            return new SqliteDatabase(c, onDisk ? WalCheckpointer.start(url, restartFrames) : null, description);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + description + ": " + e.getMessage(), e, false);
        }
    }

    private void truncateLogIfAsked() {
        if (checkpointer != null && checkpointer.takeTruncateRequest()) {
            try {
                WalCheckpointer.truncateLog(connection);
            } catch (SQLException e) {
                LOG.warn("could not empty the write-ahead log: {}", e.getMessage());
            }
        }
    }

    @Override
    public <T> T transaction(TxWork<T> work) {
        return committer.run(work);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        committer.close();
        if (checkpointer != null) {
            checkpointer.close();
        }
        try {
            statements.close();
            if (!connection.isClosed()) {
                connection.close();
            }
        } catch (SQLException e) {
            throw SqlFailures.wrap(e);
        }
    }
}
