package io.wickrlocal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the workers. Closed loop: each worker sends its next request as soon as the last one is answered.
 * Open loop: request {@code i} is due at {@code start + i / rate}; a free worker takes the next due request,
 * and its latency counts from when it was due, not from when it was sent, so a server that stalls is
 * charged for every request it held up (no coordinated omission).
 */
final class LoadRun {

    /**
     * An open-loop run that has fallen this far behind its schedule gives up on the rest; each request not
     * sent counts as an error, so a run never reports success it did not measure.
     */
    static final Duration OPEN_LOOP_GRACE = Duration.ofSeconds(30);
    static final String UNSENT = "unsent (fell behind the schedule)";
    static final String BATCH_ITEMS_FAILED = "200 some users failed";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run measured, merged over all workers. */
    record Result(long elapsedNanos, long sent, long unsent, Map<String, Long> errors, long usersToggled,
            long usersCreated, Map<Operation, LatencyRecorder> latencies, LatencyRecorder all) {

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final WickrClient client;
    private final WorkloadSetup.Workload workload;
    private final LoadPlan plan;
    private final TokenSource tokens;
    private final List<byte[]> toggleBodies = new ArrayList<>();
    private final AtomicLong nextTicket = new AtomicLong();
    /** Numbers the users that CREATE makes; with the run's tag they give usernames no other run uses. */
    private final AtomicLong nextNewUser = new AtomicLong();
    private final String runTag = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);

