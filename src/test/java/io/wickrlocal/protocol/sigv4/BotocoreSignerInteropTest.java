package io.wickrlocal.protocol.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Requests signed by the real botocore SigV4 signer (what boto3 and the AWS CLI use) must verify. The vectors
 * are generated at test time by {@code src/test/resources/sigv4/botocore_vectors.py}; a missing python3 or
 * botocore fails the test rather than skipping it.
 */
class BotocoreSignerInteropTest {

    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");
    private static final CredentialStore STORE = CredentialStore.of(List.of(
            new Credential("test", "test", "000000000000"),
            new Credential("ASIATESTSESSION", "session-secret", "111122223333")));

    private static List<Vector> vectors;

    record Vector(String name, SignedRequest request, Clock clock, String region, String accessKeyId) {}

    @BeforeAll
    static void generateVectors() throws Exception {
        vectors = runScript();
    }

    @Test
    void scriptProducedTheExpectedVectors() {
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(20);
        assertThat(vectors).extracting(Vector::name)
                .contains("direct/toggle-suspend", "direct/list-users-awkward-query", "direct/label-needs-encoding",
                        "client/us-east-1/ListUsers", "client/eu-west-2/GetSecurityGroup");
    }

    @TestFactory
    Stream<DynamicTest> everyBotocoreSignedRequestVerifies() {
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            SigV4Verifier verifier = new SigV4Verifier(STORE, v.clock(), "wickr");
            if (v.name().endsWith("unsigned-payload")) {
                // botocore can sign without the body; the server refuses what does not cover it.
                assertThatThrownBy(() -> verifier.verify(v.request())).isInstanceOf(SigV4Exception.class)
                        .hasMessageContaining("payload must be signed");
                return;
            }
            Principal principal = verifier.verify(v.request());
            String account = STORE.find(v.accessKeyId()).orElseThrow().accountId();
            assertThat(principal).isEqualTo(new Principal(account, v.accessKeyId(), v.region(), false));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyBotocoreSignedRequestFailsOnceItsPathIsChanged() {
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.name(), () -> {
            SigV4Verifier verifier = new SigV4Verifier(STORE, v.clock(), "wickr");
            SignedRequest tampered = TestRequests.withPath(v.request(), v.request().rawPath() + "x");
            assertThatThrownBy(() -> verifier.verify(tampered))
                    .isInstanceOfSatisfying(SigV4Exception.class,
                            e -> assertThat(e.errorType()).isEqualTo("InvalidSignatureException"));
        }));
    }

    private static List<Vector> runScript() throws IOException, InterruptedException {
        Path script = Files.createTempFile("botocore_vectors", ".py");
        try {
            try (InputStream in = BotocoreSignerInteropTest.class.getResourceAsStream("/sigv4/botocore_vectors.py")) {
                assertThat(in).as("test resource sigv4/botocore_vectors.py").isNotNull();
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Process process = new ProcessBuilder("python3", script.toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            // Drain stderr concurrently so a chatty failure cannot block the process on a full pipe.
            StringBuilder stderr = new StringBuilder();
            Thread drain = new Thread(() -> {
                try {
                    stderr.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the exit code check below reports the failure
                }
            });
            drain.start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python3 finished in time").isTrue();
            drain.join(10_000);
            assertThat(process.exitValue())
                    .as("python3 botocore_vectors.py failed (is python3 with botocore installed?):%n%s", stderr)
                    .isZero();
            return parse(stdout);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static List<Vector> parse(String stdout) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Vector> result = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = mapper.readTree(line);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            node.get("headers").properties().forEach(e -> {
                List<String> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                headers.put(e.getKey(), values);
            });
            String query = node.get("query").asText();
            SignedRequest request = new SignedRequest(node.get("method").asText(), node.get("path").asText(),
                    query.isEmpty() ? null : query, headers, Base64.getDecoder().decode(node.get("body").asText()));
            Clock clock = Clock.fixed(
                    LocalDateTime.parse(node.get("timestamp").asText(), BASIC).toInstant(ZoneOffset.UTC),
                    ZoneOffset.UTC);
            result.add(new Vector(node.get("name").asText(), request, clock, node.get("region").asText(),
                    node.get("accessKeyId").asText()));
        }
        return result;
    }
}
