package io.wickrlocal.protocol.contract;

/**
 * A min/max pair. For strings it bounds the length, for lists the size, for numbers the value;
 * either end may be open (null).
 */
public record Limits(Long min, Long max) {
    static final Limits NONE = new Limits(null, null);

    boolean isNone() {
        return min == null && max == null;
    }

    /** The tighter of the two on each end: supplementary rules only ever narrow the model. */
    Limits narrowedBy(Limits other) {
        Long lo = min == null ? other.min : other.min == null ? min : Long.valueOf(Math.max(min, other.min));
        Long hi = max == null ? other.max : other.max == null ? max : Long.valueOf(Math.min(max, other.max));
        return new Limits(lo, hi);
    }
}
