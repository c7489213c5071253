package io.wickrlocal.protocol.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The faults a server injects: an ordered list of {@link FaultRule}s and an optional seed for the
 * random draws of rules with a probability, so that a run can be repeated. Immutable; a server
 * installs one at start-up ({@code --faults FILE}) and replaces it at run time through
 * {@code /_local/faults} or {@link FaultInjector}.
 *
 * <p>The same plan can be written as JSON or YAML:
 * <pre>{@code
 * {"seed": 7, "rules": [
 *   {"operation": "BatchToggleUserSuspendStatus", "error": "InternalServerError", "phase": "after", "count": 2},
 *   {"operation": "*", "latencyMs": 200, "probability": 0.1}
 * ]}
 * }</pre>
 */
public final class FaultPlan {
    /** Most rules a plan may have. */
    public static final int MAX_RULES = 100;
    private static final FaultPlan NONE = new FaultPlan(List.of(), null, SourceLines.NONE);

    private final List<FaultRule> rules;
    private final Long seed;
    private final SourceLines lines;

    private FaultPlan(List<FaultRule> rules, Long seed, SourceLines lines) {
        this.rules = List.copyOf(rules);
        this.seed = seed;
        this.lines = lines;
        checkRules(this.rules, Set.of());
    }

    /** A plan without rules: no call is touched. */
    public static FaultPlan none() {
        return NONE;
    }

    public static FaultPlan of(FaultRule... rules) {
        return of(List.of(rules));
    }

    public static FaultPlan of(List<FaultRule> rules) {
        return new FaultPlan(rules, null, SourceLines.NONE);
    }

    /** The same rules with a seed for their random draws. */
    public FaultPlan withSeed(long value) {
        return new FaultPlan(rules, value, lines);
    }

    /** A plan written as JSON (text starting with '{') or else as YAML. */
    public static FaultPlan parse(String text) {
        boolean json = text.stripLeading().startsWith("{");
        return FaultPlanText.read(text, json, null);
    }

    /**
     * A plan from a file: YAML when its name ends in .yaml or .yml, JSON otherwise. Problems name
     * the file, the line and the field.
     */
    public static FaultPlan read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new FaultPlanException("", "is not UTF-8 text", 0, file.toString());
        } catch (IOException e) {
            throw new FaultPlanException("", "cannot be read (" + e.getClass().getSimpleName() + ")", 0,
                    file.toString());
        }
        String lower = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return FaultPlanText.read(text, !(lower.endsWith(".yaml") || lower.endsWith(".yml")), file.toString());
    }

    /** A plan from a JSON tree of the same form as the text ({@code seed}, {@code rules}). */
    public static FaultPlan fromJson(JsonNode node) {
        return FaultPlanJson.plan(node, SourceLines.NONE);
    }

    static FaultPlan of(List<FaultRule> rules, Long seed, SourceLines lines) {
        return new FaultPlan(rules, seed, lines);
    }

    public List<FaultRule> rules() {
        return rules;
    }

    /** The seed given with the plan, or null to have the server choose one. */
    public Long seed() {
        return seed;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The plan in its JSON form, which {@link #fromJson} and {@link #parse} read back. */
    public ObjectNode toJson() {
        ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (seed != null) {
            out.put("seed", seed);
        }
        var list = out.putArray("rules");
        rules.forEach(r -> list.add(FaultPlanJson.write(r)));
        return out;
    }

    /** A problem of this plan, placed at its line when the plan was read from text. */
    FaultPlanException located(FaultPlanException e) {
        return lines.locate(e);
    }

    /**
     * Rules checked as a whole: each must do something, and ids must be unique, also against the
     * ids already taken by rules installed earlier.
     */
    static void checkRules(List<FaultRule> rules, Set<String> takenIds) {
        if (rules.size() > MAX_RULES) {
            throw new FaultPlanException("rules", "must have at most " + MAX_RULES + " rules, got " + rules.size());
        }
        Set<String> ids = new HashSet<>(takenIds);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            FaultRule rule = rules.get(i);
            if (rule == null) {
                throw new FaultPlanException("rules[" + i + "]", "must not be null");
            }
            try {
                rule.checkComplete();
            } catch (FaultPlanException e) {
                throw e.under("rules[" + i + "]");
            }
            if (rule.id() != null && !ids.add(rule.id())) {
                throw new FaultPlanException("rules[" + i + "].id", "'" + rule.id() + "' is the id of "
                        + (seen.contains(rule.id()) ? "an earlier rule" : "a rule already installed")
                        + "; ids must be unique");
            }
            seen.add(rule.id());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultPlan p && p.rules.equals(rules) && java.util.Objects.equals(p.seed, seed);
    }

    @Override
    public int hashCode() {
        return rules.hashCode() * 31 + java.util.Objects.hashCode(seed);
    }

    @Override
    public String toString() {
        return "FaultPlan" + toJson();
    }
}
