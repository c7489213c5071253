package io.wickrlocal.store;

import java.util.List;

/** A user row. Status 1 is pending (invited), 2 is active. Times are epoch seconds. */
public record UserRecord(long userId, String networkId, String username, String uname, String firstName,
                         String lastName, int status, boolean suspended, boolean isAdmin, List<String> groupIds,
                         String inviteCode, Long inviteExpiresAt, boolean codeValidation, Long lastLoginAt,
                         long createdAt, long modifiedAt) {
    public static final int PENDING = 1;
    public static final int ACTIVE = 2;

    public UserRecord {
        groupIds = List.copyOf(groupIds);
    }

    public UserRecord withSuspended(boolean value, long now) {
        return new UserRecord(userId, networkId, username, uname, firstName, lastName, status, value, isAdmin,
                groupIds, inviteCode, inviteExpiresAt, codeValidation, lastLoginAt, createdAt, now);
    }
}
