package io.wickrlocal.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a snapshot: everything in a network, read whole (every column, in a stable order).
 * The entity stores serve the API; this class serves export, which needs the columns the API never
 * shows. An import writes the rows back, timestamps and ids included, through each table's own
 * store, which holds the one INSERT of its table; the row types of the tables that have no record
 * of their own (sessions with why they ended, guest activity, guest blocks) are declared here.
 */
public final class SnapshotStore {
    private SnapshotStore() {}

    /** A user's sign-in session with why it ended. */
    public record UserSession(String sessionId, long userId, String appId, long startedAt, Long endedAt,
                              String endReason) {}

    /** A bot's sign-in session with why it ended. */
    public record BotSession(String sessionId, long botId, long startedAt, Long endedAt, String endReason) {}

    /** A guest's activity in one billing period. */
    public record GuestActivity(String usernameHash, String billingPeriod, long firstAt, long lastAt) {}

    /** A block of a guest. */
    public record GuestBlock(String usernameHash, String admin, long modifiedAt) {}

    /** A network setting that was changed from its default. */
    public record Setting(String name, String value, long modifiedAt) {}

    /** The networks of one account (every region), or of every account when accountId is null. */
    public static List<NetworkRecord> networks(Tx tx, String accountId) {
        String sql = "SELECT * FROM networks" + (accountId == null ? "" : " WHERE account_id = ?")
                + " ORDER BY account_id, region, network_id";
        RowMapper<NetworkRecord> map = rs -> new NetworkRecord(rs.getString("network_id"), rs.getString("account_id"),
                rs.getString("region"), rs.getString("name"), rs.getString("access_level"),
                rs.getString("encryption_key_arn"), Tx.nullableLong(rs, "free_trial_expires_at"),
                rs.getLong("created_at"));
        return accountId == null ? tx.list(sql, map) : tx.list(sql, map, accountId);
    }

    /** How many networks the account has in any region (every account when null). */
    public static long networkCount(Tx tx, String accountId) {
        return accountId == null ? tx.count("SELECT COUNT(*) FROM networks")
                : tx.count("SELECT COUNT(*) FROM networks WHERE account_id = ?", accountId);
    }

    public static List<UserRecord> users(Tx tx, String networkId) {
        return tx.list("SELECT * FROM users WHERE network_id = ? ORDER BY user_id", UserStore::map, networkId);
    }

    /** The network's devices by user id, each user's in app id order. */
    public static Map<Long, List<DeviceRecord>> devices(Tx tx, String networkId) {
        Map<Long, List<DeviceRecord>> out = new HashMap<>();
        tx.list("SELECT * FROM devices WHERE network_id = ? ORDER BY user_id, app_id", rs -> {
            DeviceRecord d = new DeviceRecord(rs.getString("app_id"), rs.getString("network_id"), rs.getLong("user_id"),
                    rs.getString("device_type"), rs.getString("status_text"), rs.getLong("created_at"),
                    rs.getLong("last_login_at"), false);
            return out.computeIfAbsent(d.userId(), k -> new ArrayList<>()).add(d);
        }, networkId);
        return out;
    }

    /** The network's user sessions by user id, each user's in session id order. */
    public static Map<Long, List<UserSession>> userSessions(Tx tx, String networkId) {
        Map<Long, List<UserSession>> out = new HashMap<>();
        tx.list("SELECT * FROM sessions WHERE network_id = ? ORDER BY user_id, session_id", rs -> {
            UserSession s = new UserSession(rs.getString("session_id"), rs.getLong("user_id"), rs.getString("app_id"),
                    rs.getLong("started_at"), Tx.nullableLong(rs, "ended_at"), rs.getString("end_reason"));
            return out.computeIfAbsent(s.userId(), k -> new ArrayList<>()).add(s);
        }, networkId);
        return out;
    }

    public static List<BotRecord> bots(Tx tx, String networkId) {
        return tx.list("SELECT * FROM bots WHERE network_id = ? ORDER BY bot_id", rs -> new BotRecord(
                rs.getLong("bot_id"), rs.getString("network_id"), rs.getString("username"), rs.getString("uname"),
                rs.getString("display_name"), rs.getString("group_id"), rs.getString("challenge_hash"),
                rs.getInt("status"), rs.getInt("suspended") == 1, rs.getString("pubkey"),
                Tx.nullableLong(rs, "last_login_at"), rs.getLong("created_at"), rs.getLong("modified_at")), networkId);
    }

    /** The network's bot sessions by bot id, each bot's in session id order. */
    public static Map<Long, List<BotSession>> botSessions(Tx tx, String networkId) {
        Map<Long, List<BotSession>> out = new HashMap<>();
        tx.list("SELECT * FROM bot_sessions WHERE network_id = ? ORDER BY bot_id, session_id", rs -> {
            BotSession s = new BotSession(rs.getString("session_id"), rs.getLong("bot_id"), rs.getLong("started_at"),
                    Tx.nullableLong(rs, "ended_at"), rs.getString("end_reason"));
            return out.computeIfAbsent(s.botId(), k -> new ArrayList<>()).add(s);
        }, networkId);
        return out;
    }

    public static List<GuestRecord> guests(Tx tx, String networkId) {
        return tx.list("SELECT * FROM guest_users WHERE network_id = ? ORDER BY username_hash",
                rs -> new GuestRecord(rs.getString("network_id"), rs.getString("username_hash"),
                        rs.getString("username"), rs.getLong("first_seen_at"), rs.getLong("last_seen_at")), networkId);
    }

    /** The network's guest activity by guest (username hash), each guest's in period order. */
    public static Map<String, List<GuestActivity>> guestActivity(Tx tx, String networkId) {
        Map<String, List<GuestActivity>> out = new HashMap<>();
        tx.list("SELECT * FROM guest_activity WHERE network_id = ? ORDER BY username_hash, billing_period", rs -> {
            GuestActivity a = new GuestActivity(rs.getString("username_hash"), rs.getString("billing_period"),
                    rs.getLong("first_at"), rs.getLong("last_at"));
            return out.computeIfAbsent(a.usernameHash(), k -> new ArrayList<>()).add(a);
        }, networkId);
        return out;
    }

    /** The network's guest blocks by guest (username hash). */
    public static Map<String, GuestBlock> guestBlocks(Tx tx, String networkId) {
        Map<String, GuestBlock> out = new HashMap<>();
        tx.list("SELECT * FROM guest_blocks WHERE network_id = ?", rs -> out.put(rs.getString("username_hash"),
                new GuestBlock(rs.getString("username_hash"), rs.getString("admin"), rs.getLong("modified_at"))),
                networkId);
        return out;
    }

    public static List<Setting> settings(Tx tx, String networkId) {
        return tx.list("SELECT * FROM network_settings WHERE network_id = ? ORDER BY name",
                rs -> new Setting(rs.getString("name"), rs.getString("value"), rs.getLong("modified_at")), networkId);
    }
}
