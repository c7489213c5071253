package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Sign-in sessions of bots. Ended sessions are kept, with why they ended, until the bot goes. */
public final class BotSessionStore {
    private BotSessionStore() {}

    public static void start(Tx tx, BotSessionRecord s) {
        tx.update("INSERT INTO bot_sessions (session_id, network_id, bot_id, started_at) VALUES (?, ?, ?, ?)",
                s.sessionId(), s.networkId(), s.botId(), s.startedAt());
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
