package io.wickrlocal.store;

/**
 * Optional filters of a user listing; null means "any". Name filters match a case-insensitive
 * substring.
 */
public record UserFilter(String username, String firstName, String lastName, Integer status, String groupId) {
    public static final UserFilter NONE = new UserFilter(null, null, null, null, null);
}
