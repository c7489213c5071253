package io.wickrlocal.protocol.sigv4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Case-insensitive view of the request headers. Callers promise lower-case keys, but a header map built by
 * hand (tests, another HTTP layer) may not honour that, and a silently missed header would look like a
 * signature mismatch that is very hard to debug.
 */
final class RequestHeaders {

    private final Map<String, List<String>> byLowerName;

    private RequestHeaders(Map<String, List<String>> byLowerName) {
        this.byLowerName = byLowerName;
    }

    static RequestHeaders of(Map<String, List<String>> headers) {
        Map<String, List<String>> map = new HashMap<>();
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            List<String> values = map.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1));
            for (String v : e.getValue()) {
                if (v != null) {
                    values.add(v);
                }
            }
        }
        map.values().removeIf(List::isEmpty);
        return new RequestHeaders(map);
    }

    /** All values of the header, in arrival order; empty if absent. */
    List<String> all(String lowerCaseName) {
        return byLowerName.getOrDefault(lowerCaseName, List.of());
    }

    /** The lower-case names of the headers present. */
    java.util.Set<String> names() {
        return byLowerName.keySet();
    }

    boolean contains(String lowerCaseName) {
        return byLowerName.containsKey(lowerCaseName);
    }
}
