package io.wickrlocal.store;

/** The first answer given to a request made with a client token. */
public record IdempotencyRecord(String fingerprint, String response, long createdAt) {}
