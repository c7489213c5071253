package io.wickrlocal.protocol.faults;

/**
 * A sustained rate of calls per second and the burst allowed above it, for each account and
 * operation. Written {@code RATE[:BURST]} on the command line, such as {@code 5} or {@code 0.5:3};
 * without a burst, the burst is the rate rounded up (at least 1).
 */
public record ThrottleLimit(double ratePerSecond, int burst) {
    public static final double MAX_RATE = 1_000_000;

    public ThrottleLimit {
        if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("the rate must be a number of calls per second above 0 and at most "
                    + (long) MAX_RATE);
        }
        if (burst < 1 || burst > 1_000_000) {
            throw new IllegalArgumentException("the burst must be a whole number from 1 to 1000000");
        }
    }

    /** Reads {@code RATE[:BURST]}; the message of a failure says what is wrong. */
    public static ThrottleLimit parse(String text) {
        int colon = text.indexOf(':');
        String rateText = colon < 0 ? text : text.substring(0, colon);
        double rate;
        try {
            rate = Double.parseDouble(rateText.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must look like RATE or RATE:BURST (calls per second, and how many"
                    + " may come at once), such as 5 or 0.5:3; '" + rateText + "' is not a number");
        }
        if (colon < 0) {
            return new ThrottleLimit(rate, (int) Math.max(1, Math.min(1_000_000, Math.ceil(rate))));
        }
        String burstText = text.substring(colon + 1).strip();
        try {
            return new ThrottleLimit(rate, Integer.parseInt(burstText));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the burst must be a whole number from 1 to 1000000, not '"
                    + burstText + "'");
        }
    }

    @Override
    public String toString() {
        return (ratePerSecond == Math.rint(ratePerSecond) ? String.valueOf((long) ratePerSecond)
                : String.valueOf(ratePerSecond)) + ":" + burst;
    }
}
