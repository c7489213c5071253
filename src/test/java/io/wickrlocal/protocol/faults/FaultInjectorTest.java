package io.wickrlocal.protocol.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private static final String TOGGLE = "BatchToggleUserSuspendStatus";
    private static final String ACCOUNT = "000000000000";
    private final FaultInjector injector = new FaultInjector(List.of(TOGGLE, "ListUsers", "GetUser"));

    @Test
    void withoutRulesNoCallIsTouched() {
        assertThat(injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT)).isNull();
        assertThat(injector.decide(FaultPhase.AFTER, TOGGLE, ACCOUNT)).isNull();
        assertThat(injector.rules()).isEmpty();
    }

    @Test
    void aCountedRuleActsOnTheNextNMatchingCallsOnly() {
        injector.replace(FaultPlan.of(FaultRule.on(TOGGLE).withError(FaultError.INTERNAL_SERVER_ERROR)
                .withPhase(FaultPhase.AFTER).withCount(2)));
        assertThat(injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT)).as("not its phase").isNull();
        assertThat(injector.decide(FaultPhase.AFTER, "ListUsers", ACCOUNT)).as("not its operation").isNull();
        InjectedFault first = injector.decide(FaultPhase.AFTER, TOGGLE, ACCOUNT);
        assertThat(first).isNotNull();
        assertThat(first.error()).isEqualTo(FaultError.INTERNAL_SERVER_ERROR);
        assertThat(first.ruleIds()).containsExactly("rule-1");
        assertThat(first.message()).contains("the request was carried out", "rule-1");
        assertThat(injector.decide(FaultPhase.AFTER, TOGGLE, ACCOUNT)).isNotNull();
        assertThat(injector.decide(FaultPhase.AFTER, TOGGLE, ACCOUNT)).isNull();
        assertThat(injector.decide(FaultPhase.AFTER, TOGGLE, ACCOUNT)).isNull();
        FaultInjector.RuleStatus status = injector.rules().get(0);
        assertThat(status.remaining()).isZero();
        assertThat(status.matched()).isEqualTo(2);
        assertThat(status.fired()).isEqualTo(2);
    }

    @Test
    void racingCallsSpendACountExactlyOnceEach() throws Exception {
        injector.replace(FaultPlan.of(FaultRule.on("*").withError(FaultError.RATE_LIMIT).withCount(1000)));
        int total = racingFaults(8, 2000, t -> ACCOUNT);
        assertThat(total).isEqualTo(1000);
        assertThat(injector.rules().get(0).fired()).isEqualTo(1000);
        assertThat(injector.rules().get(0).remaining()).isZero();
    }

    @Test
    void aSeededProbabilityGivesTheSameFaultsOnEveryRun() {
        FaultPlan plan = FaultPlan.of(FaultRule.on("*").withError(FaultError.RATE_LIMIT).withProbability(0.3))
                .withSeed(1234);
        injector.replace(plan);
        List<Boolean> first = draws(200);
        injector.replace(plan);
        List<Boolean> second = draws(200);
        assertThat(second).isEqualTo(first);
        long fired = first.stream().filter(b -> b).count();
        assertThat(fired).isBetween(35L, 85L); // about 30% of 200
        assertThat(injector.seed()).isEqualTo(1234);
        injector.replace(plan.withSeed(99));
        assertThat(draws(200)).isNotEqualTo(first);
    }

    @Test
    void probabilitiesZeroAndOneAreNeverAndAlways() {
        injector.replace(FaultPlan.of(FaultRule.on("GetUser").withLatencyMs(5).withProbability(0),
                FaultRule.on("ListUsers").withLatencyMs(5).withProbability(1)));
        for (int i = 0; i < 100; i++) {
            assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", ACCOUNT)).isNull();
            assertThat(injector.decide(FaultPhase.BEFORE, "ListUsers", ACCOUNT)).isNotNull();
        }
        assertThat(injector.rules().get(0).matched()).isEqualTo(100);
        assertThat(injector.rules().get(0).fired()).isZero();
    }

    @Test
    void withoutASeedOneIsChosenAndReported() {
        injector.replace(FaultPlan.of(FaultRule.on("*").withError(FaultError.RATE_LIMIT).withProbability(0.5)));
        long seed = injector.seed();
        List<Boolean> first = draws(100);
        injector.replace(FaultPlan.of(FaultRule.on("*").withError(FaultError.RATE_LIMIT).withProbability(0.5))
                .withSeed(seed));
        assertThat(draws(100)).isEqualTo(first);
    }

    @Test
    void theFirstErrorEndsTheSearchAndLaterRulesKeepTheirCounts() {
        injector.replace(FaultPlan.of(
                FaultRule.on(TOGGLE).withId("storm").withError(FaultError.RATE_LIMIT).withCount(2),
                FaultRule.on("*").withId("slow").withLatencyMs(30).withCount(5)));
        assertThat(injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT).ruleIds()).containsExactly("storm");
        assertThat(injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT).ruleIds()).containsExactly("storm");
        InjectedFault third = injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT);
        assertThat(third.ruleIds()).containsExactly("slow");
        assertThat(third.error()).isNull();
        assertThat(third.latencyMs()).isEqualTo(30);
        assertThat(injector.rules()).extracting(FaultInjector.RuleStatus::remaining).containsExactly(0, 4);
    }

    @Test
    void latenciesAddUpUntilAnError() {
        injector.replace(FaultPlan.of(
                FaultRule.on("*").withId("slow").withLatencyMs(30),
                FaultRule.on("*").withId("slower").withLatencyMs(15_000),
                FaultRule.on(TOGGLE).withId("storm").withError(FaultError.RATE_LIMIT).withLatencyMs(10_000)
                        .withCount(1),
                FaultRule.on("*").withId("never").withError(FaultError.INTERNAL_SERVER_ERROR).withCount(1)));
        InjectedFault first = injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT);
        assertThat(first.ruleIds()).containsExactly("slow", "slower", "storm");
        assertThat(first.error()).isEqualTo(FaultError.RATE_LIMIT);
        assertThat(first.latencyMs()).as("capped").isEqualTo(FaultRule.MAX_LATENCY_MS);
        assertThat(first.message()).contains("'storm'");
        assertThat(injector.rules().get(3).matched()).as("not consulted after the error").isZero();
        InjectedFault second = injector.decide(FaultPhase.BEFORE, TOGGLE, ACCOUNT);
        assertThat(second.ruleIds()).containsExactly("slow", "slower", "never");
        assertThat(second.error()).isEqualTo(FaultError.INTERNAL_SERVER_ERROR);
    }

    @Test
    void aRuleForOneAccountLeavesTheOthersAlone() {
        injector.replace(FaultPlan.of(FaultRule.on("*").withAccountId("111111111111")
                .withError(FaultError.INTERNAL_SERVER_ERROR)));
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", ACCOUNT)).isNull();
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", "111111111111")).isNotNull();
    }

    @Test
    void addingKeepsTheInstalledRulesAndTheirCountsAndClearingRemovesAll() {
        injector.replace(FaultPlan.of(FaultRule.on("GetUser").withLatencyMs(1).withCount(3)));
        injector.decide(FaultPhase.BEFORE, "GetUser", ACCOUNT);
        injector.add(List.of(FaultRule.on("ListUsers").withLatencyMs(1), FaultRule.on("*").withId("rule-3")
                .withLatencyMs(2)));
        assertThat(injector.rules()).extracting(s -> s.rule().id()).containsExactly("rule-1", "rule-2", "rule-3");
        assertThat(injector.rules().get(0).remaining()).isEqualTo(2);
        assertThatThrownBy(() -> injector.add(List.of(FaultRule.on("*").withId("rule-2").withLatencyMs(1))))
                .isInstanceOfSatisfying(FaultPlanException.class, e -> {
                    assertThat(e.field()).isEqualTo("rules[0].id");
                    assertThat(e.reason()).contains("already installed");
                });
        assertThatThrownBy(() -> injector.add(List.of(FaultRule.on("Nope").withLatencyMs(1))))
                .hasMessageContaining("rules[0].operation 'Nope' is not an operation");
        assertThat(injector.rules()).hasSize(3);
        injector.clear();
        assertThat(injector.rules()).isEmpty();
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", ACCOUNT)).isNull();
    }

    @Test
    void messagesSayWhetherTheRequestWasCarriedOut() {
        injector.replace(FaultPlan.of(FaultRule.on("GetUser").withError(FaultError.RATE_LIMIT),
                FaultRule.on("ListUsers").withError(FaultError.INTERNAL_SERVER_ERROR).withMessage("custom")));
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", ACCOUNT).message())
                .startsWith("Rate exceeded; the request was not carried out");
        assertThat(injector.decide(FaultPhase.BEFORE, "ListUsers", ACCOUNT).message()).isEqualTo("custom");
    }

    private static final String A = "111111111111";
    private static final String B = "222222222222";

    @Test
    void theServersRulesComeFirstThenTheAccountsOwn() {
        injector.replace(FaultPlan.of(FaultRule.on("*").withId("slow").withLatencyMs(10),
                FaultRule.on("ListUsers").withId("server-storm").withError(FaultError.RATE_LIMIT).withCount(1),
                FaultRule.on("*").withId("for-b").withAccountId(B).withLatencyMs(7)));
        injector.replace(A, FaultPlan.of(FaultRule.on("*").withId("own-slow").withLatencyMs(5),
                FaultRule.on("ListUsers").withId("own-storm").withError(FaultError.INTERNAL_SERVER_ERROR).withCount(1)));
        InjectedFault first = injector.decide(FaultPhase.BEFORE, "ListUsers", A);
        assertThat(first.ruleIds()).containsExactly("slow", "server-storm");
        assertThat(first.error()).isEqualTo(FaultError.RATE_LIMIT);
        assertThat(injector.rules(A).get(1).remaining()).as("not consulted after the error").isEqualTo(1);
        InjectedFault second = injector.decide(FaultPhase.BEFORE, "ListUsers", A);
        assertThat(second.ruleIds()).containsExactly("slow", "own-slow", "own-storm");
        assertThat(second.latencyMs()).isEqualTo(15);
        assertThat(injector.decide(FaultPhase.BEFORE, "ListUsers", A).ruleIds()).containsExactly("slow", "own-slow");
        assertThat(injector.decide(FaultPhase.BEFORE, "ListUsers", B).ruleIds()).containsExactly("slow", "for-b");
        assertThat(injector.applying(A)).extracting(s -> s.rule().id() + "/" + s.owner())
                .containsExactly("slow/operator", "server-storm/operator", "own-slow/" + A, "own-storm/" + A);
        assertThat(injector.applying(B)).extracting(s -> s.rule().id())
                .containsExactly("slow", "server-storm", "for-b");
        assertThat(injector.all()).extracting(s -> s.rule().id())
                .containsExactly("slow", "server-storm", "for-b", "own-slow", "own-storm");
    }

    @Test
    void anAccountsRulesAreItsOwnAndActOnItsCallsOnly() {
        injector.replace(A, FaultPlan.of(FaultRule.on("*").withError(FaultError.INTERNAL_SERVER_ERROR)));
        assertThat(injector.rules(A).get(0).rule().accountId()).as("scoped to the account").isEqualTo(A);
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", A)).isNotNull();
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", B)).isNull();
        assertThat(injector.rules()).as("the server's plan").isEmpty();
        assertThat(injector.applying(B)).isEmpty();
        assertThatThrownBy(() -> injector.add(B, List.of(FaultRule.on("*").withAccountId(A).withLatencyMs(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rules[0].accountId");
        assertThatThrownBy(() -> injector.replace(B, FaultPlan.of(FaultRule.on("*").withAccountId(A)
                .withLatencyMs(1)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(injector.rules(B)).isEmpty();
        injector.clear();
        assertThat(injector.rules(A)).as("clearing the server's plan leaves the accounts'").hasSize(1);
        injector.clear(B);
        assertThat(injector.rules(A)).hasSize(1);
        injector.clear(A);
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", A)).isNull();
    }

    @Test
    void withoutAccountRulesEveryAccountSharesTheServersSnapshot() {
        assertThat(injector.snapshot(A)).isSameAs(injector.snapshot(B));
        injector.replace(FaultPlan.of(FaultRule.on("*").withLatencyMs(1)));
        assertThat(injector.snapshot(A)).isSameAs(injector.snapshot(B));
        injector.replace(A, FaultPlan.of(FaultRule.on("*").withLatencyMs(1)));
        assertThat(injector.snapshot(A)).isNotSameAs(injector.snapshot(B));
        injector.clear(A);
        assertThat(injector.snapshot(A)).isSameAs(injector.snapshot(B));
    }

    @Test
    void anAccountsSeededDrawsAreNotPerturbedByAnotherAccountsCalls() {
        FaultPlan plan = FaultPlan.of(FaultRule.on("*").withError(FaultError.RATE_LIMIT).withProbability(0.5))
                .withSeed(77);
        injector.replace(A, plan);
        List<Boolean> alone = draws(A, 100, null);
        injector.replace(A, plan);
        injector.replace(B, plan.withSeed(78));
        assertThat(draws(A, 100, B)).isEqualTo(alone);
        assertThat(injector.seed(A)).isEqualTo(77);
        assertThat(injector.seed(B)).isEqualTo(78);
        long fresh = injector.seed("333333333333");
        assertThat(injector.seed("333333333333")).as("chosen once and kept").isEqualTo(fresh);
    }

    @Test
    void countsStayExactWhenAccountsRace() throws Exception {
        injector.replace(FaultPlan.of(FaultRule.on("*").withError(FaultError.RATE_LIMIT).withCount(1000)));
        injector.replace(A, FaultPlan.of(FaultRule.on("*").withError(FaultError.INTERNAL_SERVER_ERROR).withCount(300)));
        int total = racingFaults(8, 2000, t -> t % 2 == 0 ? A : B);
        assertThat(total).isEqualTo(1300);
        assertThat(injector.rules().get(0).fired()).isEqualTo(1000);
        assertThat(injector.rules(A).get(0).fired()).isEqualTo(300);
    }

    @Test
    void eachOwnerIsBoundedOnItsOwnAndResetRemovesEveryAccountsRules() {
        List<FaultRule> full = new ArrayList<>();
        for (int i = 0; i < FaultPlan.MAX_RULES; i++) {
            full.add(FaultRule.on("GetUser").withLatencyMs(1));
        }
        injector.replace(FaultPlan.of(full));
        injector.replace(A, FaultPlan.of(full));
        injector.add(B, full);
        assertThatThrownBy(() -> injector.add(A, List.of(FaultRule.on("GetUser").withLatencyMs(1))))
                .isInstanceOfSatisfying(FaultPlanException.class, e -> assertThat(e.reason()).contains("at most 100"));
        assertThat(injector.all()).hasSize(3 * FaultPlan.MAX_RULES);
        injector.reset(FaultPlan.of(FaultRule.on("ListUsers").withLatencyMs(2)).withSeed(3));
        assertThat(injector.all()).extracting(s -> s.rule().operation()).containsExactly("ListUsers");
        assertThat(injector.seed()).isEqualTo(3);
        assertThat(injector.decide(FaultPhase.BEFORE, "GetUser", A)).isNull();
    }

    private List<Boolean> draws(String account, int n, String interleaved) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(injector.decide(FaultPhase.BEFORE, "GetUser", account) != null);
            if (interleaved != null) {
                injector.decide(FaultPhase.BEFORE, "GetUser", interleaved);
                injector.decide(FaultPhase.BEFORE, "ListUsers", interleaved);
            }
        }
        return out;
    }

    private List<Boolean> draws(int n) {
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(injector.decide(FaultPhase.BEFORE, "GetUser", ACCOUNT) != null);
        }
        return out;
    }

    /**
     * {@code threads} threads, released together, each deciding {@code callsEach} calls of the thread's
     * account; answers how many calls got a fault.
     */
    private int racingFaults(int threads, int callsEach, java.util.function.IntFunction<String> accountOf)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> hits = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String account = accountOf.apply(t);
            hits.add(pool.submit(() -> {
                start.await();
                int n = 0;
                for (int i = 0; i < callsEach; i++) {
                    if (injector.decide(FaultPhase.BEFORE, TOGGLE, account) != null) {
                        n++;
                    }
                }
                return n;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> f : hits) {
            total += f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return total;
    }
}
