package io.wickrlocal.bench;

import io.wickrlocal.store.AuditEventRecord;
import io.wickrlocal.store.AuditStore;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.IdempotencyStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.NetworkStore;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SecretsKey;
import io.wickrlocal.store.SessionStore;
import io.wickrlocal.store.SqliteDatabase;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The suspension transactions of BatchToggleUserSuspendStatus run by the store alone, in process:
 * no HTTP, no JSON, no signature. It is the ceiling the server is measured against: the same reads
 * and writes per batch (look up the users, set the flag, end sessions, record the client token and
 * the audit trail's event per user) in one transaction each, from concurrent workers, on the same
 * kind of store.
 */
@Command(name = "store-benchmark", mixinStandardHelpOptions = true,
        description = "Runs suspension batches against the store alone and prints users suspended per second.")
public final class StoreBenchmark implements Runnable {

    @Option(names = "--database", description = "PostgreSQL URL; default: a SQLite file in a temporary folder")
    String database;

    @Option(names = "--users", description = "users in the network (default: ${DEFAULT-VALUE})")
    int users = 10_000;

    @Option(names = "--batch-size", description = "users per batch (default: ${DEFAULT-VALUE})")
    int batchSize = 50;

    @Option(names = "--workers", description = "concurrent workers (default: ${DEFAULT-VALUE})")
    int workers = 64;

    @Option(names = "--duration", description = "seconds to run, at most 600 (default: ${DEFAULT-VALUE})")
    int duration = 10;

    @Option(names = "--warm-up", description = "seconds of the same load first, not measured, at most 120"
            + " (default: ${DEFAULT-VALUE})")
    int warmUp = 0;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StoreBenchmark()).execute(args));
    }

    @Override
    public void run() {
        if (duration < 1 || duration > 600) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--duration must be 1 to 600 seconds");
        }
        if (warmUp < 0 || warmUp > 120) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--warm-up must be 0 to 120 seconds");
        }
        try (Database db = open()) {
            // Fresh ids each run, so that a run on a PostgreSQL database that earlier runs used does not collide.
            String networkId = Long.toString(ThreadLocalRandom.current().nextLong(10_000_000, 100_000_000));
            List<Long> ids = seed(db, networkId);
            if (warmUp > 0) {
                load(db, networkId, ids, warmUp);
            }
            long cpuBefore = CpuTime.ownNanos();
            long start = System.nanoTime();
            long batches = load(db, networkId, ids, duration);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuPerBatch = (CpuTime.ownNanos() - cpuBefore) / 1e6 / Math.max(1, batches);
            System.out.printf("store alone (%s): %d batches of %d users in %.1f s with %d workers: %.0f batches/s, %.0f users/s%s%n",
                    db.describe(), batches, batchSize, seconds, workers, batches / seconds, batches * batchSize / seconds,
                    warmUp > 0 ? " (after " + warmUp + " s of warm-up)" : "");
            System.out.printf("cpu per batch: %.3f ms (%d cores here)%n", cpuPerBatch,
                    Runtime.getRuntime().availableProcessors());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the workers for the given seconds; returns the batches they committed. */
    private long load(Database db, String networkId, List<Long> ids, int seconds) throws InterruptedException {
        AtomicLong batches = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            List<Long> mine = slice(ids, w);
            Thread t = new Thread(() -> {
                boolean suspend = true;
                while (System.nanoTime() < deadline) {
                    toggle(db, networkId, mine, suspend);
                    suspend = !suspend;
                    batches.incrementAndGet();
                }
                done.countDown();
            }, "store-bench-" + w);
            t.start();
        }
        done.await();
        return batches.get();
    }

    private Database open() {
        if (database != null) {
            // The server's default key file, so that this and a server run from the same folder share a database.
            return PostgresDatabase.open(DatabaseUrl.parse(database), PoolSettings.defaults().withMaxConnections(16),
                    SecretsKey.inFolder(Path.of("wickr-local-data")));
        }
        try {
            return SqliteDatabase.open(Files.createTempDirectory("wickr-store-bench"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each worker toggles its own users, as the server benchmark's clients do. */
    private List<Long> slice(List<Long> ids, int worker) {
        List<Long> out = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            out.add(ids.get((worker * batchSize + i) % ids.size()));
        }
        return out;
    }

    private static void toggle(Database db, String networkId, List<Long> userIds, boolean suspend) {
        String token = UUID.randomUUID().toString();
        db.transactionWithRowLocks(tx -> {
            long now = System.currentTimeMillis() / 1000;
            IdempotencyStore.claim(tx, "000000000000", "us-east-1", "BatchToggleUserSuspendStatus", token,
                    "fingerprint", now, 24 * 3600);
            Map<Long, Boolean> found = UserStore.suspensionStates(tx, networkId, userIds);
            List<Long> changed = new ArrayList<>();
            found.forEach((id, suspended) -> {
                if (suspended != suspend) {
                    changed.add(id);
                }
            });
            UserStore.setSuspended(tx, networkId, changed, suspend, now);
            if (suspend) {
                SessionStore.endAll(tx, networkId, found.keySet(), "suspended", now);
            }
            IdempotencyStore.complete(tx, "000000000000", "us-east-1", "BatchToggleUserSuspendStatus", token,
                    "{\"message\":\"done\"}");
            // The audit trail's event per user, as the server writes it in the same transaction.
            List<AuditEventRecord> events = new ArrayList<>(userIds.size());
            long millis = System.currentTimeMillis();
            String call = Long.toHexString(ThreadLocalRandom.current().nextLong());
            int position = 0;
            for (Long id : userIds) {
                Boolean before = found.get(id);
                events.add(new AuditEventRecord("000000000000", "us-east-1", millis, call + "-" + position++,
                        "BatchToggleUserSuspendStatus", "test", token, "Success", networkId, id,
                        "{\"clientToken\":\"" + token + "\",\"changed\":" + (before != null && before != suspend)
                                + ",\"oldState\":{\"suspended\":" + before + "},\"newState\":{\"suspended\":"
                                + suspend + "}}"));
            }
            AuditStore.insert(tx, events);
            return null;
        });
    }

    private List<Long> seed(Database db, String networkId) {
        long now = System.currentTimeMillis() / 1000;
        db.transaction(tx -> {
            NetworkStore.insert(tx, new NetworkRecord(networkId, "000000000000", "us-east-1", "bench", "STANDARD",
                    null, null, now));
            GroupStore.insert(tx, new GroupRecord(networkId, "benchgroup", "Default", true, "{}", now, 0, 0));
            return null;
        });
        List<Long> ids = new ArrayList<>(users);
        long firstUserId = ThreadLocalRandom.current().nextLong(1_000, 900_000) * 10_000_000L;
        for (int start = 0; start < users; start += 1000) {
            int from = start;
            db.transaction(tx -> {
                for (int i = from; i < Math.min(users, from + 1000); i++) {
                    long id = firstUserId + i;
                    String name = "bench" + i + "@example.com";
                    UserStore.insert(tx, new UserRecord(id, networkId, name, Integer.toHexString(name.hashCode()) + i, "",
                            "", UserRecord.ACTIVE, false, false, List.of("benchgroup"), null, null, false, null, now, now));
                    ids.add(id);
                }
                return null;
            });
        }
        return ids;
    }
}
