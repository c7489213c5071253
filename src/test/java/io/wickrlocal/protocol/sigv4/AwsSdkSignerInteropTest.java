package io.wickrlocal.protocol.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Requests signed by the real AWS SDK for Java v2 signer must verify. */
class AwsSdkSignerInteropTest {

    private static final Instant SIGNING_TIME = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(SIGNING_TIME, ZoneOffset.UTC);
    private static final AwsCredentialsIdentity TEST = AwsCredentialsIdentity.create("test", "test");

    private final SigV4Verifier verifier = new SigV4Verifier(CredentialStore.of(List.of(
            new Credential("test", "test", "000000000000"),
            new Credential("ASIATESTSESSION", "session-secret", "111122223333"))), CLOCK, "wickr");

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-west-2"})
    void toggleSuspendWithJsonBodyAndClientToken(String region) throws Exception {
        byte[] body = "{\"userIds\":[\"u-1\",\"u-2\"]}".getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.PATCH,
                        "/networks/12345678/users/toggleSuspend")
                .putRawQueryParameter("suspend", "true")
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Client-Token", "tok-0001");

        SignedRequest signed = SdkSigning.sign(request, body, TEST, region, CLOCK);

        assertThat(signed.rawQuery()).isEqualTo("suspend=true");
        assertThat(TestRequests.authorization(signed)).contains("x-client-token");
        assertThat(verifier.verify(signed)).isEqualTo(new Principal("000000000000", "test", region, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-west-2"})
    void getWithQueryValuesThatNeedEncoding(String region) throws Exception {
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET, "/networks/12345678/users")
                .putRawQueryParameter("firstName", "Ann Marie")
                .putRawQueryParameter("lastName", "O+Brien/Smith")
                .putRawQueryParameter("username", "jürgen@例え.jp")
                .putRawQueryParameter("sortFields", "a~b*c=d&e")
                .putRawQueryParameter("status", List.of("2", "1"))
                .putRawQueryParameter("maxResults", "10");

        SignedRequest signed = SdkSigning.sign(request, new byte[0], TEST, region, CLOCK);

        assertThat(signed.rawQuery()).contains("Ann%20Marie", "O%2BBrien%2FSmith", "j%C3%BCrgen", "a~b%2Ac%3Dd%26e");
        assertThat(verifier.verify(signed)).isEqualTo(new Principal("000000000000", "test", region, false));
    }

    @Test
    void queryParameterWithoutValue() throws Exception {
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET, "/networks")
                .putRawQueryParameter("flag", (String) null)
                .putRawQueryParameter("empty", "");

        SignedRequest signed = SdkSigning.sign(request, new byte[0], TEST, "us-east-1", CLOCK);

        assertThat(verifier.verify(signed).accountId()).isEqualTo("000000000000");
    }

    @Test
    void pathLabelThatNeedsPercentEncoding() throws Exception {
        // The SDK marshaller encodes non-greedy labels like this before the signer sees the path.
        String label = SdkHttpUtils.urlEncode("grp one/ä+x%");
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET,
                "/networks/12345678/security-groups/" + label + "/users");

        SignedRequest signed = SdkSigning.sign(request, new byte[0], TEST, "eu-west-2", CLOCK);

        assertThat(signed.rawPath()).isEqualTo("/networks/12345678/security-groups/grp%20one%2F%C3%A4%2Bx%25/users");
        assertThat(verifier.verify(signed)).isEqualTo(new Principal("000000000000", "test", "eu-west-2", false));
    }

    @Test
    void pathWithDotSegmentsAndTrailingSlashIsNormalizedLikeTheSdk() throws Exception {
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET, "/networks/./1/../12345678/");

        SignedRequest signed = SdkSigning.sign(request, new byte[0], TEST, "us-east-1", CLOCK);

        assertThat(verifier.verify(signed).region()).isEqualTo("us-east-1");
    }

    @Test
    void sessionCredentialsSignTheSecurityToken() throws Exception {
        byte[] body = "{\"networkName\":\"n\",\"accessLevel\":\"STANDARD\"}".getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.POST, "/networks")
                .putHeader("Content-Type", "application/json");
        AwsSessionCredentialsIdentity session =
                AwsSessionCredentialsIdentity.create("ASIATESTSESSION", "session-secret", "FwoG+token/with=chars");

        SignedRequest signed = SdkSigning.sign(request, body, session, "us-east-1", CLOCK);

        assertThat(signed.headers()).containsKey("x-amz-security-token");
        assertThat(TestRequests.authorization(signed)).contains("x-amz-security-token");
        assertThat(verifier.verify(signed)).isEqualTo(new Principal("111122223333", "ASIATESTSESSION", "us-east-1", false));
    }

    @Test
    void anUnsignedPayloadIsRefused() throws Exception {
        byte[] body = "{\"settings\":{}}".getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.PATCH, "/networks/12345678/settings")
                .putHeader("Content-Type", "application/json");

        SignedRequest signed = SdkSigning.sign(request, body, TEST, "us-east-1", CLOCK,
                r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));

        assertThat(signed.headers().get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
        // A signature that does not cover the body would let a captured request carry any body.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier.verify(signed))
                .isInstanceOf(SigV4Exception.class).hasMessageContaining("payload must be signed")
                .extracting(e -> ((SigV4Exception) e).errorType()).isEqualTo(SigV4Exception.INVALID_SIGNATURE);
    }

    @Test
    void headerValueWithRunsOfWhitespace() throws Exception {
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.DELETE, "/networks/12345678/bots/b1")
                .putHeader("X-Client-Token", "  spaced    out \t token ");

        SignedRequest signed = SdkSigning.sign(request, new byte[0], TEST, "us-east-1", CLOCK);

        assertThat(verifier.verify(signed).accountId()).isEqualTo("000000000000");
    }

    @Test
    void verifiesWithinTheSkewWindowOnADifferentDay() throws Exception {
        // Signed at 23:55 on the 27th, received at 00:05 on the 28th: the scope date follows the signing time.
        Instant signedAt = Instant.parse("2026-11-27T23:55:00Z");
        SdkHttpFullRequest.Builder request = SdkSigning.request(SdkHttpMethod.GET, "/networks");

        SignedRequest signed = SdkSigning.sign(request, new byte[0], TEST, "us-east-1",
                Clock.fixed(signedAt, ZoneOffset.UTC));
        SigV4Verifier lateVerifier = new SigV4Verifier(CredentialStore.defaults(),
                Clock.fixed(Instant.parse("2026-11-28T00:05:00Z"), ZoneOffset.UTC), "wickr");

        assertThat(TestRequests.authorization(signed)).contains("/20261127/");
        assertThat(lateVerifier.verify(signed).region()).isEqualTo("us-east-1");
    }
}
