package io.wickrlocal.protocol.sigv4;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Client-side SigV4 for the Authorization-header form, built from the same canonicalization the
 * {@link SigV4Verifier} uses, so the two cannot drift apart. Thread-safe; one instance can sign for any
 * number of threads.
 *
 * <p>It signs {@code host}, {@code x-amz-date}, {@code content-type} and every {@code x-*} header it is
 * given; other headers (user-agent, accept, ...) are left unsigned because HTTP clients and proxies may
 * rewrite them. The path is signed the way the AWS SDKs sign it for every service but S3: dot segments
 * removed, then URI-encoded once more.
 */
public final class SigV4Signer {

    private static final HexFormat HEX = HexFormat.of();

    private final String accessKey;
    private final String secret;
    private final String region;
    private final String service;
    private final Clock clock;
    /** One credential, one region: the key changes only at midnight UTC, so one slot is the whole cache. */
    private volatile DatedKey signingKey;

    public SigV4Signer(String accessKey, String secret, String region, String service, Clock clock) {
        this.accessKey = requireText(accessKey, "accessKey");
        this.secret = requireText(secret, "secret");
        this.region = requireText(region, "region");
        this.service = requireText(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param method HTTP method, e.g. {@code PATCH}
     * @param rawPath the path as it will go on the wire (already percent-encoded); null or empty means {@code /}
     * @param rawQuery the query as it will go on the wire, without {@code ?}; may be null or empty
     * @param headers the headers the request will carry, by name in any case; must include {@code host}
     *     exactly as the HTTP client will send it ({@code host:port} unless the port is the scheme's default)
     * @param body the body that will be sent; null means empty
     * @return {@code X-Amz-Date} and {@code Authorization}, to add to the request unchanged
     * @throws IllegalArgumentException if {@code host} is missing, or a header the signer owns is already set
     */
    public Map<String, String> sign(String method, String rawPath, String rawQuery, Map<String, String> headers,
            byte[] body) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
        String timestamp = RequestTimestamp.format(clock.instant());
        String date = timestamp.substring(0, 8);

        Map<String, List<String>> toSign = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("x-amz-date") || name.equals("authorization")) {
                throw new IllegalArgumentException("'" + h.getKey() + "' is set by the signer, not by the caller");
            }
            if (h.getValue() != null && isSigned(name) && toSign.put(name, List.of(h.getValue())) != null) {
                throw new IllegalArgumentException("header '" + name + "' is given more than once");
            }
        }
        if (!toSign.containsKey("host")) {
            throw new IllegalArgumentException("the 'host' header is required: SigV4 always signs it");
        }
        toSign.put("x-amz-date", List.of(timestamp));
        List<String> signedHeaders = new ArrayList<>(toSign.keySet());
        Collections.sort(signedHeaders);

        RequestHeaders requestHeaders = RequestHeaders.of(toSign);
        byte[] payload = body == null ? new byte[0] : body;
        String canonicalRequest;
        try {
            canonicalRequest = new CanonicalRequest(
                    method,
                    CanonicalQuery.of(rawQuery),
                    CanonicalRequest.canonicalHeaders(signedHeaders, requestHeaders),
                    String.join(";", signedHeaders),
                    CanonicalRequest.payloadHash(requestHeaders, payload))
                    .withUri(CanonicalUri.candidates(rawPath).get(0));
        } catch (SigV4Exception e) {
            // Only a caller-supplied x-amz-content-sha256 that does not match the body gets here.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        CredentialScope scope = new CredentialScope(accessKey, date, region, service, CredentialScope.TERMINATOR);
        String signature = HEX.formatHex(
                Crypto.hmacSha256(keyFor(date), CanonicalRequest.stringToSign(timestamp, scope, canonicalRequest)));

        Map<String, String> out = new LinkedHashMap<>(4);
        out.put("X-Amz-Date", timestamp);
        out.put("Authorization", AuthorizationHeader.ALGORITHM + " Credential=" + scope + ", SignedHeaders="
                + String.join(";", signedHeaders) + ", Signature=" + signature);
        return out;
    }

    private static boolean isSigned(String lowerName) {
        return lowerName.equals("host") || lowerName.equals("content-type") || lowerName.startsWith("x-");
    }

    private byte[] keyFor(String date) {
        DatedKey current = signingKey;
        if (current == null || !current.date.equals(date)) {
            // Racing threads at midnight derive the same bytes; whichever write lands last is as good.
            current = new DatedKey(date, SigningKeyCache.derive(secret, date, region, service));
            signingKey = current;
        }
        return current.key;
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    private record DatedKey(String date, byte[] key) {}

    @Override
    public String toString() {
        return "SigV4Signer[" + accessKey + "/" + region + "/" + service + "]";
    }
}
