package io.wickrlocal.protocol.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultPlanTest {
    private static final List<String> OPERATIONS = List.of("BatchToggleUserSuspendStatus", "ListUsers", "GetUser");

    @Test
    void aJsonPlanReadsEveryField() {
        FaultPlan plan = FaultPlan.parse("""
                {"seed": 42, "rules": [
                  {"id": "lost", "operation": "BatchToggleUserSuspendStatus", "accountId": "000000000000",
                   "error": "InternalServerError", "phase": "after", "count": 2, "message": "gone"},
                  {"operation": "*", "latencyMs": 150, "probability": 0.25},
                  {"operation": "ListUsers", "error": "RateLimitError"}
                ]}""");
        assertThat(plan.seed()).isEqualTo(42L);
        assertThat(plan.rules()).containsExactly(
                new FaultRule("lost", "BatchToggleUserSuspendStatus", "000000000000", FaultError.INTERNAL_SERVER_ERROR,
                        0, FaultPhase.AFTER, null, 2, "gone"),
                FaultRule.on("*").withLatencyMs(150).withProbability(0.25),
                FaultRule.on("ListUsers").withError(FaultError.RATE_LIMIT));
        assertThat(plan.rules().get(2).phase()).isEqualTo(FaultPhase.BEFORE);
        assertThat(FaultPlan.parse(plan.toJson().toString())).isEqualTo(plan);
    }

    @Test
    void yamlReadsToTheSamePlan(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("faults.yaml");
        Files.writeString(yaml, """
                # next two toggles fail after they committed
                seed: 42
                rules:
                  - operation: BatchToggleUserSuspendStatus
                    error: InternalServerError
                    phase: after
                    count: 2
                  - operation: '*'
                    latencyMs: 150
                    probability: 0.25
                """);
        assertThat(FaultPlan.read(yaml)).isEqualTo(FaultPlan.of(
                FaultRule.on("BatchToggleUserSuspendStatus").withError(FaultError.INTERNAL_SERVER_ERROR)
                        .withPhase(FaultPhase.AFTER).withCount(2),
                FaultRule.on("*").withLatencyMs(150).withProbability(0.25)).withSeed(42));
    }

    @Test
    void mistakesInAFileNameTheFileTheLineAndTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("faults.json");
        Files.writeString(file, """
                {
                  "rules": [
                    {"operation": "ListUsers", "latencyMs": 10},
                    {
                      "operation": "GetUser",
                      "error": "RateLimitError",
                      "probability": 1.5
                    }
                  ]
                }
                """);
        assertThatThrownBy(() -> FaultPlan.read(file)).isInstanceOfSatisfying(FaultPlanException.class, e -> {
            assertThat(e.field()).isEqualTo("rules[1].probability");
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.getMessage()).isEqualTo(file + ": line 7: rules[1].probability must be between 0 and 1");
        });

        Path yaml = dir.resolve("faults.yml");
        Files.writeString(yaml, "rules:\n  - operation: GetUser\n    error: Boom\n");
        assertThatThrownBy(() -> FaultPlan.read(yaml)).hasMessage(
                yaml + ": line 3: rules[0].error must be one of RateLimitError, InternalServerError");
    }

    @Test
    void everyKindOfMistakeIsExplained() {
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"eror\": \"RateLimitError\"}]}",
                "rules[0].eror", "is not a field of a fault rule");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\"}]}", "rules[0]", "needs an error, a latencyMs");
        assertProblem("{\"rules\": [{\"error\": \"RateLimitError\"}]}", "rules[0].operation", "is required");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 20001}]}", "rules[0].latencyMs",
                "between 0 and 20000");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 1.5}]}", "rules[0].latencyMs",
                "whole number");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 5, \"count\": 0}]}", "rules[0].count",
                "at least 1");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 5, \"phase\": \"during\"}]}",
                "rules[0].phase", "must be before");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 5, \"accountId\": \"12\"}]}",
                "rules[0].accountId", "12 digits");
        assertProblem("{\"rules\": [{\"operation\": \"GetUser\", \"latencyMs\": 5, \"message\": \"m\"}]}",
                "rules[0].message", "needs an error");
        assertProblem("{\"rules\": [{\"operation\": \"Get User\", \"latencyMs\": 5}]}", "rules[0].operation",
                "operation name");
        assertProblem("{\"rules\": [{\"id\": \"a\", \"operation\": \"*\", \"latencyMs\": 5},"
                + " {\"id\": \"a\", \"operation\": \"*\", \"latencyMs\": 5}]}", "rules[1].id", "unique");
        assertProblem("{\"rules\": {}}", "rules", "must be a list");
        assertProblem("{\"seed\": \"x\", \"rules\": []}", "seed", "whole number");
        assertProblem("{\"rule\": []}", "rule", "not a field of a fault plan");
        assertProblem("{}", "rules", "is required");
        assertProblem("[]", "", "must be an object");
        assertProblem("{\"rules\": [}", "", "not valid JSON");
        assertProblem("{\"rules\": [], \"rules\": []}", "", "not valid JSON");
        assertProblem("rules: [\n  {operation: *}\n]", "", "not valid YAML");
    }

    @Test
    void aParseErrorCarriesItsLine() {
        assertThatThrownBy(() -> FaultPlan.parse("{\n\"rules\": [\n  {\"operation\": \"GetUser\",,}\n]}"))
                .isInstanceOfSatisfying(FaultPlanException.class, e -> assertThat(e.line()).isEqualTo(3));
    }

    @Test
    void installingChecksOperationNamesAgainstTheContract(@TempDir Path dir) throws Exception {
        FaultInjector injector = new FaultInjector(OPERATIONS);
        Path file = dir.resolve("plan.json");
        Files.writeString(file, "{\"rules\": [\n{\"operation\": \"GetUser\", \"latencyMs\": 1},\n"
                + "{\"operation\": \"getuser\", \"latencyMs\": 1}]}");
        assertThatThrownBy(() -> injector.replace(FaultPlan.read(file))).hasMessage(file
                + ": line 3: rules[1].operation 'getuser' is not an operation of the Wickr Admin API"
                + " (did you mean GetUser?)");
        assertThatThrownBy(() -> injector.replace(FaultPlan.of(FaultRule.on("BatchToggleUserSuspendStatu")
                .withLatencyMs(1)))).hasMessageEndingWith("(did you mean BatchToggleUserSuspendStatus?)");
        assertThatThrownBy(() -> injector.replace(FaultPlan.of(FaultRule.on("DeleteEverything").withLatencyMs(1))))
                .hasMessageEndingWith("is not an operation of the Wickr Admin API");
        assertThatThrownBy(() -> injector.replace(FaultPlan.of(FaultRule.on("LocalSignIn").withLatencyMs(1))))
                .hasMessageContaining("never apply to Wickr Local's own /_local operations");
        assertThat(injector.rules()).isEmpty();
    }

    @Test
    void aMissingFileIsSaidPlainly(@TempDir Path dir) {
        assertThatThrownBy(() -> FaultPlan.read(dir.resolve("nope.json"))).isInstanceOf(FaultPlanException.class)
                .hasMessageContaining("nope.json").hasMessageContaining("cannot be read");
    }

    @Test
    void rulesBuiltInCodeAreCheckedToo() {
        assertThatThrownBy(() -> FaultRule.on("GetUser").withProbability(-0.1)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> FaultPlan.of(FaultRule.on("GetUser"))).hasMessage(
                "rules[0] needs an error, a latencyMs above 0, or both");
        assertThat(FaultPlan.none().isEmpty()).isTrue();
    }

    private static void assertProblem(String text, String field, String reason) {
        assertThatThrownBy(() -> FaultPlan.parse(text)).as(text).isInstanceOfSatisfying(FaultPlanException.class, e -> {
            assertThat(e.field()).as(text).isEqualTo(field);
            assertThat(e.reason()).as(text).contains(reason);
        });
    }
}
