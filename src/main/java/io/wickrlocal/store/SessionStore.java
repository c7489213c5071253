package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Sign-in sessions. Ended sessions are kept: they are the user's activity history. */
public final class SessionStore {
    private SessionStore() {}

    private static final String INSERT = "INSERT INTO sessions (session_id, network_id, user_id, app_id, started_at,"
            + " ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** Starts a session: open, so without an end. */
    public static void start(Tx tx, SessionRecord s) {
        tx.update(INSERT, s.sessionId(), s.networkId(), s.userId(), s.appId(), s.startedAt(), null, null);
    }

    /** Inserts the network's sessions as one batch, ended ones with when and why (a snapshot's). */
    public static void insertAll(Tx tx, String networkId, List<SnapshotStore.UserSession> sessions) {
        List<Object[]> rows = new ArrayList<>(sessions.size());
        for (SnapshotStore.UserSession s : sessions) {
            rows.add(new Object[] {s.sessionId(), networkId, s.userId(), s.appId(), s.startedAt(), s.endedAt(),
                    s.endReason()});
        }
        tx.batch(INSERT, rows);
    }

    public static boolean idTaken(Tx tx, String sessionId) {
        return tx.exists("SELECT 1 FROM sessions WHERE session_id = ?", sessionId);
    }

    public static List<SessionRecord> active(Tx tx, long userId) {
        return tx.list("SELECT s.*, d.device_type FROM sessions s JOIN devices d ON d.app_id = s.app_id"
                + " WHERE s.user_id = ? AND s.ended_at IS NULL ORDER BY s.started_at, s.session_id",
                SessionStore::map, userId);
    }

    /** Ends every active session of the users at once; returns how many ended. */
    /** Ends the open sessions of the users; returns how many ended. */
    public static int endAll(Tx tx, String networkId, Collection<Long> userIds, String reason, long now) {
        if (userIds.isEmpty()) {
            return 0;
        }
        List<Object> args = new ArrayList<>(userIds.size() + 3);
        args.add(now);
        args.add(reason);
        args.add(networkId);
        args.addAll(userIds);
        return tx.update("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE network_id = ? AND ended_at IS NULL"
                + " AND user_id IN (" + String.join(", ", java.util.Collections.nCopies(userIds.size(), "?")) + ")",
                args.toArray());
    }

    /** The users of the group who have an open session. */
    public static List<Long> usersWithOpenSessions(Tx tx, String networkId, String groupId) {
        return tx.list("SELECT DISTINCT s.user_id FROM sessions s JOIN user_groups g"
                + " ON g.network_id = s.network_id AND g.user_id = s.user_id"
                + " WHERE g.network_id = ? AND g.group_id = ? AND s.ended_at IS NULL ORDER BY s.user_id",
                rs -> rs.getLong(1), networkId, groupId);
    }

    /**
     * Ends the user's open sessions started at or before {@code startedBy}: at {@code endedAt}, or, when
     * that is null, {@code lifetimeSeconds} after each one started. Returns how many ended.
     */
    public static int endStartedBy(Tx tx, long userId, long startedBy, Long endedAt, long lifetimeSeconds,
                                   String reason) {
        if (endedAt != null) {
            return tx.update("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE user_id = ? AND ended_at IS NULL"
                    + " AND started_at <= ?", endedAt, reason, userId, startedBy);
        }
        return tx.update("UPDATE sessions SET ended_at = started_at + ?, end_reason = ? WHERE user_id = ?"
                + " AND ended_at IS NULL AND started_at <= ?", lifetimeSeconds, reason, userId, startedBy);
    }

    public static void endOnDevice(Tx tx, String appId, String reason, long now) {
        tx.update("UPDATE sessions SET ended_at = ?, end_reason = ? WHERE app_id = ? AND ended_at IS NULL", now, reason, appId);
    }

    /** The start of the user's latest session within [from, to] (either end may be open). */
    public static Optional<Long> lastActivity(Tx tx, long userId, Long from, Long to) {
        return tx.one("SELECT MAX(started_at) FROM sessions WHERE user_id = ?"
                        + " AND started_at >= COALESCE(?, started_at) AND started_at <= COALESCE(?, started_at)",
                rs -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }, userId, from, to);
    }

    private static SessionRecord map(ResultSet rs) throws SQLException {
        return new SessionRecord(rs.getString("session_id"), rs.getString("network_id"), rs.getLong("user_id"),
                rs.getString("app_id"), rs.getString("device_type"), rs.getLong("started_at"),
                Tx.nullableLong(rs, "ended_at"));
    }
}
