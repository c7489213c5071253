package io.wickrlocal.store;

/** A blocked guest: who blocked them (an access key id) and when (epoch seconds). */
public record GuestBlockRecord(String usernameHash, String username, String admin, long modifiedAt) {}
