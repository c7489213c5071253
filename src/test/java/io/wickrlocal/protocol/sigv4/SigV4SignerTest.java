package io.wickrlocal.protocol.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Our signer must produce what the AWS Java SDK's signer produces, and what our verifier accepts. */
class SigV4SignerTest {

    private static final Instant SIGNING_TIME = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(SIGNING_TIME, ZoneOffset.UTC);
    private static final AwsCredentialsIdentity TEST = AwsCredentialsIdentity.create("test", "test");
    private static final byte[] TOGGLE_BODY = "{\"userIds\":[\"1234567890\",\"2345678901\"]}"
            .getBytes(StandardCharsets.UTF_8);

    private final SigV4Verifier verifier = new SigV4Verifier(CredentialStore.defaults(), CLOCK, "wickr");

    private static SigV4Signer signer(String region, Clock clock) {
        return new SigV4Signer("test", "test", region, "wickr", clock);
    }

    /** Signs with our signer and returns the request as the server would receive it. */
    private static SignedRequest signOurs(SigV4Signer signer, String method, String rawPath, String rawQuery,
            Map<String, String> headers, byte[] body) {
        Map<String, List<String>> wire = new LinkedHashMap<>();
        headers.forEach((k, v) -> wire.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(List.of(v))));
        signer.sign(method, rawPath, rawQuery, headers, body)
                .forEach((k, v) -> wire.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        return new SignedRequest(method, rawPath, rawQuery, wire, body);
    }

    /**
     * Signs, with our signer, the request the SDK signed: same method, path, query, body and headers (the
     * SDK adds {@code x-amz-content-sha256}, which ours signs like any other {@code x-*} header it is given).
     */
    private static SignedRequest signOursLike(SignedRequest sdk, SigV4Signer signer) {
        Map<String, String> headers = new LinkedHashMap<>();
        sdk.headers().forEach((name, values) -> {
            if (!name.equals("authorization") && !name.equals("x-amz-date")) {
                headers.put(name, String.join(",", values));
            }
        });
        return signOurs(signer, sdk.method(), sdk.rawPath(), sdk.rawQuery(), headers, sdk.body());
    }

    private static void assertSameSignature(SignedRequest ours, SignedRequest sdk) {
        assertThat(TestRequests.authorization(ours)).isEqualTo(TestRequests.authorization(sdk));
        assertThat(ours.headers().get("x-amz-date")).isEqualTo(sdk.headers().get("x-amz-date"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-west-2"})
    void toggleSuspendMatchesTheSdkAndVerifies(String region) throws Exception {
        SignedRequest sdk = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PATCH,
                                "/networks/12345678/users/toggleSuspend")
                        .putRawQueryParameter("suspend", "true")
                        .putHeader("Content-Type", "application/json")
                        .putHeader("X-Client-Token", "bench-1-2-3"),
                TOGGLE_BODY, TEST, region, CLOCK);

        SignedRequest ours = signOursLike(sdk, signer(region, CLOCK));

        assertSameSignature(ours, sdk);
        assertThat(verifier.verify(ours)).isEqualTo(new Principal("000000000000", "test", region, true));
    }

    @Test
    void withoutAContentHashHeaderItSignsTheBodyHashAndVerifies() throws Exception {
        SignedRequest ours = signOurs(signer("us-east-1", CLOCK), "PATCH", "/networks/12345678/users/toggleSuspend",
                "suspend=true", Map.of("Host", SdkSigning.HOST, "Content-Type", "application/json",
                        "X-Client-Token", "bench-1-2-3"), TOGGLE_BODY);

        assertThat(TestRequests.authorization(ours)).contains(
                "SignedHeaders=content-type;host;x-amz-date;x-client-token", "/us-east-1/wickr/aws4_request");
        assertThat(verifier.verify(ours)).isEqualTo(new Principal("000000000000", "test", "us-east-1", true));
    }

    @Test
    void hostWithAPortMatchesTheSdk() throws Exception {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .protocol("http").host("127.0.0.1").port(18900).encodedPath("/networks/12345678/users/count");
        SignedRequest sdk = SdkSigning.sign(request, new byte[0], TEST, "us-east-1", CLOCK);

        SignedRequest ours = signOursLike(sdk, signer("us-east-1", CLOCK));

        assertThat(sdk.headers().get("host")).containsExactly("127.0.0.1:18900");
        assertSameSignature(ours, sdk);
        assertThat(verifier.verify(ours).accessKeyId()).isEqualTo("test");
    }

    @Test
    void queryAndPathThatNeedEncodingMatchTheSdk() throws Exception {
        String label = SdkHttpUtils.urlEncode("grp one/ä+x%");
        String path = "/networks/12345678/security-groups/" + label + "/users";
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET, path)
                .putRawQueryParameter("username", "jürgen@例え.jp")
                .putRawQueryParameter("firstName", "Ann Marie")
                .putRawQueryParameter("sortFields", "a~b*c=d&e")
                .putRawQueryParameter("maxResults", "10");
        SignedRequest sdk = SdkSigning.sign(request, new byte[0], TEST, "us-east-1", CLOCK);

        SignedRequest ours = signOursLike(sdk, signer("us-east-1", CLOCK));

        assertSameSignature(ours, sdk);
        assertThat(verifier.verify(ours).region()).isEqualTo("us-east-1");
    }

