package io.wickrlocal.store;

/**
 * The database does not accept connections: why, in a short phrase without host or user (such as
 * "connection refused"), and since how long.
 */
public record StoreOutage(String reason, long millis) {}
