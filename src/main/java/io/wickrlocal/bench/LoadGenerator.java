package io.wickrlocal.bench;

import io.wickrlocal.protocol.sigv4.SigV4Signer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Puts signed load on a Wickr Local server on this machine and reports throughput and latency. */
@Command(name = "wickr-local-load", mixinStandardHelpOptions = true, version = "Wickr Local load generator 0.1.0",
        description = "Creates a network and users (or reuses them), then sends SigV4-signed Wickr Admin API calls"
                + " from concurrent clients and reports requests/s, users/s and latency percentiles."
                + " Only sends to loopback addresses.",
        footer = {"", "Exit status: 0 done, 1 setup failed or the error ratio exceeded --max-error-ratio,"
                + " 2 invalid arguments (including an endpoint that is not on this machine)."},
        sortOptions = false)
public final class LoadGenerator implements Callable<Integer> {

    static final int MAX_DURATION_SECONDS = 600;
    static final int MAX_WARM_UP_SECONDS = 120;
    static final long MAX_REQUESTS = 10_000_000;
    static final int MAX_USERS = 100_000;
    static final int MAX_CLIENTS = 1024;
    static final double MAX_RATE = 100_000;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Server to load; must be on this machine (default: ${DEFAULT-VALUE}).")
    String endpoint = "http://127.0.0.1:8484";

    @Option(names = "--access-key", paramLabel = "ID", description = "Access key id (default: ${DEFAULT-VALUE}).")
    String accessKey = "test";

    @Option(names = "--secret-key", paramLabel = "SECRET", description = "Secret access key (default: ${DEFAULT-VALUE}).")
    String secretKey = "test";

    @Option(names = "--region", paramLabel = "REGION", description = "Region to sign for (default: ${DEFAULT-VALUE}).")
    String region = "us-east-1";

    @Option(names = "--users", paramLabel = "N",
            description = "Users to create (with --network-id: the most existing users to use) (default: ${DEFAULT-VALUE}).")
    int users = 1000;

    @Option(names = "--network-id", paramLabel = "ID",
            description = "Reuse this network and its users instead of creating them.")
    String networkId;

    @Option(names = "--clients", paramLabel = "N",
            description = "Concurrent clients, each with one request in flight (default: ${DEFAULT-VALUE}).")
    int clients = 16;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Run this long, at most " + MAX_DURATION_SECONDS + " (default: 10 unless --requests is given).")
    Integer durationSeconds;

    @Option(names = "--requests", paramLabel = "COUNT",
            description = "Send this many requests, at most " + MAX_REQUESTS + ", instead of running for a duration.")
    Long requests;

    @Option(names = "--rate", paramLabel = "R",
            description = "Open loop: R requests/s on a fixed schedule, latency counted from each scheduled time."
                    + " Without it, each client sends its next request as soon as the last one is answered.")
    Double rate;

    @Option(names = "--mix", paramLabel = "SPEC",
            description = "Operation weights, from toggle, get-user, list-users, count, create (default: ${DEFAULT-VALUE}).")
    String mix = "toggle=8,get-user=1,list-users=1";

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Users per BatchToggleUserSuspendStatus or BatchCreateUser call, 1-50 (default: ${DEFAULT-VALUE}).")
    int batchSize = 50;

