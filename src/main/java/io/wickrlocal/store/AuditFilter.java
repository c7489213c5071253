package io.wickrlocal.store;

/**
 * Which events of an account and region a query wants; null means any. Times are epoch milliseconds,
 * {@code fromMillis} inclusive and {@code untilMillis} exclusive.
 */
public record AuditFilter(String operation, Long userId, String networkId, Long fromMillis, Long untilMillis) {}
