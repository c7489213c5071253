package io.wickrlocal.store;

/**
 * A bot row. Status 1 is pending (created, never signed in), 2 is active. {@code challengeHash}
 * is a {@link BotChallengeHash} value, never the password. Times are epoch seconds.
 */
public record BotRecord(long botId, String networkId, String username, String uname, String displayName,
                        String groupId, String challengeHash, int status, boolean suspended, String pubkey,
                        Long lastLoginAt, long createdAt, long modifiedAt) {
    public static final int PENDING = 1;
    public static final int ACTIVE = 2;
}