    @Option(names = "--warm-up", paramLabel = "SECONDS",
            description = "First run the same calls, closed loop, this long without measuring them, so that the"
                    + " server's code is compiled before it is timed; at most " + MAX_WARM_UP_SECONDS
                    + " (default: ${DEFAULT-VALUE}).")
    int warmUpSeconds = 0;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's process id on this machine: the report then says how much processor time"
                    + " the server spent per request (Linux).")
    Long serverPid;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report to FILE as one JSON line.")
    Path json;

    @Option(names = "--max-error-ratio", paramLabel = "RATIO",
            description = "Exit with status 1 when more than this share of requests fail (default: ${DEFAULT-VALUE}).")
    double maxErrorRatio = 0.01;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        URI target = checkedEndpoint();
        LoadPlan plan = checkedPlan();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        SigV4Signer signer = new SigV4Signer(accessKey, secretKey, region, "wickr", Clock.systemUTC());
        HttpClient http = WickrClient.newHttpClient();
        WickrClient client = new WickrClient(http, target, signer);
        TokenSource tokens = new TokenSource();

        long setupStart = System.nanoTime();
        WorkloadSetup.Workload workload;
        try {
            WorkloadSetup setup = new WorkloadSetup(client, tokens);
            if (networkId == null) {
                workload = setup.createNetwork("bench-" + Instant.now().getEpochSecond() % 10_000_000_000L, users);
            } else if (plan.mix().onlyCreates()) {
                workload = setup.networkToFill(networkId);
            } else {
                workload = setup.existingNetwork(networkId, users);
            }
        } catch (WorkloadSetup.SetupException | IOException e) {
            err.println("Setup failed: " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "Setup: network %s, %d users (%s, %.1f s)%n", workload.networkId(), workload.userIds().size(),
                networkId == null ? "created" : "existing", (System.nanoTime() - setupStart) / 1e9);
        out.flush();
        if (plan.mix().includes(Operation.TOGGLE) && plan.batchSize() > workload.userIds().size()) {
            err.println("--batch-size " + plan.batchSize() + " is more than the " + workload.userIds().size()
                    + " users of network " + workload.networkId());
            return 2;
        }

        if (warmUpSeconds > 0) {
            LoadRun.Result warm = new LoadRun(client, workload, plan.warmUp(Duration.ofSeconds(warmUpSeconds)), tokens).run();
            out.printf(Locale.ROOT, "Warm-up: %d requests in %d s, not counted%n", warm.sent(), warmUpSeconds);
            out.flush();
        }
        long clientCpuBefore = CpuTime.ownNanos();
        OptionalLong serverCpuBefore = serverPid == null ? OptionalLong.empty() : CpuTime.ofProcess(serverPid);
        LoadRun.Result result = new LoadRun(client, workload, plan, tokens).run();
        OptionalLong serverCpuAfter = serverPid == null ? OptionalLong.empty() : CpuTime.ofProcess(serverPid);
        LoadReport.Cpu cpu = new LoadReport.Cpu(CpuTime.ownNanos() - clientCpuBefore,
                serverCpuBefore.isPresent() && serverCpuAfter.isPresent()
                        ? serverCpuAfter.getAsLong() - serverCpuBefore.getAsLong() : -1);
        LoadReport report = new LoadReport(target.toString(), workload, plan, result, cpu);
        report.print(out);
        if (json != null) {
            Files.writeString(json, report.jsonLine() + "\n", StandardCharsets.UTF_8);
        }
        if (report.errorRatio() > maxErrorRatio) {
            err.println(String.format(Locale.ROOT, "Error ratio %.4f exceeds --max-error-ratio %s",
                    report.errorRatio(), maxErrorRatio));
            return 1;
        }
        return 0;
    }

    private URI checkedEndpoint() {
        try {
            return LoopbackEndpoint.require(endpoint);
        } catch (IllegalArgumentException e) {
            throw usage("--endpoint: " + e.getMessage());
        }
    }

    private LoadPlan checkedPlan() {
        OperationMix operations;
        try {
            operations = OperationMix.parse(mix);
        } catch (IllegalArgumentException e) {
            throw usage("--mix: " + e.getMessage());
        }
        require(users >= 1 && users <= MAX_USERS, "--users must be from 1 to " + MAX_USERS);
        require(clients >= 1 && clients <= MAX_CLIENTS, "--clients must be from 1 to " + MAX_CLIENTS);
        require(batchSize >= 1 && batchSize <= WorkloadSetup.MAX_BATCH,
                "--batch-size must be from 1 to " + WorkloadSetup.MAX_BATCH);
        require(warmUpSeconds >= 0 && warmUpSeconds <= MAX_WARM_UP_SECONDS,
                "--warm-up must be from 0 to " + MAX_WARM_UP_SECONDS + " seconds");
        require(maxErrorRatio >= 0 && maxErrorRatio <= 1, "--max-error-ratio must be from 0 to 1");
        require(serverPid == null || serverPid > 0, "--server-pid must be a process id");
        require(networkId == null || networkId.matches("[0-9]{8}"), "--network-id must be 8 digits");
        require(durationSeconds == null || requests == null, "give --duration or --requests, not both");
        require(durationSeconds == null || (durationSeconds >= 1 && durationSeconds <= MAX_DURATION_SECONDS),
                "--duration must be from 1 to " + MAX_DURATION_SECONDS + " seconds");
        require(requests == null || (requests >= 1 && requests <= MAX_REQUESTS),
                "--requests must be from 1 to " + MAX_REQUESTS);
        require(rate == null || (rate > 0 && rate <= MAX_RATE), "--rate must be above 0 and at most " + MAX_RATE);
        // An open-loop run's length is its schedule; the same ten-minute bound applies to it.
        require(rate == null || requests == null || requests / rate <= MAX_DURATION_SECONDS,
                "--requests at --rate would take longer than " + MAX_DURATION_SECONDS + " seconds");
        Duration duration = requests == null ? Duration.ofSeconds(durationSeconds == null ? 10 : durationSeconds) : null;
        return new LoadPlan(clients, operations, batchSize, duration, requests == null ? 0 : requests,
                rate == null ? 0 : rate);
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw usage(message);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
