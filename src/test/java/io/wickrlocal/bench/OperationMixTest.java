package io.wickrlocal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationMixTest {

    @Test
    void picksEachOperationInProportionToItsWeight() {
        OperationMix mix = OperationMix.parse("toggle=8,get-user=1,list-users=1");
        assertThat(mix.totalWeight()).isEqualTo(10);
        Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
        for (int draw = 0; draw < mix.totalWeight(); draw++) {
            counts.merge(mix.pick(draw), 1, Integer::sum);
        }
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(
                Map.of(Operation.TOGGLE, 8, Operation.GET_USER, 1, Operation.LIST_USERS, 1));
        assertThat(mix.includes(Operation.COUNT)).isFalse();
    }

    @Test
    void randomPicksFollowTheWeights() {
        OperationMix mix = OperationMix.parse("count=1, toggle=3");
        SplittableRandom random = new SplittableRandom(42);
        int toggles = 0;
        for (int i = 0; i < 40_000; i++) {
            if (mix.pick(random) == Operation.TOGGLE) {
                toggles++;
            }
        }
        assertThat(toggles).isBetween(29_000, 31_000);
    }

    @Test
    void zeroWeightsAreAllowedAndNeverPicked() {
        OperationMix mix = OperationMix.parse("toggle=0,count=2");
        assertThat(mix.pick(0)).isEqualTo(Operation.COUNT);
        assertThat(mix.pick(1)).isEqualTo(Operation.COUNT);
        assertThat(mix.includes(Operation.TOGGLE)).isFalse();
        assertThat(mix).hasToString("toggle=0,count=2");
    }

    @Test
    void canonicalFormFollowsTheOperationOrder() {
        assertThat(OperationMix.parse("count=1,list-users=2,get-user=3,toggle=4"))
                .hasToString("toggle=4,get-user=3,list-users=2,count=1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                       | empty",
        "toggle                   | not name=weight",
        "toggle=8,                | not name=weight",
        "suspend=1                | unknown operation 'suspend'; known: toggle, get-user, list-users, count",
        "toggle=-1                | whole number",
        "toggle=1.5               | whole number",
        "toggle=x                 | whole number",
        "toggle=1000001           | whole number",
        "toggle=1,toggle=2        | more than once",
        "toggle=0,count=0         | positive weight",
    })
    void refusesBadSpecsWithAMessageThatSaysWhy(String spec, String message) {
        assertThatThrownBy(() -> OperationMix.parse(spec))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void drawsOutsideTheRangeAreABug() {
        OperationMix mix = OperationMix.parse("toggle=1");
        assertThatThrownBy(() -> mix.pick(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mix.pick(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
