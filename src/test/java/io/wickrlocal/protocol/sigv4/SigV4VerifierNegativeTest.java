package io.wickrlocal.protocol.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Every way a request can fail authentication, and the AWS error type each must produce. */
class SigV4VerifierNegativeTest {

    private static final String MISSING = "MissingAuthenticationTokenException";
    private static final String UNRECOGNIZED = "UnrecognizedClientException";
    private static final String INVALID = "InvalidSignatureException";
    private static final String INCOMPLETE = "IncompleteSignatureException";

    private static final Instant SIGNING_TIME = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(SIGNING_TIME, ZoneOffset.UTC);
    private static final AwsCredentialsIdentity TEST = AwsCredentialsIdentity.create("test", "test");
    private static final byte[] BODY = "{\"userIds\":[\"u-1\",\"u-2\"]}".getBytes(StandardCharsets.UTF_8);

    private final SigV4Verifier verifier = new SigV4Verifier(CredentialStore.defaults(), CLOCK, "wickr");

    private static SdkHttpFullRequest.Builder toggleSuspend() {
        return SdkSigning.request(SdkHttpMethod.PATCH, "/networks/12345678/users/toggleSuspend")
                .putRawQueryParameter("suspend", "true")
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Client-Token", "tok-0001");
    }

    private static SignedRequest valid() {
        return SdkSigning.sign(toggleSuspend(), BODY, TEST, "us-east-1", CLOCK);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(SignedRequest request, String errorType) {
        return assertRejected(verifier, request, errorType);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
            SigV4Verifier verifier, SignedRequest request, String errorType) {
        return assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(SigV4Exception.class, e -> {
                    assertThat(e.errorType()).isEqualTo(errorType);
                    assertThat(e.httpStatus()).isEqualTo(403);
                });
    }

    private static SignedRequest withAuthorization(String value) {
        return TestRequests.withHeader(valid(), "authorization", value);
    }

    @Test
    void baselineVerifies() throws Exception {
        assertThat(verifier.verify(valid())).isEqualTo(new Principal("000000000000", "test", "us-east-1", true));
    }

    @Nested
    class MissingAuthentication {

        @Test
        void noAuthorizationHeader() {
            assertRejected(TestRequests.withoutHeader(valid(), "authorization"), MISSING)
                    .hasMessageContaining("Missing Authentication Token");
        }

        @Test
        void presignedQueryStringIsNotSupported() {
            SignedRequest presigned = SdkSigning.sign(toggleSuspend(), BODY, TEST, "us-east-1", CLOCK,
                    r -> r.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING));

            assertThat(presigned.headers()).doesNotContainKey("authorization");
            assertThat(presigned.rawQuery()).contains("X-Amz-Signature=");
            assertRejected(presigned, MISSING).hasMessageContaining("Authorization header");
        }

        @Test
        void presignParametersNextToAnAuthorizationHeader() {
            SignedRequest both = TestRequests.withQuery(valid(), "suspend=true&X-Amz-Signature=abc");
            assertRejected(both, INCOMPLETE).hasMessageContaining("Only one auth mechanism");
        }
    }

    @Nested
    class Credentials {

        @Test
        void unknownAccessKey() {
            SignedRequest signed = SdkSigning.sign(toggleSuspend(), BODY,
                    AwsCredentialsIdentity.create("AKIAUNKNOWN", "test"), "us-east-1", CLOCK);
            assertRejected(signed, UNRECOGNIZED)
                    .hasMessage("The security token included in the request is invalid.");
        }

        @Test
        void wrongSecret() {
            SignedRequest signed = SdkSigning.sign(toggleSuspend(), BODY,
                    AwsCredentialsIdentity.create("test", "not-the-secret"), "us-east-1", CLOCK);
            assertRejected(signed, INVALID)
                    .hasMessageStartingWith("The request signature we calculated does not match the signature you"
                            + " provided. Check your AWS Secret Access Key and signing method.");
        }

        @Test
        void messagesNeverContainTheSecretOrTheExpectedSignature() throws Exception {
            SigV4Verifier secretive = new SigV4Verifier(CredentialStore.of(List.of(
                    new Credential("test", "s3cr3t-value", "000000000000"))), CLOCK, "wickr");
            SignedRequest correct = SdkSigning.sign(toggleSuspend(), BODY,
                    AwsCredentialsIdentity.create("test", "s3cr3t-value"), "us-east-1", CLOCK);
            String goodSignature = TestRequests.authorization(correct).replaceAll(".*Signature=", "");
            SignedRequest tampered = TestRequests.withBody(correct, "{}".getBytes(StandardCharsets.UTF_8));

            SigV4Exception e = catchSigV4(secretive, tampered);

            assertThat(e.getMessage()).doesNotContain("s3cr3t-value").doesNotContain(goodSignature);
            assertThat(e.toString()).doesNotContain("s3cr3t-value").doesNotContain(goodSignature);
        }
    }

