package io.wickrlocal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.WickrLocal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The generator end to end, against a server in this JVM. */
class LoadGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static WickrLocal server;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        server = WickrLocal.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new LoadGenerator());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoint", server.endpoint().toString()));
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    @Test
    void runsForAboutTwoSecondsWithoutErrors() throws Exception {
        Path report = dir.resolve("report.json");

        int status = run(args("--users", "120", "--clients", "4", "--duration", "2",
                "--mix", "toggle=4,get-user=1,list-users=1,count=1", "--json", report.toString()));

        assertThat(status).as(out + "\n" + err).isZero();
        JsonNode json = JSON.readTree(Files.readString(report));
        assertThat(json.get("users").asInt()).isEqualTo(120);
        assertThat(json.get("requests").asLong()).isPositive();
        assertThat(json.get("errors").asLong()).isZero();
        assertThat(json.get("errorsByType").size()).isZero();
        assertThat(json.get("seconds").asDouble()).isBetween(1.9, 4.0);
        assertThat(json.get("usersPerSecond").asDouble()).isPositive();
        JsonNode latency = json.get("latencyMs");
        long perOperation = 0;
        for (String op : List.of("toggle", "get-user", "list-users", "count")) {
            assertThat(latency.get(op).get("count").asLong()).as(op).isPositive();
            assertThat(latency.get(op).get("p50").asDouble()).as(op).isPositive();
            perOperation += latency.get(op).get("count").asLong();
        }
        assertThat(latency.get("all").get("count").asLong()).isEqualTo(perOperation)
                .isEqualTo(json.get("requests").asLong());
        assertThat(out.toString()).contains("network " + json.get("networkId").asText(), "requests/s", "users/s",
                "p50", "p99", "toggle");

        // The network is reusable: its users are found by paging through ListUsers (120 > one page of 100).
        Path again = dir.resolve("again.json");
        status = run(args("--network-id", json.get("networkId").asText(), "--users", "1000", "--clients", "2",
                "--requests", "40", "--mix", "toggle=1,get-user=1", "--json", again.toString()));

        assertThat(status).as(out + "\n" + err).isZero();
        JsonNode second = JSON.readTree(Files.readString(again));
        assertThat(second.get("users").asInt()).isEqualTo(120);
        assertThat(second.get("requests").asLong()).isEqualTo(40);
        assertThat(second.get("errors").asLong()).isZero();

        // A create-only run adds users to the same network without listing it first; the next run sees them.
        Path created = dir.resolve("created.json");
        status = run(args("--network-id", json.get("networkId").asText(), "--clients", "3", "--requests", "7",
                "--batch-size", "20", "--mix", "create=1", "--json", created.toString()));

        assertThat(status).as(out + "\n" + err).isZero();
        JsonNode third = JSON.readTree(Files.readString(created));
        assertThat(third.get("usersCreated").asLong()).isEqualTo(140);
        assertThat(third.get("errors").asLong()).isZero();
        assertThat(out.toString()).contains("users/s created (140 users)");
        Path listed = dir.resolve("listed.json");
        status = run(args("--network-id", json.get("networkId").asText(), "--users", "1000", "--requests", "1",
                "--mix", "count=1", "--json", listed.toString()));
        assertThat(status).as(out + "\n" + err).isZero();
        assertThat(JSON.readTree(Files.readString(listed)).get("users").asInt()).isEqualTo(260);
    }

    @Test
    void openLoopSendsTheScheduledNumberOfRequests() throws Exception {
        Path report = dir.resolve("rate.json");

        int status = run(args("--users", "50", "--clients", "4", "--rate", "100", "--requests", "100",
                "--json", report.toString()));

        assertThat(status).as(out + "\n" + err).isZero();
        JsonNode json = JSON.readTree(Files.readString(report));
        assertThat(json.get("mode").asText()).isEqualTo("open");
        assertThat(json.get("requests").asLong()).isEqualTo(100);
        assertThat(json.get("unsent").asLong()).isZero();
        // 100 requests at 100/s: the last is due after 0.99 s.
        assertThat(json.get("seconds").asDouble()).isBetween(0.95, 3.0);
        assertThat(out.toString()).contains("open loop at 100.0 requests/s");
    }

    @Test
    void errorsAboveTheThresholdFailTheRun() throws Exception {
        Path report = dir.resolve("errors.json");

        int status = run(args("--users", "10", "--batch-size", "10", "--secret-key", "wrong", "--requests", "5",
                "--json", report.toString()));

        // Setup is signed with the wrong secret too, so it is setup that fails, with the server's reason.
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("Setup failed", "403", "InvalidSignatureException");
        assertThat(report).doesNotExist();
    }

    @Test
    void refusesEndpointsOffThisMachineBeforeSendingAnything() {
        int status = run("--endpoint", "http://192.0.2.1:8484", "--duration", "1");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("refusing to send load to '192.0.2.1'");
    }

    @Test
    void refusesUnboundedOrContradictoryRuns() {
        assertThat(run(args("--duration", "601"))).isEqualTo(2);
        assertThat(run(args("--requests", "10000001"))).isEqualTo(2);
        assertThat(run(args("--duration", "5", "--requests", "5"))).isEqualTo(2);
        assertThat(run(args("--rate", "1", "--requests", "601"))).isEqualTo(2);
        assertThat(run(args("--batch-size", "51"))).isEqualTo(2);
        assertThat(run(args("--mix", "toggle=1,delete-everything=1"))).isEqualTo(2);
        assertThat(err.toString()).contains("--duration must be from 1 to 600", "--requests must be from 1 to 10000000",
                "not both", "unknown operation 'delete-everything'");
    }
}
