package io.wickrlocal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs every transaction of one SQLite connection on one thread, and commits the transactions that
 * queued up meanwhile together: one commit, so one fsync, for the whole group.
 *
 * <p>Why: SQLite has one writer, and with synchronous=FULL each commit waits for the disk. Taking
 * turns on a lock paid one fsync and one thread hand-off per request; under load the requests that
 * wait are exactly the ones a single commit can cover. Each transaction of a group still runs inside
 * its own savepoint, one after the other, so it sees the ones before it and fails alone: a failed one
 * is rolled back to its savepoint and the rest of the group commits. No caller hears of success before
 * the group's commit returned, so every acknowledged write is on disk.
 */
final class GroupCommitter implements AutoCloseable {
    /** Bounds the wait of the first transaction of a group behind the others. */
    static final int MAX_GROUP = 64;

    private final Connection connection;
    private final StatementCache statements;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Runnable betweenGroups;
    private final SecretCipher secrets;
    private volatile boolean closed;

    /** @param betweenGroups run by the writer after each group, outside any transaction (housekeeping) */
    GroupCommitter(Connection connection, StatementCache statements, SecretCipher secrets, String threadName,
                   Runnable betweenGroups) {
        this.connection = connection;
        this.statements = statements;
        this.secrets = secrets;
        this.betweenGroups = betweenGroups;
        this.writer = new Thread(this::loop, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    <T> T run(TxWork<T> work) {
        if (Thread.currentThread() == writer) {
            throw new IllegalStateException("a transaction cannot be started inside another one");
        }
        Job<T> job = new Job<>(work);
        queue.add(job);
        if (closed && queue.remove(job)) {
            throw new StoreException("the store is closed", null, false);
        }
        return job.await();
    }

    private void loop() {
        List<Job<?>> group = new ArrayList<>(MAX_GROUP);
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            boolean stop = group.removeIf(job -> job == Job.STOP);
            if (!group.isEmpty()) {
                runGroup(group);
                betweenGroups.run();
            }
            group.clear();
            if (stop) {
                break;
            }
        }
        StoreException closedError = new StoreException("the store is closed", null, false);
        Job<?> left;
        while ((left = queue.poll()) != null) {
            left.fail(closedError);
        }
    }

    private void runGroup(List<Job<?>> group) {
        Tx tx = new Tx(connection, statements, false, secrets);
        if (group.size() == 1) {
            runAlone(group.get(0), tx);
            return;
        }
        List<Job<?>> done = new ArrayList<>(group.size());
        for (Job<?> job : group) {
            try {
                execute("SAVEPOINT work");
                job.runIn(tx);
                execute("RELEASE work");
                done.add(job);
            } catch (RuntimeException | SQLException e) {
                if (!rolledBackToSavepoint()) {
                    abort(group, e);
                    return;
                }
                job.fail(e instanceof SQLException sql ? SqlFailures.wrap(sql) : (RuntimeException) e);
            } catch (Error e) {
                abort(group, e);
                return;
            }
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            abort(done, SqlFailures.wrap(e));
            return;
        }
        done.forEach(Job::succeed);
    }

    private void runAlone(Job<?> job, Tx tx) {
        try {
            job.runIn(tx);
            connection.commit();
            job.succeed();
        } catch (RuntimeException | Error e) {
            rollbackQuietly(e);
            job.fail(e);
        } catch (SQLException e) {
            rollbackQuietly(e);
            job.fail(SqlFailures.wrap(e));
        }
    }

    /** Rolls the whole transaction back: every job of the group not yet answered fails with the cause. */
    private void abort(List<Job<?>> jobs, Throwable cause) {
        rollbackQuietly(cause);
        for (Job<?> job : jobs) {
            if (!job.answered()) {
                job.fail(cause);
            }
        }
    }

    private boolean rolledBackToSavepoint() {
        try {
            execute("ROLLBACK TO work");
            execute("RELEASE work");
            return true;
        } catch (SQLException e) {
            return false; // SQLite already rolled the whole transaction back (e.g. a full disk)
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private void rollbackQuietly(Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Stops taking transactions, finishes the queued ones, and waits for the writer thread to end. */
    @Override
    public void close() {
        closed = true;
        queue.add(Job.STOP);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One caller's transaction and, once its group is over, its answer. */
    private static final class Job<T> {
        static final Job<Void> STOP = new Job<>(tx -> null);

        private final TxWork<T> work;
        private final CountDownLatch answered = new CountDownLatch(1);
        private T result;
        private Throwable failure;

        Job(TxWork<T> work) {
            this.work = work;
        }

        void runIn(Tx tx) {
            result = work.run(tx);
        }

        void succeed() {
            answered.countDown();
        }

        void fail(Throwable cause) {
            result = null;
            failure = cause;
            answered.countDown();
        }

        boolean answered() {
            return answered.getCount() == 0;
        }

        /** Waits without giving up on interruption: the work may be running, and its outcome must be told. */
        T await() {
            boolean interrupted = false;
            while (true) {
                try {
                    answered.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new StoreException("transaction failed: " + failure, failure, false);
            }
            return result;
        }
    }
}
