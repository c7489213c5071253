package io.wickrlocal.protocol.sigv4;

import java.util.List;

/**
 * Assembles the canonical request and the string to sign. Everything except the canonical URI is computed
 * once per request; {@link #withUri} produces the variants {@link CanonicalUri} asks to try.
 */
final class CanonicalRequest {

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final String method;
    private final String canonicalQuery;
    private final String canonicalHeaders;
    private final String signedHeadersLine;
    private final String payloadHash;

    CanonicalRequest(String method, String canonicalQuery, String canonicalHeaders, String signedHeadersLine,
            String payloadHash) {
        this.method = method;
        this.canonicalQuery = canonicalQuery;
        this.canonicalHeaders = canonicalHeaders;
        this.signedHeadersLine = signedHeadersLine;
        this.payloadHash = payloadHash;
    }

    String withUri(String canonicalUri) {
        return method + '\n' + canonicalUri + '\n' + canonicalQuery + '\n' + canonicalHeaders + '\n'
                + signedHeadersLine + '\n' + payloadHash;
    }

    static String stringToSign(String timestamp, CredentialScope scope, String canonicalRequest) {
        return AuthorizationHeader.ALGORITHM + '\n' + timestamp + '\n' + scope.scopeLine() + '\n'
                + Crypto.sha256Hex(canonicalRequest);
    }

    /**
     * One {@code name:value} line per signed header, each ending in a newline. The order is the client's
     * SignedHeaders order (lower-cased), the same list the signed-headers line is built from, so a client
     * that did not sort still agrees with itself.
     */
    static String canonicalHeaders(List<String> signedHeaders, RequestHeaders headers) throws SigV4Exception {
        StringBuilder sb = new StringBuilder(256);
        for (String name : signedHeaders) {
            List<String> values = headers.all(name);
            if (values.isEmpty()) {
                throw SigV4Exception.invalidSignature("Header " + Untrusted.quote(name)
                        + " is listed in SignedHeaders but is not present in the request.");
            }
            sb.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                appendTrimmed(sb, values.get(i));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The payload line: the hash of the body, which the client's {@code x-amz-content-sha256}, when
     * sent, must equal.
     *
     * <p>The signature must cover the body, otherwise a captured request could be replayed with another
     * body within its fifteen minutes: {@code UNSIGNED-PAYLOAD} is refused, as AWS's JSON services do, and
     * so are streaming (aws-chunked) values, as this server does not decode chunk signatures.
     */
    static String payloadHash(RequestHeaders headers, byte[] body) throws SigV4Exception {
        String declared = checkPayloadHeader(headers);
        String actual = Crypto.sha256Hex(body);
        if (declared != null && !declared.equalsIgnoreCase(actual)) {
            throw SigV4Exception.invalidSignature(
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return declared != null ? declared : actual;
    }

    /**
     * Checks the form of a declared {@code x-amz-content-sha256}, which needs no body.
     *
     * @return the declared hash, or null when none was sent
     */
    static String checkPayloadHeader(RequestHeaders headers) throws SigV4Exception {
        List<String> declared = headers.all("x-amz-content-sha256");
        if (declared.isEmpty()) {
            return null;
        }
        if (declared.size() > 1) {
            throw SigV4Exception.incompleteSignature("The request contains more than one 'x-amz-content-sha256' header.");
        }
        String value = declared.get(0).strip();
        if (value.equals(UNSIGNED_PAYLOAD)) {
            throw SigV4Exception.invalidSignature("The payload must be signed: 'x-amz-content-sha256: "
                    + UNSIGNED_PAYLOAD + "' is not accepted. Send the hex SHA-256 of the body, or leave the header"
                    + " out.");
        }
        if (Crypto.isHex(value, 64)) {
            return value;
        }
        throw SigV4Exception.incompleteSignature("Unsupported 'x-amz-content-sha256' value " + Untrusted.quote(value)
                + "; expected the hex SHA-256 of the body.");
    }

    /** SigV4 "Trimall": strip, and collapse each run of whitespace inside the value to a single space. */
    private static void appendTrimmed(StringBuilder sb, String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        boolean inRun = false;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (isWhitespace(c)) {
                if (!inRun) {
                    sb.append(' ');
                    inRun = true;
                }
            } else {
                sb.append(c);
                inRun = false;
            }
        }
    }

    /** The set the Java SDK v2 signer treats as whitespace. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f';
    }
}
