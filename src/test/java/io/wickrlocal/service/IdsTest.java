package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void aRangeWithATakenIdIsSkippedAndEveryRangeHasTenDigits() {
        List<long[]> asked = new ArrayList<>();
        long first = Ids.freeUserIdRange(50, (from, to) -> {
            asked.add(new long[] {from, to});
            return asked.size() < 3;
        });
        assertThat(asked).hasSize(3);
        assertThat(asked).allSatisfy(r -> {
            assertThat(r[1] - r[0]).isEqualTo(49);
            assertThat(r[0]).isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(r[1]).isLessThanOrEqualTo(9_999_999_999L);
        });
        assertThat(first).isEqualTo(asked.get(2)[0]);
    }

    @Test
    void givesUpWhenEveryRangeIsTaken() {
        assertThatThrownBy(() -> Ids.freeUserIdRange(5, (from, to) -> true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("free identifiers");
    }
}
