package io.wickrlocal.protocol.contract;

import java.util.ArrayList;
import java.util.List;

/** A request URI template such as /networks/{networkId}/users, split into segments. */
public final class UriTemplate {
    /** A literal segment, or a label when {@code label} is true (then {@code text} is the label name). */
    public record Segment(String text, boolean label) {}

    private final String source;
    private final List<Segment> segments;

    private UriTemplate(String source, List<Segment> segments) {
        this.source = source;
        this.segments = List.copyOf(segments);
    }

    public static UriTemplate parse(String template) {
        String path = template;
        int query = path.indexOf('?');
        if (query >= 0) {
            throw new IllegalArgumentException("query literals in request URIs are not supported: " + template);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("request URI must start with '/': " + template);
        }
        List<Segment> segments = new ArrayList<>();
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty()) {
                if (!path.equals("/")) {
                    throw new IllegalArgumentException("empty segment in " + template);
                }
                continue;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                String label = part.substring(1, part.length() - 1);
                if (label.endsWith("+")) {
                    throw new IllegalArgumentException("greedy labels are not supported: " + template);
                }
                segments.add(new Segment(label, true));
            } else {
                segments.add(new Segment(part, false));
            }
        }
        return new UriTemplate(template, segments);
    }

    public List<Segment> segments() { return segments; }

    @Override
    public String toString() { return source; }
}
