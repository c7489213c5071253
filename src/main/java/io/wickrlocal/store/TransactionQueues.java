package io.wickrlocal.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the PostgreSQL transactions of one queue key one after another, on every node. Two locks make a
 * place in the queue: a fair lock of this process first, so that waiting callers hold no pooled connection
 * (a burst of queued calls must not starve the other operations), then a session-level advisory lock for the
 * other nodes. The advisory lock is taken in a transaction of its own, committed at once: a SERIALIZABLE
 * transaction fixes its snapshot at its first statement, and a lock taken inside it would come after a
 * snapshot that misses what the previous holder commits.
 */
final class TransactionQueues {
    private static final int STRIPES = 64;

    private final ReentrantLock[] local = new ReentrantLock[STRIPES];
    private final long waitMillis;

    TransactionQueues(long waitMillis) {
        this.waitMillis = waitMillis;
        for (int i = 0; i < STRIPES; i++) {
            local[i] = new ReentrantLock(true);
        }
    }

    /** Waits for this process's turn; a caller that waits too long gets a retryable failure. */
    Place enter(String queueKey) {
        long key = hash(queueKey);
        ReentrantLock lock = local[(int) Long.remainderUnsigned(key, STRIPES)];
        try {
            if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new StoreException("waited " + waitMillis + " ms for a queued transaction", null, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a queued transaction", e, false);
        }
        return new Place(key, lock);
    }

    private static long hash(String queueKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(queueKey.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                key = key << 8 | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** A place at the head of this process's queue; {@link #close} gives it up. */
    static final class Place implements AutoCloseable {
        private final long key;
        private final ReentrantLock lock;

        private Place(long key, ReentrantLock lock) {
            this.key = key;
            this.lock = lock;
        }

        /** Waits for the other nodes (bounded by the session's lock_timeout); leaves no transaction open. */
        void lockSession(Connection c) throws SQLException {
            call(c, "SELECT pg_advisory_lock(?)");
        }

        /** Frees the session's lock after the work's transaction ended; false when the session must be closed. */
        boolean unlockSession(Connection c) {
            try {
                c.rollback(); // a no-op after a commit; ends a failed attempt so the unlock can run
                call(c, "SELECT pg_advisory_unlock(?)");
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        private void call(Connection c, String sql) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, key);
                ps.execute();
            }
            c.commit();
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }
}
