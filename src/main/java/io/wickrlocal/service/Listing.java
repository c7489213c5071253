package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.PageRequest;
import io.wickrlocal.store.SortColumn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared rules of every list operation: maxResults (default 10), sortDirection (default
 * DESC), sortFields joined with '+', and opaque nextTokens. A token carries the key of the last
 * row and a fingerprint of the query it belongs to, so it cannot be replayed against another.
 */
final class Listing {
    static final int DEFAULT_PAGE_SIZE = 10;

    private final PageRequest request;
    private final String fingerprint;

    private Listing(PageRequest request, String fingerprint) {
        this.request = request;
        this.fingerprint = fingerprint;
    }

    /**
     * @param accepted   the sortFields values the operation accepts, mapped to columns
     * @param defaults   the order when the client names none
     * @param tieBreaker a unique column appended so the order is total
     * @param scope      everything else that defines the query (operation, parent ids, filters)
     */
    static Listing of(ObjectNode input, Map<String, SortColumn> accepted, List<SortColumn> defaults,
                      SortColumn tieBreaker, String scope) {
        int limit = input.has("maxResults") ? input.get("maxResults").asInt() : DEFAULT_PAGE_SIZE;
        boolean descending = !"ASC".equals(Json.text(input, "sortDirection"));
        Set<SortColumn> columns = new LinkedHashSet<>();
        String sortFields = Json.text(input, "sortFields");
        if (sortFields == null || sortFields.isBlank()) {
            columns.addAll(defaults);
        } else {
            for (String field : sortFields.split("\\+")) {
                columns.add(column(accepted, field.strip(), sortFields));
            }
        }
        columns.add(tieBreaker);
        List<SortColumn> order = List.copyOf(columns);
        String fingerprint = hash(scope + "|" + order + "|" + descending);
        List<Object> after = decode(Json.text(input, "nextToken"), order, fingerprint);
        return new Listing(new PageRequest(order, descending, after, limit), fingerprint);
    }

    PageRequest request() {
        return request;
    }

    /** The answer of a list operation: the page's items under {@code member}, and its nextToken. */
    <T> ObjectNode answer(String member, Page<T> page, java.util.function.Function<T, ObjectNode> view) {
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray(member);
        page.items().forEach(item -> items.add(view.apply(item)));
        writeToken(out, page);
        return out;
    }

    /** Puts the page's token (when there is a next page) into the output. */
    private void writeToken(ObjectNode output, Page<?> page) {
        if (page.nextKey() != null) {
            ObjectNode token = Json.object();
            token.put("q", fingerprint);
            ArrayNode key = token.putArray("k");
            for (Object v : page.nextKey()) {
                if (v instanceof Long n) {
                    key.add(n);
                } else {
                    key.add(String.valueOf(v));
                }
            }
            output.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static SortColumn column(Map<String, SortColumn> accepted, String field, String all) {
        SortColumn c = accepted.get(field);
        if (c == null) {
            for (Map.Entry<String, SortColumn> e : accepted.entrySet()) {
                if (e.getKey().equalsIgnoreCase(field)) {
                    return e.getValue();
                }
            }
            throw ServiceException.invalid("sortFields", "'" + field + "' is not a sort field here; use "
                    + String.join(", ", accepted.keySet()) + " (several joined with '+')");
        }
        return c;
    }

    private static List<Object> decode(String token, List<SortColumn> order, String fingerprint) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        ServiceException bad = ServiceException.invalid("nextToken",
                "is not a token this server gave for this query; start again without nextToken");
        JsonNode parsed;
        try {
            if (token.length() > 4096) {
                throw bad;
            }
            parsed = Json.read(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw bad;
        }
        if (!parsed.isObject() || !fingerprint.equals(parsed.path("q").asText())
                || !parsed.path("k").isArray() || parsed.path("k").size() != order.size()) {
            throw bad;
        }
        List<Object> key = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            JsonNode v = parsed.get("k").get(i);
            Object value = v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.asLong()
                    : v.isTextual() ? v.asText() : null;
            if (!order.get(i).accepts(value)) {
                throw bad;
            }
            key.add(value);
        }
        return key;
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
