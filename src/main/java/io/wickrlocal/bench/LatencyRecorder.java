package io.wickrlocal.bench;

/**
 * A log-linear latency histogram in nanoseconds: exact below 128 ns, then 128 buckets per power of two,
 * so a reported percentile is at most 1/128 (under 0.8 %) above the true value. Fixed size (37 KiB) no
 * matter how many values it holds, so a ten-minute run cannot exhaust memory. Not thread-safe: each worker
 * records into its own and they are merged at the end.
 */
final class LatencyRecorder {

    private static final int SUB_BUCKET_BITS = 7;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Values from 2^43 ns (about 2.4 hours) up land in the last bucket; {@link #max()} stays exact. */
    private static final int MAX_EXPONENT = 42;
    private static final long LARGEST_BUCKETED = (1L << (MAX_EXPONENT + 1)) - 1;

    private final long[] counts = new long[(MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS];
    private long count;
    private long max;
    private long sum;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[indexOf(Math.min(v, LARGEST_BUCKETED))]++;
        count++;
        sum += v;
        max = Math.max(max, v);
    }

    void add(LatencyRecorder other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    long max() {
        return max;
    }

    double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * The nearest-rank percentile: the smallest recorded value (to the bucket's precision) that at least
     * {@code percent} % of all values are less than or equal to. 0 when nothing was recorded.
     */
    long percentile(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percent);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestIn(i), max);
            }
        }
        return max;
    }

    static int indexOf(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BUCKET_BITS;
        int sub = (int) (v >>> shift) - SUB_BUCKETS;
        return (shift + 1) * SUB_BUCKETS + sub;
    }

    static long highestIn(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / SUB_BUCKETS - 1;
        long lowest = (long) (SUB_BUCKETS + index % SUB_BUCKETS) << shift;
        return lowest + (1L << shift) - 1;
    }
}
