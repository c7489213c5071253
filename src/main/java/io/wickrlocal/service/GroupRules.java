package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The rules of a security group's own values, in one place for CreateSecurityGroup and
 * UpdateSecurityGroup, a seed file (whose groups those operations create) and a snapshot import.
 * The rules between settings and the network's plan, which depend on what a request changes, stay
 * with the operations ({@link SecurityGroupOperations#checkPlan}, {@link SecurityGroupOperations#checkRules}).
 */
final class GroupRules {
    private GroupRules() {}

    static final int MAX_NAME_LENGTH = 64;

    /** Why the name (stripped, as the API keeps it) cannot be a group's, or null. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "is required";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "must be at most " + MAX_NAME_LENGTH + " characters long";
        }
        return null;
    }

    /** The reason for a name another group of the network has, ignoring case. */
    static String nameTaken(String name, String networkId) {
        return "A security group named '" + name + "' already exists in network " + networkId;
    }

    /**
     * The ranges the settings' meanings imply; the contract itself leaves these integers open. A
     * problem is a 422 naming the setting under {@code path}.
     */
    static void checkSettings(ObjectNode s, String path) {
        int federation = s.path("federationMode").asInt();
        if (federation < 0 || federation > 2) {
            throw ServiceException.invalid(path + ".federationMode", "must be 1 (restricted) or 2 (global)");
        }
        for (String counter : List.of("lockoutThreshold", "forceDeviceLockout", "maxBor", "ssoMaxIdleMinutes")) {
            if (s.path(counter).asLong() < 0) {
                throw ServiceException.invalid(path + "." + counter, "must not be negative");
            }
        }
        for (String size : List.of("maxAutoDownloadSize", "maxTtl")) {
            if (s.path(size).asLong() < 0) {
                throw ServiceException.invalid(path + "." + size, "must not be negative");
            }
        }
    }
}
