package io.wickrlocal.protocol.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The canonical-query line. Clients differ in how they escape the wire query (which characters they leave
 * alone, upper- or lower-case hex), so every key and value is decoded and re-encoded the one way SigV4
 * prescribes before sorting; a correct signer computed the same from its unencoded parameters.
 */
final class CanonicalQuery {

    private static final Comparator<String[]> BY_KEY_THEN_VALUE =
            Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]);

    private CanonicalQuery() {}

    static String of(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {
                UriEncoding.encode(UriEncoding.decode(key), false),
                UriEncoding.encode(UriEncoding.decode(value), false)
            });
        }
        // Encoded strings are pure ASCII, so String order is the byte order SigV4 asks for.
        pairs.sort(BY_KEY_THEN_VALUE);
        StringBuilder sb = new StringBuilder(rawQuery.length() + 16);
        for (String[] p : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Decoded keys, for spotting presigned-URL parameters. */
    static List<String> keys(String rawQuery) {
        List<String> keys = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return keys;
        }
        for (String part : rawQuery.split("&", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            keys.add(new String(UriEncoding.decode(key), StandardCharsets.UTF_8));
        }
        return keys;
    }
}
