package io.wickrlocal.store;

/** A bot's sign-in session; {@code endedAt} is null while it is active. */
public record BotSessionRecord(String sessionId, String networkId, long botId, long startedAt, Long endedAt) {}
