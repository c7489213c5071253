package io.wickrlocal.protocol.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds the operation for a method and a decoded path. The tree of URI templates is built once;
 * a lookup walks it, preferring literal segments over labels and backtracking when a literal
 * branch dead-ends (so /users/count goes to GetUsersCount, /users/42 to GetUser).
 */
public final class Router {

    /** The outcome of a lookup. */
    public sealed interface Match permits Found, WrongMethod, NoRoute {}

    public record Found(Operation operation, Map<String, String> labels) implements Match {}

    public record WrongMethod(List<String> allowed) implements Match {}

    public record NoRoute() implements Match {}

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node label;
        String labelName;
        final Map<String, Operation> byMethod = new LinkedHashMap<>();
    }

    private final Node root = new Node();

    public Router(Collection<Operation> operations) {
        for (Operation op : operations) {
            Node node = root;
            for (UriTemplate.Segment seg : op.uri().segments()) {
                if (seg.label()) {
                    if (node.label == null) {
                        node.label = new Node();
                        node.labelName = seg.text();
                    } else if (!node.labelName.equals(seg.text())) {
                        throw new IllegalStateException("conflicting labels at " + op.uri());
                    }
                    node = node.label;
                } else {
                    node = node.literals.computeIfAbsent(seg.text(), k -> new Node());
                }
            }
            if (node.byMethod.put(op.method(), op) != null) {
                throw new IllegalStateException("two operations bound to " + op.method() + " " + op.uri());
            }
        }
    }

    /** @param segments the request path split on '/', each segment already percent-decoded */
    public Match route(String method, List<String> segments) {
        List<Node> ends = new ArrayList<>();
        List<Map<String, String>> labelSets = new ArrayList<>();
        collect(root, segments, 0, new LinkedHashMap<>(), ends, labelSets);
        TreeSet<String> allowed = new TreeSet<>();
        for (int i = 0; i < ends.size(); i++) {
            Operation op = ends.get(i).byMethod.get(method);
            if (op != null) {
                return new Found(op, labelSets.get(i));
            }
            allowed.addAll(ends.get(i).byMethod.keySet());
        }
        return allowed.isEmpty() ? new NoRoute() : new WrongMethod(List.copyOf(allowed));
    }

    private static void collect(Node node, List<String> segments, int index, Map<String, String> labels,
                                List<Node> ends, List<Map<String, String>> labelSets) {
        if (index == segments.size()) {
            if (!node.byMethod.isEmpty()) {
                ends.add(node);
                labelSets.add(Map.copyOf(labels));
            }
            return;
        }
        String segment = segments.get(index);
        Node literal = node.literals.get(segment);
        if (literal != null) {
            collect(literal, segments, index + 1, labels, ends, labelSets);
        }
        if (node.label != null && !segment.isEmpty()) {
            labels.put(node.labelName, segment);
            collect(node.label, segments, index + 1, labels, ends, labelSets);
            labels.remove(node.labelName);
        }
    }
}
