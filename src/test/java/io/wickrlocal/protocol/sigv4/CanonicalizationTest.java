package io.wickrlocal.protocol.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces of the canonical request, pinned against AWS's published examples. */
class CanonicalizationTest {

    @Test
    void awsSigV4TestSuiteGetVanilla() throws Exception {
        // "get-vanilla" from the AWS SigV4 test suite, with the documentation's example key pair.
        SigV4Verifier verifier = new SigV4Verifier(
                CredentialStore.of(List.of(new Credential("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                        "123456789012"))),
                Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC), "service");
        SignedRequest request = new SignedRequest("GET", "/", null, Map.of(
                "host", List.of("example.amazonaws.com"),
                "x-amz-date", List.of("20150830T123600Z"),
                "authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, "
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")), null);

        assertThat(verifier.verify(request)).isEqualTo(new Principal("123456789012", "AKIDEXAMPLE", "us-east-1", false));
    }

    @Test
    void signingKeyDerivationMatchesTheAwsDocumentationExample() {
        byte[] key = SigningKeyCache.derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");

        assertThat(HexFormat.of().formatHex(key))
                .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    }

    @Test
    void signingKeyCacheIsBounded() {
        SigningKeyCache cache = new SigningKeyCache(2);
        byte[] first = cache.signingKey("s", "20261128", "us-east-1", "wickr");

        assertThat(cache.signingKey("s", "20261128", "us-east-1", "wickr")).isSameAs(first);
        cache.signingKey("s", "20261128", "eu-west-2", "wickr");
        cache.signingKey("s", "20261128", "eu-west-1", "wickr");

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.signingKey("s", "20261128", "us-east-1", "wickr")).isNotSameAs(first).isEqualTo(first);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/networks/123|/networks/123",
        "/a%20b|/a%2520b",
        "/grp%20one%2F%C3%A4|/grp%2520one%252F%25C3%25A4",
        "/a/./b/../c/|/a/c/",
        "/a//b|/a/b",
        "/~user|/~user",
        "''|/",
    })
    void firstCandidateIsTheDoubleEncodedNormalizedPath(String raw, String expected) {
        assertThat(CanonicalUri.candidates(raw).get(0)).isEqualTo(expected);
    }

    @Test
    void onlyDoubleEncodedFormsAreCandidates() {
        assertThat(CanonicalUri.candidates("/a%2fb%20c")).containsExactly("/a%252fb%2520c");
        assertThat(CanonicalUri.candidates("/a/./b")).containsExactly("/a/b", "/a/./b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|''",
        "b=2&a=1|a=1&b=2",
        "a=2&a=1&a=10|a=1&a=10&a=2",
        "flag&x=|flag=&x=",
        "k=a+b|k=a%2Bb",
        "k=a%20b&k2=%7e%2a|k=a%20b&k2=~%2A",
        "k=%e4%be%8b|k=%E4%BE%8B",
        "k=caf\u00e9|k=caf%C3%A9",
        "k=100%|k=100%25",
        "a=1&&b=2|a=1&b=2",
        "B=1&a=1&_=1|B=1&_=1&a=1",
    })
    void canonicalQuery(String raw, String expected) {
        assertThat(CanonicalQuery.of(raw)).isEqualTo(expected);
    }
}