    @Test
    void dotSegmentsAreRemovedBeforeSigningLikeTheSdk() throws Exception {
        String path = "/networks/./1/../12345678/";
        SignedRequest sdk = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.GET, path), new byte[0], TEST,
                "us-east-1", CLOCK);

        SignedRequest ours = signOursLike(sdk, signer("us-east-1", CLOCK));

        assertThat(ours.rawPath()).isEqualTo(path);
        assertSameSignature(ours, sdk);
        assertThat(verifier.verify(ours).accountId()).isEqualTo("000000000000");
    }

    @Test
    void headersOtherThanContentTypeAndXStarAreNotSigned() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", SdkSigning.HOST);
        headers.put("User-Agent", "bench/1");
        headers.put("Accept", "application/json");
        headers.put("x-amz-content-sha256", Crypto.sha256Hex(TOGGLE_BODY));

        SignedRequest ours = signOurs(signer("us-east-1", CLOCK), "POST", "/networks", null, headers, TOGGLE_BODY);

        assertThat(TestRequests.authorization(ours)).contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,");
        // An HTTP client that rewrites the user agent does not break the signature.
        assertThat(verifier.verify(TestRequests.withHeader(ours, "user-agent", "Java-http-client/17")).accountId())
                .isEqualTo("000000000000");
    }

    @Test
    void aChangedBodyOrQueryNoLongerVerifies() {
        SignedRequest ours = signOurs(signer("us-east-1", CLOCK), "PATCH", "/networks/12345678/users/toggleSuspend",
                "suspend=true", Map.of("host", SdkSigning.HOST, "content-type", "application/json"), TOGGLE_BODY);

        assertThatThrownBy(() -> verifier.verify(TestRequests.withBody(ours, "{\"userIds\":[\"1\"]}"
                .getBytes(StandardCharsets.UTF_8)))).isInstanceOf(SigV4Exception.class);
        assertThatThrownBy(() -> verifier.verify(TestRequests.withQuery(ours, "suspend=false")))
                .isInstanceOf(SigV4Exception.class);
    }

    @Test
    void theScopeFollowsTheClockAcrossMidnight() throws Exception {
        io.wickrlocal.service.MutableClock moving = new io.wickrlocal.service.MutableClock(
                Instant.parse("2026-11-27T23:59:59Z"));
        SigV4Signer signer = signer("us-east-1", moving);
        Map<String, String> headers = Map.of("host", SdkSigning.HOST);

        SignedRequest before = signOurs(signer, "GET", "/networks", null, headers, null);
        moving.advance(java.time.Duration.ofSeconds(2));
        SignedRequest after = signOurs(signer, "GET", "/networks", null, headers, null);

        assertThat(TestRequests.authorization(before)).contains("/20261127/");
        assertThat(TestRequests.authorization(after)).contains("/20261128/");
        SigV4Verifier atMidnight = new SigV4Verifier(CredentialStore.defaults(),
                Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC), "wickr");
        assertThat(atMidnight.verify(before).accessKeyId()).isEqualTo("test");
        assertThat(atMidnight.verify(after).accessKeyId()).isEqualTo("test");
    }

    @Test
    void manyThreadsGetTheSameSignatureAsOne() throws Exception {
        SigV4Signer signer = signer("us-east-1", CLOCK);
        Map<String, String> headers = Map.of("host", SdkSigning.HOST, "content-type", "application/json");
        Map<String, String> expected = signer.sign("PATCH", "/networks/12345678/users/toggleSuspend",
                "suspend=true", headers, TOGGLE_BODY);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                results.add(pool.submit(() -> signer.sign("PATCH", "/networks/12345678/users/toggleSuspend",
                        "suspend=true", headers, TOGGLE_BODY)));
            }
            for (Future<Map<String, String>> r : results) {
                assertThat(r.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesRequestsItCannotSignCorrectly() {
        SigV4Signer signer = signer("us-east-1", CLOCK);
        assertThatThrownBy(() -> signer.sign("GET", "/networks", null, Map.of("content-type", "x"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> signer.sign("GET", "/networks", null,
                Map.of("host", "h", "X-Amz-Date", "20261128T120000Z"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set by the signer");
        assertThatThrownBy(() -> signer.sign("GET", "/networks", null,
                Map.of("host", "h", "x-amz-content-sha256", Crypto.sha256Hex("other")), new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SigV4Signer("test", " ", "us-east-1", "wickr", CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSecretNeverPrints() {
        assertThat(new SigV4Signer("AKIDEXAMPLE", "very-secret", "us-east-1", "wickr", CLOCK).toString())
                .contains("AKIDEXAMPLE").doesNotContain("very-secret");
    }
}
