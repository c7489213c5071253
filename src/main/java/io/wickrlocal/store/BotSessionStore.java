package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Sign-in sessions of bots. Ended sessions are kept, with why they ended, until the bot goes. */
public final class BotSessionStore {
    private BotSessionStore() {}

    private static final String INSERT = "INSERT INTO bot_sessions (session_id, network_id, bot_id, started_at,"
            + " ended_at, end_reason) VALUES (?, ?, ?, ?, ?, ?)";

    /** Starts a session: open, so without an end. */
    public static void start(Tx tx, BotSessionRecord s) {
        tx.update(INSERT, s.sessionId(), s.networkId(), s.botId(), s.startedAt(), null, null);
    }

    /** Inserts the network's bot sessions as one batch, ended ones with when and why (a snapshot's). */
    public static void insertAll(Tx tx, String networkId, List<SnapshotStore.BotSession> sessions) {
        List<Object[]> rows = new ArrayList<>(sessions.size());
        for (SnapshotStore.BotSession s : sessions) {
            rows.add(new Object[] {s.sessionId(), networkId, s.botId(), s.startedAt(), s.endedAt(), s.endReason()});
        }
        tx.batch(INSERT, rows);
    }

    public static boolean idTaken(Tx tx, String sessionId) {
        return tx.exists("SELECT 1 FROM bot_sessions WHERE session_id = ?", sessionId);
    }

    public static List<BotSessionRecord> active(Tx tx, long botId) {
        return tx.list("SELECT * FROM bot_sessions WHERE bot_id = ? AND ended_at IS NULL"
                + " ORDER BY started_at, session_id", BotSessionStore::map, botId);
    }

    /** Ends every active session of the bot at once; returns how many ended. */
    public static int endAll(Tx tx, long botId, String reason, long now) {
        return tx.update("UPDATE bot_sessions SET ended_at = ?, end_reason = ? WHERE bot_id = ? AND ended_at IS NULL",
                now, reason, botId);
    }

    private static BotSessionRecord map(ResultSet rs) throws SQLException {
        return new BotSessionRecord(rs.getString("session_id"), rs.getString("network_id"), rs.getLong("bot_id"),
                rs.getLong("started_at"), Tx.nullableLong(rs, "ended_at"));
    }
}
