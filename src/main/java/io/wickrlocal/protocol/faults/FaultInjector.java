package io.wickrlocal.protocol.faults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The installed fault plans of a running server, and the decision for each call.
 *
 * <p>Rules have an owner. The server's plan belongs to the operator: the plan given at start, rules
 * set through the Java API ({@link #replace(FaultPlan)}, {@link #add(List)}, {@link #clear()}) and
 * rules an operator credential sets through {@code /_local/faults}; its rules may name any account or
 * all of them. Each account also has a plan of its own, set by its ordinary credentials through
 * {@code /_local/faults} ({@link #replace(String, FaultPlan)} and the other methods taking an account
 * id); every rule of it matches that account's calls only, and at most {@link FaultPlan#MAX_RULES}
 * rules each.
 *
 * <p>For a call of an account, in each phase, the operator's rules that can match the account are
 * tried first, in their order, then the account's own rules, in theirs: every matching rule that
 * acts adds its latency, and the first one with an error ends the search and gives the answer, so
 * later rules are not consulted and their counts are not spent. A rule with a count acts exactly that
 * many times, however many calls race for it.
 *
 * <p>Deciding costs one volatile read, and a map lookup once some account has rules of its own. Each
 * owner's random draws come from one generator seeded by its plan (or by a seed chosen at install,
 * which {@link #seed()} and {@link #seed(String)} report), so a sequence of calls made one after
 * another meets the same faults on every run, and an account's own rules draw only for its own
 * calls; calls made concurrently draw in the order they arrive.
 */
public final class FaultInjector {
    /** The owner of the server's plan in {@link RuleStatus#owner()}. */
    public static final String OPERATOR = "operator";
    private static final Snapshot EMPTY = new Snapshot(new Active[0]);

    private final Set<String> operations;
    private final Object writes = new Object();
    private volatile State state;

    /** @param operations the operation names of the contract a rule may name (besides {@code *}) */
    public FaultInjector(Collection<String> operations) {
        this.operations = Set.copyOf(operations);
        this.state = new State(Plan.empty(OPERATOR, chooseSeed()), Map.of(), Map.of());
    }

    /**
     * The rules in force now for the calls of one account, for one request to use in both its
     * phases: a request costs one volatile read (and a map lookup once an account has rules of its
     * own), and a plan changed while it runs applies from the next request on.
     */
    public Snapshot snapshot(String accountId) {
        State now = state;
        if (now.views.isEmpty()) {
            return now.server.snapshot;
        }
        Snapshot view = now.views.get(accountId);
        return view != null ? view : now.server.snapshot;
    }

    /** The fault of a call in the given phase under the rules in force now, or null to leave it alone. */
    public InjectedFault decide(FaultPhase phase, String operation, String accountId) {
        return snapshot(accountId).decide(phase, operation, accountId);
    }

    // ---- The server's (operator's) plan ----------------------------------------------------------

    /**
     * Replaces every rule of the server's plan, with fresh counts, and restarts its random draws from
     * the plan's seed. The accounts' own rules stay.
     */
    public void replace(FaultPlan plan) {
        checkOperations(plan, plan.rules(), "rules");
        synchronized (writes) {
            setServer(Plan.of(OPERATOR, plan.rules(), plan.seed()));
        }
    }

    /**
     * Adds rules after the installed ones of the server's plan; those keep their counts and the
     * draws go on. A problem is reported with the field {@code rules[i]...} of the added list.
     */
    public void add(List<FaultRule> rules) {
        checkOperations(null, rules, "rules");
        synchronized (writes) {
            setServer(state.server.adding(rules));
        }
    }

    /** Removes every rule of the server's plan; the accounts' own rules stay. */
    public void clear() {
        synchronized (writes) {
            setServer(state.server.cleared());
        }
    }

    /**
     * Puts the server's plan back to the one given and removes every account's own rules: what a
     * reset of the whole server does.
     */
    public void reset(FaultPlan plan) {
        checkOperations(plan, plan.rules(), "rules");
        synchronized (writes) {
            state = new State(Plan.of(OPERATOR, plan.rules(), plan.seed()), Map.of(), Map.of());
        }
    }

    /** The seed of the server plan's random draws. */
    public long seed() {
        return state.server.seed;
    }

    /** The rules of the server's plan with what they have done so far, in order. */
    public List<RuleStatus> rules() {
        return statuses(state.server.rules, new ArrayList<>());
    }

    // ---- An account's own plan -------------------------------------------------------------------

    /**
     * Replaces the rules of one account's own plan, with fresh counts, and restarts that plan's random
     * draws from the plan's seed. A rule without an account is given this one.
     *
     * @throws IllegalArgumentException when a rule names another account
     */
    public void replace(String accountId, FaultPlan plan) {
        List<FaultRule> rules = scoped(accountId, plan.rules());
        checkOperations(plan, rules, "rules");
        synchronized (writes) {
            setAccount(Plan.of(accountId, rules, plan.seed()));
        }
    }

    /**
     * Adds rules after the installed ones of one account's own plan, as {@link #add(List)} does for
     * the server's. A rule without an account is given this one.
     *
     * @throws IllegalArgumentException when a rule names another account
     */
    public void add(String accountId, List<FaultRule> rules) {
        List<FaultRule> own = scoped(accountId, rules);
        checkOperations(null, own, "rules");
        synchronized (writes) {
            setAccount(account(state, accountId).adding(own));
        }
    }

    /** Removes every rule of one account's own plan; its draws go on from where they were. */
    public void clear(String accountId) {
        synchronized (writes) {
            setAccount(account(state, accountId).cleared());
        }
    }

    /** The seed of one account's own plan (chosen now when the account has never had one). */
    public long seed(String accountId) {
        Plan plan = state.accounts.get(accountId);
        if (plan != null) {
            return plan.seed;
        }
        synchronized (writes) {
            plan = state.accounts.get(accountId);
            if (plan == null) {
                plan = Plan.empty(accountId, chooseSeed());
                setAccount(plan);
            }
            return plan.seed;
        }
    }

    /** The rules of one account's own plan with what they have done so far, in order. */
    public List<RuleStatus> rules(String accountId) {
        Plan plan = state.accounts.get(accountId);
        return plan == null ? List.of() : statuses(plan.rules, new ArrayList<>());
    }

    /**
     * The rules consulted for the calls of one account, in the order they are tried: the server
     * plan's rules for that account or for every account, then the account's own.
     */
    public List<RuleStatus> applying(String accountId) {
        State now = state;
        List<RuleStatus> out = new ArrayList<>();
        for (Active a : now.server.rules) {
            if (a.rule.accountId() == null || a.rule.accountId().equals(accountId)) {
                out.add(a.status());
            }
        }
        Plan own = now.accounts.get(accountId);
        return own == null ? out : statuses(own.rules, out);
    }

    /** Every rule: the server plan's, then each account's own, by account id. */
    public List<RuleStatus> all() {
        State now = state;
        List<RuleStatus> out = statuses(now.server.rules, new ArrayList<>());
        now.accounts.keySet().stream().sorted().forEach(id -> statuses(now.accounts.get(id).rules, out));
        return out;
    }

    /**
     * The state of one installed rule.
     *
     * @param rule      the rule, with its id filled in
     * @param remaining how many more times it acts, or null when it has no count
     * @param matched   calls it matched while it could still act
     * @param fired     calls it acted on
     * @param owner     {@link #OPERATOR} for a rule of the server's plan, or the account whose own it is
     */
    public record RuleStatus(FaultRule rule, Integer remaining, long matched, long fired, String owner) {}

    private static List<RuleStatus> statuses(Active[] rules, List<RuleStatus> out) {
        for (Active a : rules) {
            out.add(a.status());
        }
        return out;
    }

    private static long chooseSeed() {
        return ThreadLocalRandom.current().nextLong(1L << 48);
    }

    /** An account's rules, each for that account; a rule for another is refused. */
    private static List<FaultRule> scoped(String accountId, List<FaultRule> rules) {
        if (accountId == null || OPERATOR.equals(accountId)) {
            throw new IllegalArgumentException("an account's plan needs the account's id");
        }
        List<FaultRule> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            FaultRule r = rules.get(i);
            if (r != null && r.accountId() != null && !r.accountId().equals(accountId)) {
                throw new IllegalArgumentException("rules[" + i + "].accountId: account " + accountId
                        + " cannot install a rule for another account");
            }
            out.add(r == null || r.accountId() != null ? r : r.withAccountId(accountId));
        }
        return out;
    }

    private static Plan account(State now, String accountId) {
        Plan plan = now.accounts.get(accountId);
        return plan != null ? plan : Plan.empty(accountId, chooseSeed());
    }

    /** Installs a new server plan and rebuilds the view of every account with rules of its own. Under writes. */
    private void setServer(Plan server) {
        State now = state;
        Map<String, Snapshot> views = new HashMap<>();
        now.accounts.forEach((id, plan) -> {
            if (plan.rules.length > 0) {
                views.put(id, view(server, plan));
            }
        });
        state = new State(server, now.accounts, Map.copyOf(views));
    }

    /** Installs a new plan of one account and rebuilds its view. Under writes. */
    private void setAccount(Plan plan) {
        State now = state;
        Map<String, Plan> accounts = new HashMap<>(now.accounts);
        accounts.put(plan.owner, plan);
        Map<String, Snapshot> views = new HashMap<>(now.views);
        if (plan.rules.length > 0) {
            views.put(plan.owner, view(now.server, plan));
        } else {
            views.remove(plan.owner);
        }
        state = new State(now.server, Map.copyOf(accounts), Map.copyOf(views));
    }

    /** The rules tried for one account's calls: the server's that can match it, then its own. */
    private static Snapshot view(Plan server, Plan own) {
        List<Active> rules = new ArrayList<>(server.rules.length + own.rules.length);
        for (Active a : server.rules) {
            if (a.rule.accountId() == null || a.rule.accountId().equals(own.owner)) {
                rules.add(a);
            }
        }
        rules.addAll(Arrays.asList(own.rules));
        return new Snapshot(rules.toArray(Active[]::new));
    }

    /**
     * The plans in force: the server's, each account's own (also those without rules, which keep
     * their seed), and for each account with rules of its own the snapshot its calls use. Replaced
     * whole on every change.
     */
    private record State(Plan server, Map<String, Plan> accounts, Map<String, Snapshot> views) {}

    /** One owner's installed rules, the seed of its draws and their generator. Immutable but for counters. */
    private static final class Plan {
        final String owner;
        final Active[] rules;
        final long seed;
        final Random random;
        final Snapshot snapshot;

        Plan(String owner, Active[] rules, long seed, Random random) {
            this.owner = owner;
            this.rules = rules;
            this.seed = seed;
            this.random = random;
            this.snapshot = rules.length == 0 ? EMPTY : new Snapshot(rules);
        }

        /** A plan of fresh rules, drawing from its seed, or from one chosen now when it has none. */
        static Plan of(String owner, List<FaultRule> rules, Long seed) {
            long s = seed != null ? seed : chooseSeed();
            Random random = new Random(s);
            return new Plan(owner, activate(owner, rules, Set.of(), 0, random), s, random);
        }

        static Plan empty(String owner, long seed) {
            return new Plan(owner, new Active[0], seed, new Random(seed));
        }

        /** This plan with rules added after its own, which keep their counts. */
        Plan adding(List<FaultRule> added) {
            Set<String> taken = new HashSet<>();
            for (Active a : rules) {
                taken.add(a.id);
            }
            FaultPlan.checkRules(added, taken);
            if (rules.length + added.size() > FaultPlan.MAX_RULES) {
                throw new FaultPlanException("rules", "would make " + (rules.length + added.size())
                        + " rules; at most " + FaultPlan.MAX_RULES + " can be installed"
                        + (OPERATOR.equals(owner) ? "" : " for an account"));
            }
            Active[] more = activate(owner, added, taken, rules.length, random);
            Active[] all = Arrays.copyOf(rules, rules.length + more.length);
            System.arraycopy(more, 0, all, rules.length, more.length);
            return new Plan(owner, all, seed, random);
        }

        Plan cleared() {
            return new Plan(owner, new Active[0], seed, random);
        }
    }

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

    private static Active[] activate(String owner, List<FaultRule> rules, Set<String> takenIds, int offset,
                                     Random random) {
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
            out[i] = new Active(r, owner, random);
        }
        return out;
    }

    /**
     * The rules tried for some calls, in order, split by phase so a call looks only at the rules of
     * its phase. The rules' counters (and their owner's random generator) are shared with every other
     * snapshot that holds them: the server plan's and each account's, and later ones that keep them
     * (after an add).
     */
    public static final class Snapshot {
        private final Active[] before;
        private final Active[] after;

        private Snapshot(Active[] rules) {
            this.before = Arrays.stream(rules).filter(a -> a.rule.phase() == FaultPhase.BEFORE)
                    .toArray(Active[]::new);
            this.after = Arrays.stream(rules).filter(a -> a.rule.phase() == FaultPhase.AFTER)
                    .toArray(Active[]::new);
        }

        /** The fault of a call in the given phase, or null to leave the call alone. */
        public InjectedFault decide(FaultPhase phase, String operation, String accountId) {
            Active[] rules = phase == FaultPhase.BEFORE ? before : after;
            List<String> acted = null;
            int latency = 0;
            for (Active rule : rules) {
                if (!rule.tryAct(operation, accountId)) {
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

    /** A rule with its counters, its owner and its owner's random generator. */
    private static final class Active {
        final FaultRule rule;
        final String id;
        final String owner;
        final Random random;
        final String message;
        final AtomicInteger remaining;
        final AtomicLong matched = new AtomicLong();
        final AtomicLong fired = new AtomicLong();

        Active(FaultRule rule, String owner, Random random) {
            this.rule = rule;
            this.id = rule.id();
            this.owner = owner;
            this.random = random;
            this.message = message(rule);
            this.remaining = rule.count() == null ? null : new AtomicInteger(rule.count());
        }

        /** Whether the rule acts on this call; spends one of its count when it does. */
        boolean tryAct(String operation, String accountId) {
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
            return new RuleStatus(rule, remaining == null ? null : remaining.get(), matched.get(), fired.get(),
                    owner);
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
