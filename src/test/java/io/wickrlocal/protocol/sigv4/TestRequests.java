package io.wickrlocal.protocol.sigv4;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copy-and-modify helpers for tampering with signed requests. */
final class TestRequests {

    private TestRequests() {}

    static Map<String, List<String>> copyHeaders(SignedRequest r) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        return copy;
    }

    static SignedRequest withHeader(SignedRequest r, String name, String value) {
        Map<String, List<String>> headers = copyHeaders(r);
        headers.put(name, new ArrayList<>(List.of(value)));
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body());
    }

    static SignedRequest withoutHeader(SignedRequest r, String name) {
        Map<String, List<String>> headers = copyHeaders(r);
        headers.remove(name);
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body());
    }

    static SignedRequest withPath(SignedRequest r, String rawPath) {
        return new SignedRequest(r.method(), rawPath, r.rawQuery(), r.headers(), r.body());
    }

    static SignedRequest withQuery(SignedRequest r, String rawQuery) {
        return new SignedRequest(r.method(), r.rawPath(), rawQuery, r.headers(), r.body());
    }

    static SignedRequest withBody(SignedRequest r, byte[] body) {
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(), body);
    }

    static SignedRequest withMethod(SignedRequest r, String method) {
        return new SignedRequest(method, r.rawPath(), r.rawQuery(), r.headers(), r.body());
    }

    static String authorization(SignedRequest r) {
        return r.headers().get("authorization").get(0);
    }
}
