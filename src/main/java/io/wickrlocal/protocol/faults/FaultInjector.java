package io.wickrlocal.protocol.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The installed fault plan of a running server, and the decision for each call. In each phase the
 * rules of that phase are tried in order: every matching rule that acts adds its latency, and the
 * first one with an error ends the search and gives the answer, so later rules are not consulted
 * and their counts are not spent. A rule with a count acts exactly that many times, however many
 * calls race for it.
 *
 * <p>Deciding costs one volatile read when no rule is installed. Random draws come from one
 * generator seeded by the plan (or by a seed chosen at install, which {@link #seed()} reports), so a
 * sequence of calls made one after another meets the same faults on every run; calls made
 * concurrently draw in the order they arrive.
 */
public final class FaultInjector {
    private static final Snapshot EMPTY = new Snapshot(new Active[0], 0L, new Random(0));

    private final Set<String> operations;
    private final Object writes = new Object();
    private volatile Snapshot installed = EMPTY;

    /** @param operations the operation names of the contract a rule may name (besides {@code *}) */
    public FaultInjector(Collection<String> operations) {
        this.operations = Set.copyOf(operations);
    }

    /**
     * The rules in force now, for one request to use in both its phases: a request costs one
     * volatile read, and a plan changed while it runs applies from the next request on.
     */
    public Snapshot snapshot() {
        return installed;
    }

    /** The fault of a call in the given phase under the rules in force now, or null to leave it alone. */
    public InjectedFault decide(FaultPhase phase, String operation, String accountId) {
        return installed.decide(phase, operation, accountId);
    }

    /** Replaces every rule, with fresh counts, and restarts the random draws from the plan's seed. */
    public void replace(FaultPlan plan) {
        checkOperations(plan, plan.rules(), "rules");
        synchronized (writes) {
            long seed = plan.seed() != null ? plan.seed() : ThreadLocalRandom.current().nextLong(1L << 48);
            installed = new Snapshot(activate(plan.rules(), Set.of(), 0), seed, new Random(seed));
        }
    }

    /**
     * Adds rules after the installed ones; those keep their counts and the draws go on.
     * A problem is reported with the field {@code rules[i]...} of the added list.
     */
    public void add(List<FaultRule> rules) {
        checkOperations(null, rules, "rules");
        synchronized (writes) {
            Snapshot now = installed;
            Set<String> taken = new HashSet<>();
            for (Active a : now.all) {
                taken.add(a.id);
            }
            FaultPlan.checkRules(rules, taken);
            if (now.all.length + rules.size() > FaultPlan.MAX_RULES) {
                throw new FaultPlanException("rules", "would make " + (now.all.length + rules.size())
                        + " rules; at most " + FaultPlan.MAX_RULES + " can be installed");
            }
            Active[] added = activate(rules, taken, now.all.length);
            Active[] all = new Active[now.all.length + added.length];
            System.arraycopy(now.all, 0, all, 0, now.all.length);
            System.arraycopy(added, 0, all, now.all.length, added.length);
            installed = new Snapshot(all, now.seed, now.random);
        }
    }

    /** Removes every rule. */
    public void clear() {
        synchronized (writes) {
            installed = new Snapshot(new Active[0], installed.seed, installed.random);
        }
    }

    /** The seed of the random draws in use. */
    public long seed() {
        return installed.seed;
    }

    /** The installed rules with what they have done so far, in order. */
    public List<RuleStatus> rules() {
        Snapshot now = installed;
        List<RuleStatus> out = new ArrayList<>(now.all.length);
        for (Active a : now.all) {
            out.add(a.status());
        }
        return out;
    }

    /**
     * The state of one installed rule.
     *
     * @param rule      the rule, with its id filled in
     * @param remaining how many more times it acts, or null when it has no count
     * @param matched   calls it matched while it could still act
     * @param fired     calls it acted on
     */
    public record RuleStatus(FaultRule rule, Integer remaining, long matched, long fired) {}

    private void checkOperations(FaultPlan plan, List<FaultRule> rules, String field) {
        for (int i = 0; i < rules.size(); i++) {
            String op = rules.get(i).operation();
            if (!op.equals(FaultRule.ANY_OPERATION) && !operations.contains(op)) {
                FaultPlanException e = new FaultPlanException(field + "[" + i + "].operation", "'" + op
                        + "' is not an operation of the Wickr Admin API" + suggestion(op));
                throw plan == null ? e : plan.located(e);
            }
        }
    }

    private String suggestion(String op) {
        String lower = op.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("local")) {
            return "; faults never apply to Wickr Local's own /_local operations";
        }
        String best = null;
        int bestDistance = 4; // further than three edits is a different name, not a typo
        for (String known : operations) {
            int d = distance(lower, known.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance || d == bestDistance && best != null && known.compareTo(best) < 0) {
                best = known;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Levenshtein distance, for suggesting the operation a misspelt name meant. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Active[] activate(List<FaultRule> rules, Set<String> takenIds, int offset) {
        Set<String> taken = new HashSet<>(takenIds);
        rules.forEach(r -> {
            if (r.id() != null) {
                taken.add(r.id());
            }
        });
        Active[] out = new Active[rules.size()];
        int next = offset;
        for (int i = 0; i < rules.size(); i++) {
            FaultRule r = rules.get(i);
            if (r.id() == null) {
                String id;
                do {
                    id = "rule-" + (++next);
                } while (!taken.add(id));
                r = r.withId(id);
            }
            out[i] = new Active(r);
        }
        return out;
    }

    /**
     * One installed set of rules, split by phase so a call looks only at the rules of its phase. The
     * rules' counters are shared with later snapshots that keep them (after an add).
     */
    public static final class Snapshot {
        private final Active[] all;
        private final Active[] before;
        private final Active[] after;
        private final long seed;
        private final Random random;

        private Snapshot(Active[] all, long seed, Random random) {
            this.all = all;
            this.before = java.util.Arrays.stream(all).filter(a -> a.rule.phase() == FaultPhase.BEFORE)
                    .toArray(Active[]::new);
            this.after = java.util.Arrays.stream(all).filter(a -> a.rule.phase() == FaultPhase.AFTER)
                    .toArray(Active[]::new);
            this.seed = seed;
            this.random = random;
        }

        /** The fault of a call in the given phase, or null to leave the call alone. */
        public InjectedFault decide(FaultPhase phase, String operation, String accountId) {
            Active[] rules = phase == FaultPhase.BEFORE ? before : after;
            List<String> acted = null;
            int latency = 0;
            for (Active rule : rules) {
                if (!rule.tryAct(operation, accountId, random)) {
                    continue;
                }
                if (acted == null) {
                    acted = new ArrayList<>(2);
                }
                acted.add(rule.id);
                latency = Math.min(FaultRule.MAX_LATENCY_MS, latency + rule.rule.latencyMs());
                if (rule.rule.error() != null) {
                    return new InjectedFault(acted, phase, rule.rule.error(), latency, rule.message);
                }
            }
            return acted == null ? null : new InjectedFault(acted, phase, null, latency, null);
        }
    }

    /** A rule with its counters. */
    private static final class Active {
        final FaultRule rule;
        final String id;
        final String message;
        final AtomicInteger remaining;
        final AtomicLong matched = new AtomicLong();
        final AtomicLong fired = new AtomicLong();

        Active(FaultRule rule) {
            this.rule = rule;
            this.id = rule.id();
            this.message = message(rule);
            this.remaining = rule.count() == null ? null : new AtomicInteger(rule.count());
        }

        /** Whether the rule acts on this call; spends one of its count when it does. */
        boolean tryAct(String operation, String accountId, Random random) {
            if (!rule.matches(operation, accountId) || (remaining != null && remaining.get() <= 0)) {
                return false;
            }
            matched.incrementAndGet();
            Double p = rule.probability();
            if (p != null && !(random.nextDouble() < p)) {
                return false;
            }
            // Taking one of the count with a compare-and-set is what makes "the next N calls" exact
            // when calls race: each unit of the count goes to exactly one call.
            if (remaining != null && remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
                return false;
            }
            fired.incrementAndGet();
            return true;
        }

        RuleStatus status() {
            return new RuleStatus(rule, remaining == null ? null : remaining.get(), matched.get(), fired.get());
        }

        private static String message(FaultRule r) {
            if (r.message() != null || r.error() == null) {
                return r.message();
            }
            String origin = "(fault injected by Wickr Local rule '" + r.id() + "')";
            if (r.error() == FaultError.RATE_LIMIT) {
                return r.phase() == FaultPhase.BEFORE
                        ? "Rate exceeded; the request was not carried out, retry later " + origin
                        : "Rate exceeded after the request was carried out; a retry with the same client token"
                                + " returns its answer " + origin;
            }
            return r.phase() == FaultPhase.BEFORE
                    ? "Internal failure; the request was not carried out and is safe to retry " + origin
                    : "Internal failure while answering; the request was carried out, and a retry with the same"
                            + " client token returns its answer " + origin;
        }
    }
}
