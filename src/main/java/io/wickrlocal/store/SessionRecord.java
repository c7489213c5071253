package io.wickrlocal.store;

/** A sign-in session; {@code endedAt} is null while it is active. */
public record SessionRecord(String sessionId, String networkId, long userId, String appId, String deviceType,
                            long startedAt, Long endedAt) {}
