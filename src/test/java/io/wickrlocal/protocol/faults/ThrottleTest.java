package io.wickrlocal.protocol.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wickrlocal.service.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

    @Test
    void aBucketAllowsItsBurstThenRefillsAtTheRate() {
        Throttle throttle = new Throttle(new ThrottleLimit(2, 3), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.tryAcquire("000000000000", "GetUser")).as("call %d of the burst", i).isTrue();
        }
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isFalse();
        clock.advance(Duration.ofMillis(499));
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).as("one token after 0.5 s at 2/s").isTrue();
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isFalse();
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.tryAcquire("000000000000", "GetUser")).isTrue();
        }
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).as("never more than the burst").isFalse();
    }

    @Test
    void eachAccountAndOperationHasItsOwnBucket() {
        Throttle throttle = new Throttle(new ThrottleLimit(1, 1), clock);
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isTrue();
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isFalse();
        assertThat(throttle.tryAcquire("000000000000", "ListUsers")).isTrue();
        assertThat(throttle.tryAcquire("111111111111", "GetUser")).isTrue();
    }

    @Test
    void aClockSteppingBackGivesNoTokens() {
        Throttle throttle = new Throttle(new ThrottleLimit(1, 1), clock);
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isTrue();
        clock.advance(Duration.ofSeconds(-30));
        assertThat(throttle.tryAcquire("000000000000", "GetUser")).isFalse();
    }

    @Test
    void limitsAreWrittenRateColonBurst() {
        assertThat(ThrottleLimit.parse("5")).isEqualTo(new ThrottleLimit(5, 5));
        assertThat(ThrottleLimit.parse("0.5")).isEqualTo(new ThrottleLimit(0.5, 1));
        assertThat(ThrottleLimit.parse("2.5:10")).isEqualTo(new ThrottleLimit(2.5, 10));
        assertThat(ThrottleLimit.parse("2.5:10").toString()).isEqualTo("2.5:10");
        assertThatThrownBy(() -> ThrottleLimit.parse("fast")).hasMessageContaining("RATE or RATE:BURST");
        assertThatThrownBy(() -> ThrottleLimit.parse("0")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> ThrottleLimit.parse("NaN")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> ThrottleLimit.parse("5:0")).hasMessageContaining("burst");
        assertThatThrownBy(() -> ThrottleLimit.parse("5:x")).hasMessageContaining("burst");
    }
}
