package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.store.SqliteDatabase;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol over real HTTP on a free port, signed by the AWS Java SDK's signer. */
class HttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WickrLocalServer server;
    private static SignedClient client;

    @BeforeAll
    static void start() throws Exception {
        server = WickrLocalServer.start(ServerSettings.defaults().withPort(0).withMaxBodyBytes(64 * 1024)
                .withCredentials(List.of(new Credential("AKIDEXAMPLE", "s3cr3t", "123456789012"))),
                SqliteDatabase.inMemory());
        client = new SignedClient(server.endpoint(), "AKIDEXAMPLE", "s3cr3t", "us-east-1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String type) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue(type);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(body(r).get("message").asText()).isNotBlank();
    }

    private String network() throws Exception {
        HttpResponse<String> r = client.send("POST", "/networks", "{\"networkName\":\"http\",\"accessLevel\":\"PREMIUM\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return body(r).get("networkId").asText();
    }

    @Test
    void healthNeedsNoSignature() throws Exception {
        HttpResponse<String> r = client.unsigned("GET", "/_local/health", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
    }

    @Test
    void signedCallsWorkAndUnsignedOnesAreRefused() throws Exception {
        String id = network();
        HttpResponse<String> r = client.send("GET", "/networks/" + id, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body(r).get("awsAccountId").asText()).isEqualTo("123456789012");
        assertThat(body(r).get("networkArn").asText()).isEqualTo("arn:aws:wickr:us-east-1:123456789012:network/" + id);

        assertError(client.unsigned("GET", "/networks/" + id, new byte[0]), 403, "MissingAuthenticationTokenException");
        assertError(new SignedClient(server.endpoint(), "test", "test", "us-east-1").send("GET", "/networks", null),
                403, "UnrecognizedClientException");
        assertError(new SignedClient(server.endpoint(), "AKIDEXAMPLE", "wrong", "us-east-1").send("GET", "/networks", null),
                403, "InvalidSignatureException");
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-16));
        assertError(new SignedClient(server.endpoint(), "AKIDEXAMPLE", "s3cr3t", "us-east-1").at(late)
                .send("GET", "/networks", null), 403, "InvalidSignatureException");
    }

    @Test
    void anotherRegionDoesNotSeeTheNetwork() throws Exception {
        String id = network();
        SignedClient west = new SignedClient(server.endpoint(), "AKIDEXAMPLE", "s3cr3t", "eu-west-2");
        assertError(west.send("GET", "/networks/" + id, null), 404, "ResourceNotFoundError");
    }

    @Test
    void badInputGetsModeledErrorsNeverA500() throws Exception {
        String id = network();
        String toggle = "/networks/" + id + "/users/toggleSuspend?suspend=true";
        assertError(client.send("PATCH", toggle, "{\"userIds\": [\"1\""), 400, "BadRequestError");
        assertError(client.send("PATCH", toggle, "[1,2]"), 400, "BadRequestError");
        assertError(client.send("PATCH", toggle, "{\"userIds\":[\"1\"]} trailing"), 400, "BadRequestError");
        assertError(client.send("PATCH", toggle, "{\"userIds\":[\"1\"],\"userIds\":[\"2\"]}"), 400, "BadRequestError");
        assertError(client.send("PATCH", toggle, "[".repeat(500) + "]".repeat(500)), 400, "BadRequestError");
        byte[] badUtf8 = {'{', '"', 'u', 's', 'e', 'r', 'I', 'd', 's', '"', ':', '[', '"', (byte) 0xC3, (byte) 0x28, '"', ']', '}'};
        assertError(client.send("PATCH", toggle, badUtf8, Map.of()), 400, "BadRequestError");
        assertError(client.send("PATCH", toggle, new byte[70 * 1024], Map.of()), 400, "BadRequestError");
        assertError(client.send("PATCH", toggle, "{\"userIds\":\"1\"}"), 422, "ValidationError");
        assertError(client.send("PATCH", "/networks/" + id + "/users/toggleSuspend?suspend=maybe", "{\"userIds\":[\"1\"]}"),
                422, "ValidationError");
        assertError(client.send("PATCH", "/networks/" + id + "/users/toggleSuspend", "{\"userIds\":[\"1\"]}"),
                422, "ValidationError");
        assertThat(raw("GET /networks/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400").contains("BadRequestError").doesNotContain("<html");
        assertThat(raw("GET /networks HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 4").contains("BadRequestError").doesNotContain("<html");
        assertError(client.send("GET", "/nothing/here", null), 404, "ResourceNotFoundError");
        assertError(client.send("PUT", "/networks/" + id, "{}"), 400, "BadRequestError");
    }

    @Test
    void theAuditTrailShowsTheRequestIdTheClientSawAndExportsJsonLines() throws Exception {
        HttpResponse<String> created = client.send("POST", "/networks", "{\"networkName\":\"audited\",\"accessLevel\":\"STANDARD\"}");
        String id = body(created).get("networkId").asText();
        String requestId = created.headers().firstValue("x-amzn-RequestId").orElseThrow();

        HttpResponse<String> list = client.send("GET", "/_local/audit?networkId=" + id, null);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        JsonNode event = body(list).get("events").get(0);
        assertThat(event.get("operation").asText()).isEqualTo("CreateNetwork");
        assertThat(event.get("requestId").asText()).isEqualTo(requestId);
        assertThat(event.get("accountId").asText()).isEqualTo("123456789012");
        assertThat(event.get("accessKeyId").asText()).isEqualTo("AKIDEXAMPLE");

        HttpResponse<String> export = client.send("GET", "/_local/audit/export?networkId=" + id, null);
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(export.headers().firstValue("content-type")).hasValue("application/x-ndjson");
        assertThat(export.body().split("\n")).hasSize(1);
        assertThat(JSON.readTree(export.body().strip())).isEqualTo(event);

        assertError(client.unsigned("GET", "/_local/audit", new byte[0]), 403, "MissingAuthenticationTokenException");
        assertError(client.unsigned("GET", "/_local/audit/export", new byte[0]), 403, "MissingAuthenticationTokenException");
        assertError(client.send("GET", "/_local/audit?maxResults=0", null), 422, "ValidationError");
    }

    /** Sends bytes no well-behaved client would, and returns the whole answer as text. */
    private static String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void validationErrorsListEveryReason() throws Exception {
        HttpResponse<String> r = client.send("PATCH", "/networks/1234/users/toggleSuspend?suspend=true",
                "{\"userIds\":[\"x\", \"12345678901\"]}");
        assertError(r, 422, "ValidationError");
        assertThat(body(r).get("reasons")).extracting(n -> n.get("field").asText())
                .containsExactlyInAnyOrder("networkId", "userIds[0]", "userIds[1]");
    }

    @Test
    void theIdempotencyHeaderIsHonoured() throws Exception {
        String id = network();
        Map<String, String> token = Map.of("X-Client-Token", "retry-1");
        byte[] body = "{\"userIds\":[\"1\"]}".getBytes();
        HttpResponse<String> first = client.send("PATCH", "/networks/" + id + "/users/toggleSuspend?suspend=true", body, token);
        HttpResponse<String> again = client.send("PATCH", "/networks/" + id + "/users/toggleSuspend?suspend=true", body, token);
        assertThat(again.body()).isEqualTo(first.body());
        assertError(client.send("PATCH", "/networks/" + id + "/users/toggleSuspend?suspend=false", body, token),
                400, "BadRequestError");
        assertError(client.send("PATCH", "/networks/" + id + "/users/toggleSuspend?suspend=true", body,
                Map.of("X-Client-Token", "no spaces allowed")), 422, "ValidationError");
    }
}
