package io.wickrlocal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer of the protocol core, with no socket behind it: what the Jetty adapter writes.
 *
 * @param status  the HTTP status
 * @param headers the headers to send (Content-Type among them; never Content-Length, which the writer sets)
 * @param body    the body's bytes
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String CACHE_CONTROL = "Cache-Control";

    /** A 200 with a body of the given type. */
    public static ApiResponse ok(byte[] body, String contentType) {
        return of(200, body, contentType);
    }

    /** An error as the AWS clients read it: its status, its type in x-amzn-ErrorType, its JSON body. */
    public static ApiResponse error(WireError error) {
        ApiResponse r = of(error.status(), error.body(), "application/json");
        r.headers.put(RestJsonProtocol.ERROR_TYPE_HEADER, error.type());
        return r;
    }

    /** The answer of a health or readiness probe: JSON, never cached. */
    public static ApiResponse probe(int status, byte[] body) {
        ApiResponse r = of(status, body, "application/json");
        r.headers.put(CACHE_CONTROL, "no-store");
        return r;
    }

    /** Every 503 (starting, or the database away) has run nothing: it asks to try again in a second. */
    private static ApiResponse of(int status, byte[] body, String contentType) {
        Map<String, String> headers = new LinkedHashMap<>(4);
        if (status == 503) {
            headers.put(RETRY_AFTER, "1");
        }
        headers.put(CONTENT_TYPE, contentType);
        return new ApiResponse(status, headers, body);
    }

    /** The body as text (for tests and logs). */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
