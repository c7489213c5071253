package io.wickrlocal.service;

import java.util.List;
import java.util.Set;

/**
 * The rules of a user's own values, in one place for every way a user comes to be: BatchCreateUser and
 * UpdateUser, a seed file (whose users BatchCreateUser creates) and a snapshot import. Each method
 * answers why a value is refused, or null when it is accepted; the caller decides where the reason goes
 * (a failed batch item, a 422 naming the member, a document path).
 */
final class UserRules {
    private UserRules() {}

    static final int MAX_USERNAME_LENGTH = 256;
    static final int MAX_NAME_LENGTH = 128;
    /** The first and last names, as the contract and the snapshot document spell them. */
    static final List<String> NAMES = List.of("firstName", "lastName");
    /**
     * The reason of a BatchCreateUser item whose username the network already has, or an earlier item of the
     * same batch took (AWS example BatchCreateUser#2).
     */
    static final String TAKEN = "User already exists";
    /** UpdateUser's reason for a username that another user or a bot of the network has. */
    static final String IN_USE = "is already in use in this network";

    /**
     * Why the username cannot be a user's, or null. The username is as the API keeps it: stripped of
     * surrounding white space. The reason does not name the member (see {@link #naming}).
     */
    static String usernameProblem(String username) {
        if (username.isEmpty()) {
            return "must not be empty";
        }
        if (username.length() > MAX_USERNAME_LENGTH) {
            return "is longer than " + MAX_USERNAME_LENGTH + " characters";
        }
        return null;
    }

    /** Why a first or last name cannot be a user's, or null; the reason does not name the member. */
    static String nameProblem(String name) {
        return name.length() > MAX_NAME_LENGTH ? "must be at most " + MAX_NAME_LENGTH + " characters long" : null;
    }

    /** Why the invitation's lifetime in days cannot be used, or null (none given is the default's). */
    static String inviteTtlProblem(Integer days) {
        return days != null && (days < 1 || days > 365) ? "inviteCodeTtl must be between 1 and 365 days" : null;
    }

    /** Why a user cannot be in these groups of the network ({@code existing}: those it has), or null. */
    static String groupsProblem(List<String> groups, Set<String> existing) {
        if (groups.isEmpty()) {
            return "securityGroupIds must name at least one security group";
        }
        for (String g : groups) {
            if (!existing.contains(g)) {
                return groupMissing(g);
            }
        }
        return null;
    }

    /** The reason for a group a user is put in that the network does not have. */
    static String groupMissing(String groupId) {
        return "Security group " + groupId + " does not exist in this network";
    }

    /**
     * A reason as a failed BatchCreateUser item gives it: a sentence that starts with the member ("username
     * must not be empty"), as {@link ServiceException#invalid} makes the reason of every other refusal.
     */
    static String naming(String member, String problem) {
        return problem == null ? null : member + " " + problem;
    }
}
