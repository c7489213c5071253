package io.wickrlocal.store;

/** A user of another network who communicated with this one, known by the hash of the username. */
public record GuestRecord(String networkId, String usernameHash, String username, long firstSeenAt, long lastSeenAt) {}
