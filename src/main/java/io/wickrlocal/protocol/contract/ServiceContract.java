package io.wickrlocal.protocol.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Wickr Admin API as data: every operation, shape and constraint of the AWS model, plus the
 * rules its prose states (supplement.json) and Wickr Local's own /_local operations
 * (local-extension.json). Loaded once at start; immutable afterwards.
 */
public final class ServiceContract {
    private static final String BASE = "/io/wickrlocal/contract/";
    public static final String MODEL_RESOURCE = BASE + "wickr-2024-02-01.json";

    private final Map<String, Shape> shapes;
    private final Map<String, Operation> operations;
    private final Map<String, JsonNode> paginators;
    private final String signingName;

    private ServiceContract(Map<String, Shape> shapes, Map<String, Operation> operations,
                            Map<String, JsonNode> paginators, String signingName) {
        this.shapes = Collections.unmodifiableMap(shapes);
        this.operations = Collections.unmodifiableMap(operations);
        this.paginators = Collections.unmodifiableMap(paginators);
        this.signingName = signingName;
    }

    /**
     * The names of every header some operation binds to an input member (such as
     * {@code X-Client-Token} and {@code X-Wickr-Local-Passphrase}): what a signature must cover.
     */
    public java.util.Set<String> boundHeaderNames() {
        java.util.Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Operation op : operations.values()) {
            if (op.input() != null) {
                op.input().members().values().stream().filter(m -> m.location() == Location.HEADER)
                        .forEach(m -> names.add(m.locationName()));
            }
        }
        return names;
    }

    /** The contract bundled in the jar. */
    public static ServiceContract load() {
        ObjectMapper json = new ObjectMapper();
        JsonNode model = read(json, MODEL_RESOURCE);
        JsonNode extension = read(json, BASE + "local-extension.json");
        JsonNode supplement = read(json, BASE + "supplement.json");
        return build(model, extension, supplement);
    }

    static ServiceContract build(JsonNode model, JsonNode extension, JsonNode supplement) {
        Map<String, JsonNode> rawShapes = new LinkedHashMap<>();
        model.get("shapes").properties().forEach(e -> rawShapes.put(e.getKey(), e.getValue()));
        extension.get("shapes").properties().forEach(e -> {
            if (rawShapes.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalStateException("extension shape collides with the model: " + e.getKey());
            }
        });

        Map<String, Shape> shapes = new HashMap<>();
        rawShapes.forEach((name, raw) -> shapes.put(name, new Shape(name, ShapeType.of(raw.get("type").asText()))));
        rawShapes.forEach((name, raw) -> resolve(shapes.get(name), raw, shapes));
        applySupplement(shapes, supplement.path("memberConstraints"));
        applyReasons(shapes, supplement.path("memberReasons"));

        Map<String, Operation> operations = new LinkedHashMap<>();
        addOperations(operations, model.get("operations"), shapes, false);
        addOperations(operations, extension.get("operations"), shapes, true);

        Map<String, JsonNode> paginators = new LinkedHashMap<>();
        model.path("paginators").properties().forEach(e -> paginators.put(e.getKey(), e.getValue()));
        String signingName = model.path("metadata").path("signingName").asText("wickr");
        return new ServiceContract(shapes, operations, paginators, signingName);
    }

    private static void resolve(Shape shape, JsonNode raw, Map<String, Shape> shapes) {
        JsonNode members = raw.get("members");
        if (members != null) {
            for (Map.Entry<String, JsonNode> e : members.properties()) {
                JsonNode m = e.getValue();
                Shape target = required(shapes, m.get("shape").asText());
                shape.members.put(e.getKey(), new Member(e.getKey(), target,
                        Location.of(m.path("location").asText(null)), m.path("locationName").asText(null),
                        m.path("idempotencyToken").asBoolean(false),
                        m.has("default") ? m.get("default").asText() : null));
            }
        }
        if (raw.has("member")) {
            shape.listMember = required(shapes, raw.get("member").get("shape").asText());
        }
        if (raw.has("required")) {
            Set<String> req = new LinkedHashSet<>();
            raw.get("required").forEach(r -> req.add(r.asText()));
            shape.required = Collections.unmodifiableSet(req);
        }
        Long min = raw.has("min") ? raw.get("min").asLong() : null;
        Long max = raw.has("max") ? raw.get("max").asLong() : null;
        shape.limits = new Limits(min, max);
        if (raw.has("pattern")) {
            shape.patternSource = raw.get("pattern").asText();
            shape.pattern = Pattern.compile(shape.patternSource);
        }
        if (raw.has("enum")) {
            List<String> values = new ArrayList<>();
            raw.get("enum").forEach(v -> values.add(v.asText()));
            shape.enumValues = List.copyOf(values);
        }
        shape.sensitive = raw.path("sensitive").asBoolean(false);
        if (raw.path("exception").asBoolean(false)) {
            shape.errorStatus = raw.path("error").path("httpStatusCode").asInt(raw.path("fault").asBoolean() ? 500 : 400);
        }
        shape.timestampFormat = raw.path("timestampFormat").asText(null);
        shape.mediaType = raw.path("mediaType").asText(null);
        if (raw.has("payload")) {
            Member payload = shape.members.get(raw.get("payload").asText());
            if (payload == null || payload.target().type() != ShapeType.STRING) {
                throw new IllegalStateException(shape.name() + ": a payload must be one of its text members");
            }
            shape.payload = payload.name();
        }
    }

    private static void applySupplement(Map<String, Shape> shapes, JsonNode rules) {
        rules.properties().forEach(e -> {
            String[] key = e.getKey().split("\\.", 2);
            Limits limits = new Limits(e.getValue().has("min") ? e.getValue().get("min").asLong() : null,
                    e.getValue().has("max") ? e.getValue().get("max").asLong() : null);
            Collection<Shape> owners = key[0].equals("*") ? shapes.values() : List.of(required(shapes, key[0]));
            int applied = 0;
            for (Shape owner : owners) {
                Member member = owner.members.get(key[1]);
                if (member != null) {
                    member.extraLimits = member.extraLimits.narrowedBy(limits);
                    applied++;
                }
            }
            if (applied == 0) {
                throw new IllegalStateException("supplementary rule matches no member: " + e.getKey());
            }
        });
    }

    private static void applyReasons(Map<String, Shape> shapes, JsonNode reasons) {
        reasons.properties().forEach(e -> {
            String[] key = e.getKey().split("\\.", 2);
            Member member = key.length == 2 ? required(shapes, key[0]).members.get(key[1]) : null;
            if (member == null || !e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw new IllegalStateException("supplementary reason matches no member or is empty: " + e.getKey());
            }
            member.reason = e.getValue().asText();
        });
    }

    private static void addOperations(Map<String, Operation> into, JsonNode raw, Map<String, Shape> shapes,
                                      boolean extension) {
        raw.properties().forEach(e -> {
            JsonNode op = e.getValue();
            JsonNode http = op.get("http");
            Shape input = op.has("input") ? required(shapes, op.get("input").get("shape").asText()) : null;
            Shape output = op.has("output") ? required(shapes, op.get("output").get("shape").asText()) : null;
            into.put(e.getKey(), new Operation(e.getKey(), http.get("method").asText(),
                    UriTemplate.parse(http.get("requestUri").asText()), input, output,
                    http.path("responseCode").asInt(200), extension));
        });
    }

    private static Shape required(Map<String, Shape> shapes, String name) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException("contract refers to unknown shape " + name);
        }
        return s;
    }

    private static JsonNode read(ObjectMapper json, String resource) {
        try (InputStream in = ServiceContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing contract resource " + resource);
            }
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Collection<Operation> operations() { return operations.values(); }
    public Operation operation(String name) { return operations.get(name); }
    public Shape shape(String name) { return shapes.get(name); }
    public Map<String, JsonNode> paginators() { return paginators; }
    public String signingName() { return signingName; }

    /** The error shape for a modeled error name, such as ValidationError. */
    public Shape errorShape(String name) {
        Shape s = shapes.get(name);
        return s != null && s.isError() ? s : null;
    }
}
