package io.wickrlocal.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void smallValuesAreExact() {
        LatencyRecorder rec = new LatencyRecorder();
        for (int i = 1; i <= 100; i++) {
            rec.record(i);
        }
        assertThat(rec.percentile(50)).isEqualTo(50);
        assertThat(rec.percentile(90)).isEqualTo(90);
        assertThat(rec.percentile(99)).isEqualTo(99);
        assertThat(rec.percentile(100)).isEqualTo(100);
        assertThat(rec.max()).isEqualTo(100);
        assertThat(rec.mean()).isEqualTo(50.5);
    }

    @Test
    void millisecondPercentilesAreWithinTheStatedPrecision() {
        LatencyRecorder rec = new LatencyRecorder();
        // 1 ms to 10 s in 1 ms steps, shuffled order does not matter for a histogram.
        for (long ms = 10_000; ms >= 1; ms--) {
            rec.record(ms * 1_000_000);
        }
        assertThat(rec.count()).isEqualTo(10_000);
        assertPercentile(rec, 50, 5_000_000_000L);
        assertPercentile(rec, 90, 9_000_000_000L);
        assertPercentile(rec, 99, 9_900_000_000L);
        assertThat(rec.max()).isEqualTo(10_000_000_000L);
        assertThat(rec.percentile(100)).isEqualTo(rec.max());
    }

    private static void assertPercentile(LatencyRecorder rec, double p, long exact) {
        // Never below the true value, and at most one sub-bucket (1/128) above it.
        assertThat(rec.percentile(p)).isBetween(exact, exact + exact / 128);
    }

    @Test
    void aSingleOutlierShowsInTheMaxAndTheTopPercentileOnly() {
        LatencyRecorder rec = new LatencyRecorder();
        for (int i = 0; i < 999; i++) {
            rec.record(2_000_000);
        }
        rec.record(3_000_000_000L);
        assertThat(rec.percentile(99)).isBetween(2_000_000L, 2_000_000L + 2_000_000L / 128);
        assertThat(rec.percentile(99.95)).isEqualTo(3_000_000_000L);
        assertThat(rec.max()).isEqualTo(3_000_000_000L);
    }

    @Test
    void bucketsAreContiguousAndEachValueFallsInsideItsBucket() {
        int previous = -1;
        for (long v = 0; v < 1 << 16; v++) {
            int index = LatencyRecorder.indexOf(v);
            assertThat(index).isIn(previous, previous + 1);
            assertThat(LatencyRecorder.highestIn(index)).isGreaterThanOrEqualTo(v);
            previous = index;
        }
        long big = 123_456_789_012L;
        assertThat(LatencyRecorder.highestIn(LatencyRecorder.indexOf(big))).isCloseTo(big, within(big / 128));
    }

    @Test
    void mergingAddsCountsAndKeepsTheLargestMax() {
        LatencyRecorder a = new LatencyRecorder();
        LatencyRecorder b = new LatencyRecorder();
        for (int i = 1; i <= 50; i++) {
            a.record(i);
            b.record(50 + i);
        }
        a.add(b);
        assertThat(a.count()).isEqualTo(100);
        assertThat(a.percentile(50)).isEqualTo(50);
        assertThat(a.max()).isEqualTo(100);
    }

    @Test
    void emptyAndOutOfRange() {
        LatencyRecorder rec = new LatencyRecorder();
        assertThat(rec.percentile(99)).isZero();
        assertThat(rec.mean()).isZero();
        rec.record(-5);
        rec.record(Long.MAX_VALUE);
        assertThat(rec.max()).isEqualTo(Long.MAX_VALUE);
        assertThat(rec.percentile(50)).isZero();
        assertThatThrownBy(() -> rec.percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rec.percentile(100.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
