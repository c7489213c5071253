package io.wickrlocal.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The rules of a guest's values, in one place for LocalRecordGuestActivity and a snapshot import
 * (seed files have no guests).
 */
final class GuestRules {
    private GuestRules() {}

    static final DateTimeFormatter BILLING_PERIOD = DateTimeFormatter.ofPattern("uuuu-MM", Locale.ROOT);

    /** Why the username (stripped, as the API keeps it) cannot be a guest's, or null. */
    static String usernameProblem(String username) {
        return username.isEmpty() ? "must not be blank" : null;
    }

    /** The billing period (a month, "YYYY-MM", in UTC) activity at this time counts in. */
    static String billingPeriod(long epochSeconds) {
        return BILLING_PERIOD.format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
    }
}