    @Nested
    class Tampering {

        /** The verifier as the server builds it: the contract's bound headers must be signed. */
        private final SigV4Verifier server = new SigV4Verifier(CredentialStore.defaults(), CLOCK, "wickr",
                java.util.Set.of("X-Client-Token", "X-Wickr-Local-Passphrase"));

        @Test
        void aControlHeaderAddedAfterSigningIsRefusedAndNamed() throws Exception {
            SignedRequest unsignedToken = SdkSigning.sign(SdkSigning.request(SdkHttpMethod.PATCH,
                    "/networks/12345678/users/toggleSuspend").putRawQueryParameter("suspend", "true")
                    .putHeader("Content-Type", "application/json"), BODY, TEST, "us-east-1", CLOCK);
            assertThat(server.verify(unsignedToken).accessKeyId()).isEqualTo("test");
            for (String name : List.of("x-client-token", "x-wickr-local-passphrase", "x-amz-security-token",
                    "x-amz-target", "X-Amz-Meta-Anything")) {
                SignedRequest added = TestRequests.withHeader(unsignedToken, name, "attacker's value");
                assertRejected(server, added, INVALID).hasMessageContaining("not signed")
                        .hasMessageContaining(name.toLowerCase(java.util.Locale.ROOT));
                assertThatThrownBy(() -> server.precheck(added.rawQuery(), added.headers()))
                        .as("refused before the body is read").isInstanceOf(SigV4Exception.class);
            }
        }

        @Test
        void theTraceHeaderNeedsNoSignature() throws Exception {
            // SDKs never sign X-Amzn-Trace-Id (Lambda adds it); it changes nothing a call does.
            SignedRequest traced = TestRequests.withHeader(valid(), "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793");
            assertThat(server.verify(traced).accessKeyId()).isEqualTo("test");
        }

        @Test
        void aSignedSessionTokenIsAcceptedAndAnUnsignedOneRefused() throws Exception {
            SignedRequest signed = SdkSigning.sign(toggleSuspend(), BODY,
                    software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create("test", "test", "tok/en="),
                    "us-east-1", CLOCK);
            assertThat(signed.headers()).containsKey("x-amz-security-token");
            assertThat(server.verify(signed).accessKeyId()).isEqualTo("test");
            assertRejected(server, TestRequests.withHeader(valid(), "x-amz-security-token", "tok/en="), INVALID)
                    .hasMessageContaining("x-amz-security-token");
        }

        @Test
        void oneByteOfTheBodyChanged() {
            byte[] body = BODY.clone();
            body[5] ^= 1;
            assertRejected(TestRequests.withBody(valid(), body), INVALID);
        }

        @Test
        void oneByteOfThePathChanged() {
            assertRejected(TestRequests.withPath(valid(), "/networks/12345679/users/toggleSuspend"), INVALID);
        }

        @Test
        void pathWithAnEncodedSlashIsNotTheSameAsARealSlash() {
            SignedRequest signed = SdkSigning.sign(
                    SdkSigning.request(SdkHttpMethod.GET, "/networks/a/b"), new byte[0], TEST, "us-east-1", CLOCK);
            assertRejected(TestRequests.withPath(signed, "/networks/a%2Fb"), INVALID);
        }

        @Test
        void signedHeaderValueChanged() {
            assertRejected(TestRequests.withHeader(valid(), "x-client-token", "tok-0002"), INVALID);
        }

        @Test
        void queryValueChanged() {
            assertRejected(TestRequests.withQuery(valid(), "suspend=false"), INVALID);
        }

        @Test
        void queryParameterAdded() {
            assertRejected(TestRequests.withQuery(valid(), "suspend=true&extra=1"), INVALID);
        }

        @Test
        void methodChanged() {
            assertRejected(TestRequests.withMethod(valid(), "POST"), INVALID);
        }

        @Test
        void signatureChanged() {
            String auth = TestRequests.authorization(valid());
            char last = auth.charAt(auth.length() - 1);
            String flipped = auth.substring(0, auth.length() - 1) + (last == '0' ? '1' : '0');
            assertRejected(withAuthorization(flipped), INVALID);
        }

        @Test
        void signatureThatIsNotHex() {
            String auth = TestRequests.authorization(valid()).replaceAll("Signature=.*", "Signature=" + "zz".repeat(32));
            assertRejected(withAuthorization(auth), INVALID);
        }