    LoadRun(WickrClient client, WorkloadSetup.Workload workload, LoadPlan plan, TokenSource tokens) {
        if (plan.mix().includes(Operation.TOGGLE) && plan.batchSize() > workload.userIds().size()) {
            throw new IllegalArgumentException("the batch size (" + plan.batchSize() + ") is larger than the "
                    + workload.userIds().size() + " users of network " + workload.networkId());
        }
        this.client = client;
        this.workload = workload;
        this.plan = plan;
        this.tokens = tokens;
        // Disjoint batches, serialized once: the workers only ever send these bytes.
        List<String> ids = workload.userIds();
        for (int start = 0; start + plan.batchSize() <= ids.size(); start += plan.batchSize()) {
            try {
                toggleBodies.add(JSON.writeValueAsBytes(Map.of("userIds", ids.subList(start, start + plan.batchSize()))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    Result run() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Worker[] workers = new Worker[plan.clients()];
        Thread[] threads = new Thread[plan.clients()];
        long[] start = new long[1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            Worker w = workers[i];
            threads[i] = new Thread(() -> {
                try {
                    go.await();
                    w.loop(start[0]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-worker-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        start[0] = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start[0];
        return merge(workers, elapsed);
    }

    private Result merge(Worker[] workers, long elapsed) {
        Map<Operation, LatencyRecorder> latencies = new EnumMap<>(Operation.class);
        LatencyRecorder all = new LatencyRecorder();
        Map<String, Long> errors = new TreeMap<>();
        long sent = 0;
        long unsent = 0;
        long users = 0;
        long created = 0;
        for (Worker w : workers) {
            w.latencies.forEach((op, rec) -> {
                latencies.computeIfAbsent(op, k -> new LatencyRecorder()).add(rec);
                all.add(rec);
            });
            w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            sent += w.sent;
            unsent += w.unsent;
            users += w.usersToggled;
            created += w.usersCreated;
        }
        if (unsent > 0) {
            errors.merge(UNSENT, unsent, Long::sum);
        }
        return new Result(elapsed, sent, unsent, errors, users, created, latencies, all);
    }

    /** One closed-loop client; the single-threaded owner of its own counters. */
    private final class Worker {
        private final Map<Operation, LatencyRecorder> latencies = new EnumMap<>(Operation.class);
        private final Map<String, Long> errors = new HashMap<>();
        private long sent;
        private long unsent;
        private long usersToggled;
        private long usersCreated;
        private int batch;
        private boolean suspendNext = true;

        /** Workers start on different batches so that they do not all queue on the same rows. */
        Worker(int index) {
            this.batch = toggleBodies.isEmpty() ? 0 : index % toggleBodies.size();
        }

        void loop(long start) throws InterruptedException {
            long maxTickets = plan.openLoop() ? plan.scheduledRequests()
                    : plan.requests() > 0 ? plan.requests() : Long.MAX_VALUE;
            boolean hasDeadline = plan.duration() != null;
            long deadline = hasDeadline ? start + plan.duration().toNanos() : 0;
            double nanosPerRequest = plan.openLoop() ? 1e9 / plan.rate() : 0;
            long giveUpAt = start + (long) (maxTickets * nanosPerRequest) + OPEN_LOOP_GRACE.toNanos();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (true) {
                long ticket = nextTicket.getAndIncrement();
                if (ticket >= maxTickets) {
                    return;
                }
                long due;
                if (plan.openLoop()) {
                    due = start + (long) (ticket * nanosPerRequest);
                    if (System.nanoTime() - giveUpAt > 0) {
                        // Keep claiming, so that every scheduled request is accounted for exactly once.
                        unsent++;
                        continue;
                    }
                    waitUntil(due);
                } else {
                    due = System.nanoTime();
                    if (hasDeadline && due - deadline >= 0) {
                        return;
                    }
                }
                execute(plan.mix().pick(random), due, random);
            }
        }

        private void execute(Operation op, long due, ThreadLocalRandom random) throws InterruptedException {
            String network = "/networks/" + workload.networkId();
            WickrClient.Reply reply;
            try {
                reply = switch (op) {
                    case TOGGLE -> client.send("PATCH", network + "/users/toggleSuspend?suspend=" + suspendNext,
                            toggleBodies.get(batch), tokens.next());
                    case GET_USER -> client.send("GET", network + "/users/"
                            + workload.userIds().get(random.nextInt(workload.userIds().size())), null, null);
                    case LIST_USERS -> client.send("GET", network + "/users?maxResults=10", null, null);
                    case COUNT -> client.send("GET", network + "/users/count", null, null);
                    case CREATE -> client.send("POST", network + "/users", newUsers(), tokens.next());
                };
            } catch (IOException e) {
                sent++;
                errors.merge("transport " + e.getClass().getSimpleName(), 1L, Long::sum);
                return;
            }
            latencies.computeIfAbsent(op, k -> new LatencyRecorder()).record(System.nanoTime() - due);
            sent++;
            if (!reply.ok()) {
                errors.merge(reply.status() + " " + (reply.errorType() == null ? "(no error type)" : reply.errorType()),
                        1L, Long::sum);
            } else if (op == Operation.TOGGLE) {
                afterToggle(reply);
            } else if (op == Operation.CREATE) {
                int failed = failedUsers(reply);
                usersCreated += plan.batchSize() - failed;
                if (failed > 0) {
                    errors.merge(BATCH_ITEMS_FAILED, 1L, Long::sum);
                }
            }
        }

        private byte[] newUsers() {
            long first = nextNewUser.getAndAdd(plan.batchSize());
            StringBuilder body = new StringBuilder(plan.batchSize() * 100).append("{\"users\":[");
            for (int i = 0; i < plan.batchSize(); i++) {
                long n = first + i;
                // Names repeat with different periods, so that a name filter matches a share of a big network.
                body.append(i == 0 ? "" : ",").append("{\"username\":\"load-").append(runTag).append('-').append(n)
                        .append("@example.com\",\"firstName\":\"First").append(n % 1000)
                        .append("\",\"lastName\":\"Last").append(n % 977)
                        .append("\",\"securityGroupIds\":[\"").append(workload.defaultGroupId()).append("\"]}");
            }
            return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Suspend a batch, unsuspend the same batch, move on: the users end up as they started. */
        private void afterToggle(WickrClient.Reply reply) {
            int failed = failedUsers(reply);
            usersToggled += plan.batchSize() - failed;
            if (failed > 0) {
                errors.merge(BATCH_ITEMS_FAILED, 1L, Long::sum);
            }
            if (!suspendNext) {
                batch = (batch + 1) % toggleBodies.size();
            }
            suspendNext = !suspendNext;
        }

        private int failedUsers(WickrClient.Reply reply) {
            // Nearly every answer has an empty list; finding it as bytes spares parsing 50 user ids.
            if (new String(reply.body(), StandardCharsets.UTF_8).contains("\"failed\":[]")) {
                return 0;
            }
            try {
                return JSON.readTree(reply.body()).path("failed").size();
            } catch (IOException e) {
                return plan.batchSize();
            }
        }

        private void waitUntil(long due) throws InterruptedException {
            long remaining;
            while ((remaining = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }
}
