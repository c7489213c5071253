package io.wickrlocal.store;

/** A network row. Times are epoch seconds. */
public record NetworkRecord(String networkId, String accountId, String region, String name, String accessLevel,
                            String encryptionKeyArn, Long freeTrialExpiresAt, long createdAt) {}