        @Test
        void declaredPayloadHashThatDoesNotMatchTheBody() {
            SignedRequest signed = SdkSigning.sign(
                    toggleSuspend().putHeader("x-amz-content-sha256", Crypto.sha256Hex(BODY)),
                    BODY, TEST, "us-east-1", CLOCK);
            assertThat(signed.headers()).containsKey("x-amz-content-sha256");

            assertRejected(TestRequests.withBody(signed, "{}".getBytes(StandardCharsets.UTF_8)), INVALID)
                    .hasMessageContaining("x-amz-content-sha256");
        }

        @Test
        void streamingPayloadIsRefused() {
            assertRejected(TestRequests.withHeader(valid(), "x-amz-content-sha256",
                    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), INCOMPLETE);
        }
    }

    @Nested
    class Time {

        private SigV4Verifier verifierAt(Duration offsetFromSigning) {
            return new SigV4Verifier(CredentialStore.defaults(),
                    Clock.fixed(SIGNING_TIME.plus(offsetFromSigning), ZoneOffset.UTC), "wickr");
        }

        @Test
        void signedSixteenMinutesAgo() {
            assertRejected(verifierAt(Duration.ofMinutes(16)), valid(), INVALID).hasMessage(
                    "Signature expired: 20261128T120000Z is now earlier than 20261128T120100Z"
                            + " (20261128T121600Z - 15 min.)");
        }

        @Test
        void signedSixteenMinutesInTheFuture() {
            assertRejected(verifierAt(Duration.ofMinutes(-16)), valid(), INVALID)
                    .hasMessageStartingWith("Signature not yet current: 20261128T120000Z is still later than");
        }

        @ParameterizedTest
        @ValueSource(longs = {-15, -14, 14, 15})
        void withinFifteenMinutesEitherWayIsAccepted(long minutes) throws Exception {
            assertThat(verifierAt(Duration.ofMinutes(minutes)).verify(valid()).accountId()).isEqualTo("000000000000");
        }

        @Test
        void noDateHeaderAtAll() {
            assertRejected(TestRequests.withoutHeader(valid(), "x-amz-date"), INCOMPLETE)
                    .hasMessageContaining("X-Amz-Date");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "20261128", "2026-11-28T12:00:00Z", "20261328T120000Z", "20261128T120000",
            "20261128T250000Z", "٢٠٢٦١١٢٨T120000Z"})
        void unparseableXAmzDate(String value) {
            assertRejected(TestRequests.withHeader(valid(), "x-amz-date", value), INCOMPLETE);
        }

        @Test
        void unparseableDateHeaderFallback() {
            SignedRequest noAmzDate = TestRequests.withoutHeader(valid(), "x-amz-date");
            assertRejected(TestRequests.withHeader(noAmzDate, "date", "yesterday"), INCOMPLETE);
        }

