package io.wickrlocal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/** The figures of one run, as text for people and as one JSON line for scripts. */
final class LoadReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] PERCENTILES = {50, 90, 99};

    private final String endpoint;
    private final WorkloadSetup.Workload workload;
    private final LoadPlan plan;
    private final LoadRun.Result result;
    private final Cpu cpu;

    /** Processor time spent during the measured run by this client and by the server (-1: not known). */
    record Cpu(long clientNanos, long serverNanos) {
        static final Cpu UNKNOWN = new Cpu(-1, -1);
    }

    LoadReport(String endpoint, WorkloadSetup.Workload workload, LoadPlan plan, LoadRun.Result result) {
        this(endpoint, workload, plan, result, Cpu.UNKNOWN);
    }

    LoadReport(String endpoint, WorkloadSetup.Workload workload, LoadPlan plan, LoadRun.Result result, Cpu cpu) {
        this.endpoint = endpoint;
        this.workload = workload;
        this.plan = plan;
        this.result = result;
        this.cpu = cpu;
    }

    /** Milliseconds of processor time per answered request, or -1 when not known. */
    private double cpuMillisPerRequest(long nanos) {
        long answered = result.all().count();
        return nanos < 0 || answered == 0 ? -1 : nanos / 1e6 / answered;
    }

    /** Errors over every request the plan called for; a run that measured nothing counts as all errors. */
    double errorRatio() {
        long attempted = result.sent() + result.unsent();
        return attempted == 0 ? 1.0 : (double) result.errorCount() / attempted;
    }

    double seconds() {
        return result.elapsedNanos() / 1e9;
    }

    /** Answered requests only: a refused connection fails in microseconds and would inflate the figure. */
    double requestsPerSecond() {
        return seconds() == 0 ? 0 : result.all().count() / seconds();
    }

    double usersPerSecond() {
        return seconds() == 0 ? 0 : result.usersToggled() / seconds();
    }

    double usersCreatedPerSecond() {
        return seconds() == 0 ? 0 : result.usersCreated() / seconds();
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "Load on %s, network %s with %d users%n", endpoint, workload.networkId(),
                workload.userIds().size());
        out.printf(Locale.ROOT, "%d clients, %s, mix %s, batch size %d, ran %.2f s%n", plan.clients(),
                plan.openLoop() ? String.format(Locale.ROOT,
                        "open loop at %.1f requests/s (latency from the scheduled send time)", plan.rate())
                        : "closed loop", plan.mix(), plan.batchSize(), seconds());
        out.printf(Locale.ROOT, "requests   %d (errors %d = %.3f %%%s)%n", result.sent(), result.errorCount(),
                100 * errorRatio(), result.unsent() == 0 ? "" : ", " + result.unsent() + " never sent");
        out.printf(Locale.ROOT, "throughput %.1f answered requests/s%s%s%n", requestsPerSecond(),
                result.latencies().containsKey(Operation.TOGGLE)
                        ? String.format(Locale.ROOT, ", %.1f users/s suspended or unsuspended", usersPerSecond())
                        : "",
                result.latencies().containsKey(Operation.CREATE)
                        ? String.format(Locale.ROOT, ", %.1f users/s created (%d users)", usersCreatedPerSecond(),
                                result.usersCreated())
                        : "");
        out.printf(Locale.ROOT, "%-14s %10s %10s %10s %10s %10s%n", "latency (ms)", "count", "p50", "p90", "p99",
                "max");
        result.latencies().forEach((op, rec) -> printRow(out, op.cliName(), rec));
        printRow(out, "all", result.all());
        if (cpu.clientNanos() >= 0) {
            out.printf(Locale.ROOT, "cpu per request: load generator %.3f ms%s (%d cores here)%n",
                    cpuMillisPerRequest(cpu.clientNanos()), cpu.serverNanos() < 0 ? ""
                            : String.format(Locale.ROOT, ", server %.3f ms", cpuMillisPerRequest(cpu.serverNanos())),
                    Runtime.getRuntime().availableProcessors());
        }
        if (!result.errors().isEmpty()) {
            out.println("errors");
            result.errors().forEach((type, n) -> out.printf(Locale.ROOT, "  %-40s %d%n", type, n));
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, String name, LatencyRecorder rec) {
        out.printf(Locale.ROOT, "%-14s %10d %10.3f %10.3f %10.3f %10.3f%n", name, rec.count(),
                millis(rec.percentile(50)), millis(rec.percentile(90)), millis(rec.percentile(99)),
                millis(rec.max()));
    }

    String jsonLine() {
        ObjectNode out = JSON.createObjectNode();
        out.put("endpoint", endpoint);
        out.put("networkId", workload.networkId());
        out.put("users", workload.userIds().size());
        out.put("clients", plan.clients());
        out.put("mode", plan.openLoop() ? "open" : "closed");
        if (plan.openLoop()) {
            out.put("targetRate", plan.rate());
        }
        out.put("mix", plan.mix().toString());
        out.put("batchSize", plan.batchSize());
        out.put("seconds", round(seconds()));
        out.put("requests", result.sent());
        out.put("answered", result.all().count());
        out.put("unsent", result.unsent());
        out.put("errors", result.errorCount());
        out.put("errorRatio", errorRatio());
        ObjectNode errors = out.putObject("errorsByType");
        result.errors().forEach(errors::put);
        out.put("requestsPerSecond", round(requestsPerSecond()));
        out.put("usersPerSecond", round(usersPerSecond()));
        out.put("usersCreated", result.usersCreated());
        out.put("usersCreatedPerSecond", round(usersCreatedPerSecond()));
        out.put("clientCpuMsPerRequest", round(cpuMillisPerRequest(cpu.clientNanos())));
        out.put("serverCpuMsPerRequest", round(cpuMillisPerRequest(cpu.serverNanos())));
        ObjectNode latency = out.putObject("latencyMs");
        for (Map.Entry<Operation, LatencyRecorder> e : result.latencies().entrySet()) {
            latency.set(e.getKey().cliName(), latencyJson(e.getValue()));
        }
        latency.set("all", latencyJson(result.all()));
        try {
            return JSON.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode latencyJson(LatencyRecorder rec) {
        ObjectNode node = JSON.createObjectNode();
        node.put("count", rec.count());
        for (double p : PERCENTILES) {
            node.put("p" + (int) p, round(millis(rec.percentile(p))));
        }
        node.put("max", round(millis(rec.max())));
        node.put("mean", round(rec.mean() / 1e6));
        return node;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
