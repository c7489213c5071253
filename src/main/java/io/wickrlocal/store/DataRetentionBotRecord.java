package io.wickrlocal.store;

/**
 * The network's data retention bot. {@code challengeHash} is a {@link BotChallengeHash} value
 * (null until the first challenge is made); {@code registered} becomes true when the bot first
 * signs in with its challenge. Times are epoch seconds.
 */
public record DataRetentionBotRecord(String networkId, String botName, String challengeHash, boolean registered,
                                     boolean serviceEnabled, boolean pubkeyAcked, Long lastLoginAt, long createdAt,
                                     long modifiedAt) {}