        @Test
        void dateHeaderIsUsedWhenXAmzDateIsAbsent() {
            // Parsed and used for the skew check: a Date far in the past must expire.
            SignedRequest noAmzDate = TestRequests.withoutHeader(valid(), "x-amz-date");
            assertRejected(TestRequests.withHeader(noAmzDate, "date", "Sat, 28 Nov 2026 11:00:00 GMT"), INVALID)
                    .hasMessageStartingWith("Signature expired: 20261128T110000Z");
        }
    }

    @Nested
    class Scope {

        @Test
        void wrongServiceInScope() {
            SignedRequest signed = SdkSigning.sign(toggleSuspend(), BODY, TEST, "us-east-1", CLOCK,
                    r -> r.putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api"));
            assertRejected(signed, INVALID).hasMessageContaining("correct service: 'wickr'");
        }

        @Test
        void scopeDateDiffersFromXAmzDate() {
            String auth = TestRequests.authorization(valid()).replace("/20261128/", "/20261127/");
            assertRejected(withAuthorization(auth), INVALID).hasMessageContaining("Date in Credential scope");
        }

        @Test
        void wrongTerminator() {
            String auth = TestRequests.authorization(valid()).replace("/aws4_request", "/aws5_request");
            assertRejected(withAuthorization(auth), INVALID).hasMessageContaining("terminator");
        }

        @ParameterizedTest
        @ValueSource(strings = {"US-EAST-1", "us_east_1", "a-region-name-that-is-far-too-long-to-be-real"})
        void implausibleRegion(String region) {
            String auth = TestRequests.authorization(valid()).replace("/us-east-1/", "/" + region + "/");
            assertRejected(withAuthorization(auth), INVALID).hasMessageContaining("valid region");
        }

        @Test
        void signedHeadersWithoutHost() {
            String auth = TestRequests.authorization(valid()).replace("host;", "");
            assertThat(auth).doesNotContain("host");
            assertRejected(withAuthorization(auth), INCOMPLETE).hasMessageContaining("'Host'");
        }

        @Test
        void headerListedInSignedHeadersButAbsent() {
            assertRejected(TestRequests.withoutHeader(valid(), "x-client-token"), INVALID)
                    .hasMessageContaining("'x-client-token'");
        }
    }

    @Nested
    class GarbageAuthorization {

        @ParameterizedTest
        @ValueSource(strings = {
            "", "   ", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA512 Credential=test/20261128/us-east-1/"
                + "wickr/aws4_request, SignedHeaders=host, Signature=00", "Bearer abc.def.ghi", "AWS test:c2lnbmF0dXJl",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request SignedHeaders=host;x-amz-date"
                + " Signature=0000000000000000000000000000000000000000000000000000000000000000",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request",
            "AWS4-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=test, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/2026112/us-east-1/wickr/aws4_request, SignedHeaders=host, Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request/x, SignedHeaders=host,"
                + " Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders=host;;x-amz-date,"
                + " Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders=host;host,"
                + " Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders=ho st,"
                + " Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders=host,"
                + " Signature=00, Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders=host,"
                + " Signature=00, Extra=1",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders, Signature=00",
            "AWS4-HMAC-SHA256 Credential=test/20261128/us-east-1/wickr/aws4_request, SignedHeaders=host, Signature=",
            "AWS4-HMAC-SHA256 \u0000\u0001\n\r, ====, ;;;",
        })
        void malformedHeaderIsIncomplete(String value) {
            assertRejected(withAuthorization(value), INCOMPLETE);
        }

        @Test
        void hugeHeader() {
            assertRejected(withAuthorization("AWS4-HMAC-SHA256 Credential=" + "a".repeat(1_000_000)), INCOMPLETE)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        }

        @Test
        void hugeCredential() {
            String auth = TestRequests.authorization(valid()).replace("Credential=test/",
                    "Credential=" + "A".repeat(5000) + "/");
            assertRejected(withAuthorization(auth), UNRECOGNIZED);
        }

        @Test
        void manySignedHeaders() {
            StringBuilder names = new StringBuilder("host");
            for (int i = 0; i < 1000; i++) {
                names.append(";x-h").append(i);
            }
            String auth = TestRequests.authorization(valid()).replaceAll("SignedHeaders=[^,]*", "SignedHeaders=" + names);
            assertRejected(withAuthorization(auth), INCOMPLETE);
        }

        @Test
        void twoAuthorizationHeaders() {
            SignedRequest valid = valid();
            Map<String, List<String>> headers = TestRequests.copyHeaders(valid);
            headers.get("authorization").add(TestRequests.authorization(valid));
            assertRejected(new SignedRequest(valid.method(), valid.rawPath(), valid.rawQuery(), headers, valid.body()),
                    INCOMPLETE);
        }

        @Test
        void errorMessagesDoNotEchoControlCharacters() {
            SigV4Exception e = catchSigV4(verifier, withAuthorization("AWS4-HMAC-SHA256\tCredential=\r\nx\u0000y"));
            assertThat(e.errorType()).isEqualTo(INCOMPLETE);
            assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000");
        }

        @Test
        void randomMutationsNeverEscapeAsRuntimeExceptions() {
            SignedRequest valid = valid();
            String auth = TestRequests.authorization(valid);
            String alphabet = "AWS4-HMAC-SHA256 Credential=/,;=abcdef0123456789\u0000\t\n\u00e9\u4f8b%";
            Random random = new Random(42);
            for (int i = 0; i < 5000; i++) {
                StringBuilder mutated = new StringBuilder(auth);
                int edits = 1 + random.nextInt(4);
                for (int j = 0; j < edits && mutated.length() > 0; j++) {
                    int at = random.nextInt(mutated.length());
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> mutated.setCharAt(at, c);
                        case 1 -> mutated.insert(at, c);
                        default -> mutated.deleteCharAt(at);
                    }
                }
                SignedRequest request = TestRequests.withHeader(valid, "authorization", mutated.toString());
                try {
                    verifier.verify(request);
                } catch (SigV4Exception expected) {
                    // any of the four types is fine; only an unchecked escape is a bug
                } catch (RuntimeException e) {
                    fail("RuntimeException for Authorization " + mutated, e);
                }
            }
        }

        @Test
        void nullsInTheHeaderMapAreTolerated() {
            Map<String, List<String>> headers = new HashMap<>(TestRequests.copyHeaders(valid()));
            headers.put("x-null", null);
            List<String> withNull = new ArrayList<>();
            withNull.add(null);
            headers.put("x-null-value", withNull);
            SignedRequest valid = valid();
            SignedRequest request = new SignedRequest(valid.method(), null, valid.rawQuery(), headers, null);
            assertRejected(request, INVALID);
        }
    }

    private static SigV4Exception catchSigV4(SigV4Verifier verifier, SignedRequest request) {
        try {
            verifier.verify(request);
        } catch (SigV4Exception e) {
            return e;
        }
        throw new AssertionError("expected a SigV4Exception");
    }
}
