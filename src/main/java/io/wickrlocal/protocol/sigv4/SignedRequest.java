package io.wickrlocal.protocol.sigv4;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of an HTTP request SigV4 covers, exactly as received.
 *
 * @param method HTTP method, e.g. {@code PATCH}
 * @param rawPath path as on the wire, still percent-encoded; {@code null} or empty means {@code /}
 * @param rawQuery query as on the wire without the {@code ?}, still percent-encoded; may be null or empty
 * @param headers header values by lower-case name, one list entry per header field line as received (not
 *     split on commas: {@code a, b} split and re-joined would canonicalize as {@code a,b}); null means none
 * @param body request body; null means empty
 */
public record SignedRequest(
        String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    private static final byte[] EMPTY = new byte[0];

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        headers = headers == null ? Map.of() : headers;
        body = body == null ? EMPTY : body;
    }

    @Override
    public String toString() {
        // Headers may carry X-Amz-Security-Token; keep them out of accidental log output.
        return "SignedRequest[" + method + " " + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery)
                + ", " + headers.size() + " header(s), " + body.length + " body byte(s)]";
    }
}
