package io.wickrlocal.protocol.sigv4;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Server-side AWS Signature Version 4 verification for the header form
 * ({@code Authorization: AWS4-HMAC-SHA256 ...}). Thread-safe; one instance serves all requests.
 *
 * <p>Checks run cheapest and least revealing first: header syntax, timestamp, credential lookup, scope,
 * clock skew, headers that must be signed, then the signature itself. All but the last need no body,
 * so {@link #precheck} can refuse a request before its body is read.
 *
 * <p>The signature must cover everything that changes what a call does: the body (a declared
 * {@code x-amz-content-sha256} must be the body's hash; {@code UNSIGNED-PAYLOAD} is refused), and every
 * header that is present among {@code x-amz-*}, {@code x-wickr-local-*} and the headers the contract
 * binds to inputs (such as {@code X-Client-Token}). {@code X-Amzn-Trace-Id} is not one of them: the
 * SDKs never sign it. A present {@code X-Amz-Security-Token} must thus be signed; it is otherwise not
 * checked, as the access key alone names the credential.
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
    private final Set<String> boundHeaders;
    private final SigningKeyCache signingKeys = new SigningKeyCache();

    /** Whether a signature may be scoped to this region: state kept under any other name is out of every client's reach. */
    public static boolean isRegionName(String region) {
        return region != null && REGION.matcher(region).matches();
    }

    public SigV4Verifier(CredentialStore credentials, Clock clock, String signingName) {
        this(credentials, clock, signingName, Set.of());
    }

    /**
     * @param boundHeaders the (any case) names of the headers the contract binds to operation inputs,
     *                     which must be signed whenever present
     */
    public SigV4Verifier(CredentialStore credentials, Clock clock, String signingName, Set<String> boundHeaders) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signingName = Objects.requireNonNull(signingName, "signingName");
        Set<String> lower = new TreeSet<>();
        boundHeaders.forEach(h -> lower.add(h.toLowerCase(Locale.ROOT)));
        this.boundHeaders = Set.copyOf(lower);
    }

    /** What the checks before the signature established. */
    private record Checked(AuthorizationHeader auth, RequestTimestamp timestamp, Credential credential) {}

    /**
     * Every check that needs no body: a request that fails one is refused before its body is read,
     * so a caller that cannot sign makes the server hold nothing.
     *
     * @param headers as for {@link SignedRequest#headers()}
     * @return the account of the credential the request names (not yet proved: the signature is checked
     *     with the body)
     * @throws SigV4Exception as {@link #verify} would for the same request
     */
    public String precheck(String rawQuery, Map<String, List<String>> headers) throws SigV4Exception {
        return checked(RequestHeaders.of(headers == null ? Map.of() : headers), rawQuery).credential().accountId();
    }

    private Checked checked(RequestHeaders headers, String rawQuery) throws SigV4Exception {
        AuthorizationHeader auth = parseAuthorization(headers, rawQuery);
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
        checkSignedHeaders(headers, auth.signedHeaders());
        CanonicalRequest.checkPayloadHeader(headers);
        return new Checked(auth, timestamp, credential);
    }

    /**
     * @return who signed the request
     * @throws SigV4Exception if the request is not correctly signed by a known credential; every case is a 403
     */
    public Principal verify(SignedRequest request) throws SigV4Exception {
        Objects.requireNonNull(request, "request");
        RequestHeaders headers = RequestHeaders.of(request.headers());
        Checked checked = checked(headers, request.rawQuery());
        AuthorizationHeader auth = checked.auth();
        RequestTimestamp timestamp = checked.timestamp();
        CredentialScope scope = auth.scope();
        Credential credential = checked.credential();

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
        return new Principal(credential.accountId(), credential.accessKeyId(), scope.region(), credential.operator());
    }

    /** Whether the header changes what a call does, so that it must be signed whenever present. */
    private boolean mustBeSigned(String lowerCaseName) {
        return lowerCaseName.startsWith("x-amz-") || lowerCaseName.startsWith("x-wickr-local-")
                || boundHeaders.contains(lowerCaseName);
    }

    private void checkSignedHeaders(RequestHeaders headers, List<String> signed) throws SigV4Exception {
        List<String> unsigned = null;
        for (String name : headers.names()) {
            if (mustBeSigned(name) && !signed.contains(name)) {
                if (unsigned == null) {
                    unsigned = new ArrayList<>(2);
                }
                unsigned.add(name);
            }
        }
        if (unsigned != null) {
            unsigned.sort(null);
            throw SigV4Exception.invalidSignature("There were headers present in the request which were not"
                    + " signed: " + Untrusted.quote(String.join(", ", unsigned)) + ". Every x-amz-* and"
                    + " x-wickr-local-* header, and every header an operation reads (such as X-Client-Token),"
                    + " must be among the SignedHeaders.");
        }
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
