package io.wickrlocal.store;

/**
 * Optional filters of a guest listing; null means "any". The username matches a case-insensitive
 * substring, the billing period exactly.
 */
public record GuestFilter(String username, String billingPeriod) {}
