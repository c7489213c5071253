package io.wickrlocal.protocol.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of fault plans and rules, read strictly: an unknown or misspelt field is an error
 * rather than something silently ignored, because a rule that quietly does not apply is the worst
 * kind of test fixture.
 */
final class FaultPlanJson {
    static final Set<String> PLAN_FIELDS = Set.of("seed", "rules", "description");
    static final List<String> RULE_FIELDS = List.of("id", "operation", "accountId", "error", "latencyMs", "phase",
            "probability", "count", "message");

    private FaultPlanJson() {}

    static FaultPlan plan(JsonNode node, SourceLines lines) {
        if (node == null || !node.isObject()) {
            throw new FaultPlanException("", "A fault plan must be an object with a list of rules, such as"
                    + " {\"rules\": [{\"operation\": \"*\", \"latencyMs\": 100}]}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PLAN_FIELDS.contains(name)) {
                throw new FaultPlanException(name, "is not a field of a fault plan; its fields are seed and rules");
            }
        }
        Long seed = null;
        JsonNode s = node.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw new FaultPlanException("seed", "must be a whole number");
            }
            seed = s.longValue();
        }
        JsonNode rules = node.get("rules");
        if (rules == null || rules.isNull()) {
            throw new FaultPlanException("rules", "is required (a list of rules, which may be empty)");
        }
        return FaultPlan.of(rules(rules, "rules"), seed, lines);
    }

    static List<FaultRule> rules(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new FaultPlanException(field, "must be a list of rules");
        }
        if (node.size() > FaultPlan.MAX_RULES) {
            throw new FaultPlanException(field, "must have at most " + FaultPlan.MAX_RULES + " rules, got "
                    + node.size());
        }
        List<FaultRule> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String path = field + "[" + i + "]";
            try {
                out.add(rule(node.get(i)));
            } catch (FaultPlanException e) {
                throw e.under(path);
            }
        }
        return out;
    }

    static FaultRule rule(JsonNode node) {
        if (!node.isObject()) {
            throw new FaultPlanException("", "must be an object such as {\"operation\": \"*\", \"latencyMs\": 100}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!RULE_FIELDS.contains(name)) {
                throw new FaultPlanException(name, "is not a field of a fault rule; its fields are "
                        + String.join(", ", RULE_FIELDS));
            }
        }
        String error = text(node, "error");
        FaultError faultError = null;
        if (error != null) {
            faultError = FaultError.ofShapeName(error);
            if (faultError == null) {
                throw new FaultPlanException("error", "must be one of " + String.join(", ", FaultError.shapeNames()));
            }
        }
        String phase = text(node, "phase");
        FaultPhase faultPhase = FaultPhase.BEFORE;
        if (phase != null) {
            faultPhase = FaultPhase.ofWireName(phase);
            if (faultPhase == null) {
                throw new FaultPlanException("phase", "must be before (the operation does not run) or after"
                        + " (it runs and commits, then the answer is replaced)");
            }
        }
        Integer latency = integer(node, "latencyMs");
        Double probability = null;
        JsonNode p = node.get("probability");
        if (p != null && !p.isNull()) {
            if (!p.isNumber()) {
                throw new FaultPlanException("probability", "must be a number between 0 and 1");
            }
            probability = p.doubleValue();
        }
        return new FaultRule(text(node, "id"), text(node, "operation"), text(node, "accountId"), faultError,
                latency == null ? 0 : latency, faultPhase, probability, integer(node, "count"), text(node, "message"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new FaultPlanException(field, "must be a string");
        }
        return v.textValue();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new FaultPlanException(field, "must be a whole number");
        }
        if (!v.canConvertToInt()) {
            throw new FaultPlanException(field, "is out of range");
        }
        return v.intValue();
    }

    static ObjectNode write(FaultRule r) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (r.id() != null) {
            out.put("id", r.id());
        }
        out.put("operation", r.operation());
        if (r.accountId() != null) {
            out.put("accountId", r.accountId());
        }
        if (r.error() != null) {
            out.put("error", r.error().shapeName());
        }
        if (r.latencyMs() > 0) {
            out.put("latencyMs", r.latencyMs());
        }
        out.put("phase", r.phase().wireName());
        if (r.probability() != null) {
            out.put("probability", r.probability());
        }
        if (r.count() != null) {
            out.put("count", r.count());
        }
        if (r.message() != null) {
            out.put("message", r.message());
        }
        return out;
    }
}
