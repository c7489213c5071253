package io.wickrlocal.protocol;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the protocol core reads it, with no socket behind it.
 *
 * @param method   the HTTP method
 * @param path     the raw (still percent-encoded) path
 * @param rawQuery the raw query string, or null
 * @param headers  the headers by lower-case name, each value as the client meant it (UTF-8), in order
 * @param body     the body's bytes (empty when there is none)
 */
public record ApiRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                         byte[] body) {}
