package io.wickrlocal;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** A plain Java HTTP client whose requests the AWS Java SDK's SigV4 signer signs. */
final class SignedClient {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;
    private final AwsCredentialsIdentity identity;
    private final String region;
    private Clock clock = Clock.systemUTC();

    /** Signs with the credentials and region an embedded server hands out. */
    static SignedClient of(WickrLocal wickr) {
        return new SignedClient(wickr.endpoint().toString(), wickr.accessKeyId(), wickr.secretAccessKey(),
                wickr.region());
    }

    /** The answer's JSON, after checking it is a 200 (the body is the failure message otherwise). */
    static com.fasterxml.jackson.databind.JsonNode ok(HttpResponse<String> r) throws java.io.IOException {
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return OK_JSON.readTree(r.body());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper OK_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    SignedClient(String endpoint, String accessKey, String secret, String region) {
        this.endpoint = URI.create(endpoint);
        this.identity = AwsCredentialsIdentity.create(accessKey, secret);
        this.region = region;
    }

    SignedClient at(Clock signingClock) {
        this.clock = signingClock;
        return this;
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
        return send(method, pathAndQuery, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    HttpResponse<String> send(String method, String pathAndQuery, byte[] body, Map<String, String> headers)
            throws Exception {
        return send(method, pathAndQuery, body, headers, null);
    }

    /**
     * As {@link #send(String, String, byte[], Map)}, giving up after {@code timeout} (null: never) with an
     * {@link java.net.http.HttpTimeoutException}, as a client whose read timeout is shorter than the call does.
     */
    HttpResponse<String> send(String method, String pathAndQuery, byte[] body, Map<String, String> headers,
                              java.time.Duration timeout) throws Exception {
        URI uri = endpoint.resolve(pathAndQuery);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(uri).contentStreamProvider(() -> new ByteArrayInputStream(body));
        unsigned.putHeader("Content-Type", "application/json");
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "wickr")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
        return sendAsIs(method, uri, body, signed, timeout);
    }

    HttpResponse<String> unsigned(String method, String pathAndQuery, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendAsIs(String method, URI uri, byte[] body, SdkHttpRequest signed,
                                          java.time.Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (timeout != null) {
            b.timeout(timeout);
        }
        signed.forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
