package io.wickrlocal.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log back into the database file from a thread and connection of its own.
 *
 * <p>Why: left to itself, SQLite checkpoints inside the commit that fills the log past a thousand
 * pages, so every so often one commit also writes and syncs the database file, and every request
 * queued behind it waits (measured: p99 of the 500 batches/s benchmark ten times its median). A
 * passive checkpoint here runs beside the writer instead and never blocks it. But under a steady
 * stream of commits a passive checkpoint never catches up with the end of the log, and SQLite starts
 * the log afresh only after one has: the log grew without bound (34 GB while filling a network of a
 * million users). So once the log holds {@code restartFrames} pages this asks the writer, between two
 * commits, to run a TRUNCATE checkpoint on its own connection: it copies what is left (little: the
 * passive ones did most) and empties the log file. The writer runs it, not this thread: a log started
 * afresh under another connection's open read made the writer's next write fail as SQLITE_BUSY.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    static final long INTERVAL_MILLIS = 250;
    /** 16 MiB of 4 KiB pages. */
    static final int RESTART_FRAMES = 4096;

    private final Connection connection;
    private final int restartFrames;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean truncateWanted;

    private WalCheckpointer(Connection connection, int restartFrames) {
        this.connection = connection;
        this.restartFrames = restartFrames;
        this.thread = new Thread(this::loop, "wickr-sqlite-checkpoint");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts checkpointing the database at the JDBC url, which the caller has already opened in WAL mode. */
    static WalCheckpointer start(String url, int restartFrames) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA synchronous=FULL");
        }
        return new WalCheckpointer(c, restartFrames);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
                try (Statement s = connection.createStatement();
                     ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                    if (rs.next() && rs.getInt(2) >= restartFrames) {
                        truncateWanted = true;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                // The writer's own commits stay durable without it; the log only grows until the next try.
                LOG.warn("could not checkpoint the write-ahead log: {}", e.getMessage());
            }
        }
    }

    /** Whether the writer should empty the log now; asking clears the request. */
    boolean takeTruncateRequest() {
        if (!truncateWanted) {
            return false;
        }
        truncateWanted = false;
        return true;
    }

    /** Run by the writer on its own connection, outside any transaction: copies the rest and empties the log. */
    static void truncateLog(Connection writer) throws SQLException {
        writer.setAutoCommit(true);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
            writer.setAutoCommit(false);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("could not close the checkpoint connection: {}", e.getMessage());
        }
    }
}
