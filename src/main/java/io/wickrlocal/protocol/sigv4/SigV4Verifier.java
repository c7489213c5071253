package io.wickrlocal.protocol.sigv4;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Server-side AWS Signature Version 4 verification for the header form
 * ({@code Authorization: AWS4-HMAC-SHA256 ...}). Thread-safe; one instance serves all requests.
 *
 * <p>Checks run cheapest and least revealing first: header syntax, timestamp, credential lookup, scope,
 * clock skew, then the signature itself.
 */
public final class SigV4Verifier {

    /** AWS allows this much skew either way between the client's clock and its own. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
    private static final List<String> PRESIGN_PARAMETERS =
            List.of("x-amz-algorithm", "x-amz-credential", "x-amz-signature");

    private final CredentialStore credentials;
    private final Clock clock;
    private final String signingName;
    private final SigningKeyCache signingKeys = new SigningKeyCache();

    /** Whether a signature may be scoped to this region: state kept under any other name is out of every client's reach. */
    public static boolean isRegionName(String region) {
        return region != null && REGION.matcher(region).matches();
    }

    public SigV4Verifier(CredentialStore credentials, Clock clock, String signingName) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signingName = Objects.requireNonNull(signingName, "signingName");
    }

    /**
     * @return who signed the request
     * @throws SigV4Exception if the request is not correctly signed by a known credential; every case is a 403
     */
    public Principal verify(SignedRequest request) throws SigV4Exception {
        Objects.requireNonNull(request, "request");
        RequestHeaders headers = RequestHeaders.of(request.headers());
        AuthorizationHeader auth = parseAuthorization(headers, request.rawQuery());
        RequestTimestamp timestamp = RequestTimestamp.from(headers);
        if (!auth.signedHeaders().contains("host")) {
            throw SigV4Exception.incompleteSignature(
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        CredentialScope scope = auth.scope();
        Credential credential = credentials.find(scope.accessKeyId()).orElseThrow(() ->
                SigV4Exception.unrecognizedClient("The security token included in the request is invalid."));
        checkScope(scope, timestamp);
        checkSkew(timestamp);

        CanonicalRequest canonical = new CanonicalRequest(
                request.method(),
                CanonicalQuery.of(request.rawQuery()),
                CanonicalRequest.canonicalHeaders(auth.signedHeaders(), headers),
                auth.signedHeadersLine(),
                CanonicalRequest.payloadHash(headers, request.body()));
        byte[] provided = Crypto.isHex(auth.signature(), 64) ? Crypto.parseHex(auth.signature()) : null;
        byte[] signingKey = signingKeys.signingKey(credential.secretKey(), scope.date(), scope.region(), signingName);
        // A malformed signature still costs a full computation, so its rejection takes as long as a wrong one.
        boolean matched = false;
        for (String uri : CanonicalUri.candidates(request.rawPath())) {
            String stringToSign = CanonicalRequest.stringToSign(timestamp.basic(), scope, canonical.withUri(uri));
            byte[] expected = Crypto.hmacSha256(signingKey, stringToSign);
            if (provided != null && MessageDigest.isEqual(expected, provided)) {
                matched = true;
                break;
            }
        }
        if (!matched) {
            throw SigV4Exception.invalidSignature("The request signature we calculated does not match the signature"
                    + " you provided. Check your AWS Secret Access Key and signing method. Consult the service"
                    + " documentation for details.");
        }
        return new Principal(credential.accountId(), credential.accessKeyId(), scope.region());
    }

    private static AuthorizationHeader parseAuthorization(RequestHeaders headers, String rawQuery)
            throws SigV4Exception {
        List<String> values = headers.all("authorization");
        boolean presigned = hasPresignParameters(rawQuery);
        if (values.isEmpty()) {
            if (presigned) {
                throw SigV4Exception.missingAuthenticationToken("Missing Authentication Token. Presigned"
                        + " (query-string) SigV4 authentication is not supported; only the Authorization header"
                        + " form (AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...) is accepted.");
            }
            throw SigV4Exception.missingAuthenticationToken("Missing Authentication Token");
        }
        if (values.size() > 1) {
            throw SigV4Exception.incompleteSignature("The request contains more than one Authorization header.");
        }
        if (presigned) {
            throw SigV4Exception.incompleteSignature("Only one auth mechanism allowed; only the X-Amz-Algorithm"
                    + " query parameter or the Authorization header should be specified.");
        }
        return AuthorizationHeader.parse(values.get(0));
    }

    private static boolean hasPresignParameters(String rawQuery) {
        for (String key : CanonicalQuery.keys(rawQuery)) {
            if (PRESIGN_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private void checkScope(CredentialScope scope, RequestTimestamp timestamp) throws SigV4Exception {
        if (!CredentialScope.TERMINATOR.equals(scope.terminator())) {
            throw SigV4Exception.invalidSignature("Credential should be scoped with a valid terminator: '"
                    + CredentialScope.TERMINATOR + "', not " + Untrusted.quote(scope.terminator()) + ".");
        }
        if (!signingName.equals(scope.service())) {
            throw SigV4Exception.invalidSignature(
                    "Credential should be scoped to correct service: '" + signingName + "'.");
        }
        if (!isRegionName(scope.region())) {
            throw SigV4Exception.invalidSignature(
                    "Credential should be scoped to a valid region, not " + Untrusted.quote(scope.region()) + ".");
        }
        if (!scope.date().equals(timestamp.date())) {
            throw SigV4Exception.invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601"
                    + " version of date from HTTP: '" + scope.date() + "' != '" + timestamp.date() + "', from '"
                    + timestamp.basic() + "'.");
        }
    }

    private void checkSkew(RequestTimestamp timestamp) throws SigV4Exception {
        Instant now = clock.instant();
        Instant signed = timestamp.instant();
        if (signed.isBefore(now.minus(MAX_SKEW))) {
            throw SigV4Exception.invalidSignature("Signature expired: " + timestamp.basic() + " is now earlier than "
                    + RequestTimestamp.format(now.minus(MAX_SKEW)) + " (" + RequestTimestamp.format(now)
                    + " - 15 min.)");
        }
        if (signed.isAfter(now.plus(MAX_SKEW))) {
            throw SigV4Exception.invalidSignature("Signature not yet current: " + timestamp.basic()
                    + " is still later than " + RequestTimestamp.format(now.plus(MAX_SKEW)) + " ("
                    + RequestTimestamp.format(now) + " + 15 min.)");
        }
    }
}
