package io.wickrlocal.service;

import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.SessionStore;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The security groups' {@code maxNonSsoSessionMinutes}: a user's session (every session the /_local
 * sign-in starts is a non-SSO one) ends once it is that many minutes old. 0 sets no limit; a user in
 * several groups gets the smallest limit other than 0 among them. Sessions are ended when they are
 * next looked at (the user's sessions listed, the user signing in), and when a group's limit or a
 * user's groups change, so an ended session never comes back when a limit is raised later.
 */
final class SessionLimits {
    /** The end reason of a session that outlived its limit. */
    static final String REASON = "session limit";

    private SessionLimits() {}

    /** Each group of the network with its limit in minutes (0: none). */
    static Map<String, Long> limits(Tx tx, String networkId) {
        Map<String, Long> limits = new HashMap<>();
        for (GroupRecord g : GroupStore.all(tx, networkId)) {
            limits.put(g.groupId(), SecurityGroupOperations.settings(g)
                    .path(SecurityGroupOperations.MAX_NON_SSO_SESSION_MINUTES).asLong());
        }
        return limits;
    }

    /** The limit in minutes that governs the user's sessions: the smallest non-zero one of its groups, or 0. */
    static long minutes(Map<String, Long> limits, List<String> groupIds) {
        long least = 0;
        for (String groupId : groupIds) {
            long m = limits.getOrDefault(groupId, 0L);
            if (m > 0 && (least == 0 || m < least)) {
                least = m;
            }
        }
        return least;
    }

    /**
     * Ends the user's sessions that are at least as old as the limit of the user's groups.
     *
     * @param endNow true: they end now (a limit was just lowered); false: each ends when it reached its limit
     */
    static int expire(Tx tx, UserRecord user, Map<String, Long> limits, long now, boolean endNow) {
        long minutes = minutes(limits, user.groupIds());
        if (minutes == 0) {
            return 0;
        }
        long lifetime = minutes * 60;
        return SessionStore.endStartedBy(tx, user.userId(), now - lifetime, endNow ? now : null, lifetime, REASON);
    }

    static int expire(Tx tx, UserRecord user, long now) {
        return expire(tx, user, limits(tx, user.networkId()), now, false);
    }

    /** {@link #expire} for every member of the group who has an open session. */
    static void expireMembers(Tx tx, String networkId, String groupId, long now, boolean endNow) {
        List<Long> ids = SessionStore.usersWithOpenSessions(tx, networkId, groupId);
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Long> limits = limits(tx, networkId);
        for (UserRecord u : UserStore.findAll(tx, networkId, ids).values()) {
            expire(tx, u, limits, now, endNow);
        }
    }
}
