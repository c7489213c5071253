package io.wickrlocal.store;

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
    /** The files SQLite keeps beside the database, named by their suffix, and the database itself (""). */
    static final java.util.List<String> COMPANION_FILES = java.util.List.of("", "-wal", "-shm", "-journal");

    private final Connection connection;
    private final StatementCache statements = new StatementCache();
    private final GroupCommitter committer;
    private final WalCheckpointer checkpointer;
    private final String description;
    private final InFlight inFlight = new InFlight();
    private DataFolderLock folderLock;

    private SqliteDatabase(Connection connection, SecretCipher secrets, WalCheckpointer checkpointer,
                           String description) {
        this.connection = connection;
        this.checkpointer = checkpointer;
        this.description = description;
        this.committer = new GroupCommitter(connection, statements, secrets, "wickr-sqlite", this::truncateLogIfAsked);
    }

    /**
     * A database in the given folder, created when absent, whose secrets are encrypted with the key file
     * in that folder ({@code secrets.key}, created with the database).
     */
    public static SqliteDatabase open(Path dataDir) {
        return open(dataDir, SecretsKey.inFolder(dataDir));
    }

    /** A database in the given folder, created when absent, whose secrets are encrypted with this key. */
    public static SqliteDatabase open(Path dataDir, SecretsKey key) {
        return open(dataDir, key, WalCheckpointer.RESTART_FRAMES);
    }

    /** @param restartFrames log size, in pages, at which the checkpointer starts the log afresh (tests) */
    static SqliteDatabase open(Path dataDir, int restartFrames) {
        return open(dataDir, SecretsKey.inFolder(dataDir), restartFrames);
    }

    /**
     * The folder, when Wickr Local creates it, is 0700; the database file is created 0600 before SQLite
     * opens it, and SQLite's unix file layer gives the write-ahead log and shared-memory files it makes
     * beside it the database file's permissions, so those are 0600 too. Files left readable by others by
     * an earlier version (which created them 0644) are narrowed to the owner here, once, with a log line.
     */
    static SqliteDatabase open(Path dataDir, SecretsKey key, int restartFrames) {
        PrivateFiles.createFolder(dataDir);
        DataFolderLock lock = DataFolderLock.acquire(dataDir);
        try {
            SqliteDatabase db = openLocked(dataDir, key, restartFrames);
            db.folderLock = lock;
            return db;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static SqliteDatabase openLocked(Path dataDir, SecretsKey key, int restartFrames) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            PrivateFiles.createEmpty(file); // SQLite takes an empty file for a new database
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file, e);
        }
        for (String suffix : COMPANION_FILES) {
            PrivateFiles.narrow(Path.of(file + suffix));
        }
        return connect("jdbc:sqlite:" + file, key, true, "sqlite at " + file, restartFrames);
    }

    /** A database that lives in memory only and is gone when closed; its secrets key is random. */
    public static SqliteDatabase inMemory() {
        return inMemory(SecretsKey.random());
    }

    /** A database that lives in memory only, whose secrets are encrypted with this key. */
    public static SqliteDatabase inMemory(SecretsKey key) {
        return connect("jdbc:sqlite::memory:", key, false, "sqlite in memory", 0);
    }

    private static SqliteDatabase connect(String url, SecretsKey key, boolean onDisk, String description,
                                          int restartFrames) {
        Connection c = null;
        try {
            c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                if (onDisk) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=FULL");
                    s.execute("PRAGMA wal_autocheckpoint=0"); // WalCheckpointer does it, off the commit path
                }
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
            SecretCipher secrets = Migrations.apply(c, key);
            c.setAutoCommit(false);
            return new SqliteDatabase(c, secrets, onDisk ? WalCheckpointer.start(url, restartFrames) : null,
                    description);
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException("cannot open " + description + ": " + e.getMessage(), e, false);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the open failed already; that failure is the one to report
            }
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
    @SuppressWarnings("try") // the entry is there for its close(): the transaction is no longer in flight
    public <T> T transaction(TxWork<T> work) {
        try (InFlight.Entry ignored = inFlight.enter()) {
            return committer.run(work);
        }
    }

    @Override
    public long longestTransactionMillis() {
        return inFlight.longestMillis();
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
        } finally {
            if (folderLock != null) {
                folderLock.close(); // after the connection: the next holder finds the files at rest
            }
        }
    }
}
