package io.wickrlocal.service;

import java.util.Locale;

/**
 * The rules of a bot's own values, in one place for CreateBot and UpdateBot, a seed file (whose bots
 * CreateBot creates) and a snapshot import. Each method answers why a value is refused, or null.
 */
final class BotRules {
    private BotRules() {}

    static final int MAX_CHALLENGE_LENGTH = 256;
    static final int MAX_DISPLAY_NAME_LENGTH = UserRules.MAX_USERNAME_LENGTH;
    /** What {@link #usernameProblem} says of a username that does not end in "bot". */
    static final String NOT_A_BOT_NAME = "must end with 'bot'";
    /** The reason for a username that does not end in "bot" (AWS example CreateBot#3; live #40). */
    static final String INVALID_FORMAT = "Invalid username format";
    /** The reason for a username a bot or user of the network already has (AWS example CreateBot#2). */
    static final String UNAVAILABLE = "is unavailable";

    /**
     * Why the username cannot name a new bot of the network (before looking for one that has it), or null.
     * The username is as the API keeps it: stripped of surrounding white space.
     */
    static String usernameProblem(String networkId, String username) {
        String problem = UserRules.usernameProblem(username);
        if (problem != null) {
            return problem;
        }
        if (!username.toLowerCase(Locale.ROOT).endsWith("bot")) {
            return NOT_A_BOT_NAME;
        }
        if (username.equalsIgnoreCase(DataRetentionOperations.botName(networkId))) {
            return "is reserved for the data retention bot of network " + networkId;
        }
        return null;
    }

    /** {@link #usernameProblem} as CreateBot answers it (AWS example CreateBot#3 for a name not ending in "bot"). */
    static String usernameReason(String networkId, String username) {
        String problem = usernameProblem(networkId, username);
        if (problem == null) {
            return null;
        }
        return NOT_A_BOT_NAME.equals(problem) ? INVALID_FORMAT : "Username '" + username + "' " + problem;
    }

    /** Why the display name (stripped) cannot be a bot's, or null. */
    static String displayNameProblem(String displayName) {
        if (displayName.isEmpty()) {
            return "must not be empty";
        }
        if (displayName.length() > MAX_DISPLAY_NAME_LENGTH) {
            return "must be at most " + MAX_DISPLAY_NAME_LENGTH + " characters long";
        }
        return null;
    }

    /** Why the password cannot be a bot's, or null. */
    static String challengeProblem(String challenge) {
        if (challenge == null || challenge.isEmpty()) {
            return "must not be empty";
        }
        if (challenge.length() > MAX_CHALLENGE_LENGTH) {
            return "must be at most " + MAX_CHALLENGE_LENGTH + " characters long";
        }
        return null;
    }

    /** The reason for a group a bot is put in that the network does not have. */
    static String groupMissing(String networkId, String groupId) {
        return "Security group " + (groupId == null ? "" : groupId) + " does not exist in network " + networkId;
    }
}
