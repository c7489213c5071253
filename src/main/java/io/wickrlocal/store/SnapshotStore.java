package io.wickrlocal.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a snapshot: everything in a network, read whole (every column, in a stable order),
 * and written back exactly, timestamps and ids included. The entity stores serve the API; this
 * class serves export and import, which need the columns the API never shows.
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

    public static List<GroupRecord> groups(Tx tx, String networkId) {
        return tx.list("SELECT * FROM security_groups WHERE network_id = ? ORDER BY group_id",
                rs -> new GroupRecord(rs.getString("network_id"), rs.getString("group_id"), rs.getString("name"),
                        rs.getInt("is_default") == 1, rs.getString("settings"), rs.getLong("modified_at"), 0, 0),
                networkId);
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

    // -- writing back ------------------------------------------------------------------------------

    /**
     * Inserts users with their memberships as batches, and adds them to the network's counts once
     * per status rather than once per user.
     */
    public static void insertUsers(Tx tx, String networkId, List<UserRecord> users) {
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> memberships = new ArrayList<>();
        Map<Integer, Long> byStatus = new HashMap<>();
        for (UserRecord u : users) {
            rows.add(new Object[] {u.userId(), u.networkId(), u.username(), NetworkStore.key(u.username()), u.uname(),
                    u.firstName(), u.lastName(), NetworkStore.key(u.firstName()), NetworkStore.key(u.lastName()),
                    u.status(), u.suspended(), u.isAdmin(), UserStore.groupKey(u.groupIds()), u.inviteCode(),
                    u.inviteExpiresAt(), u.codeValidation(), u.lastLoginAt(), u.createdAt(), u.modifiedAt()});
            for (String g : new java.util.TreeSet<>(u.groupIds())) {
                memberships.add(new Object[] {u.networkId(), g, u.userId()});
            }
            byStatus.merge(u.status(), 1L, Long::sum);
        }
        tx.batch("INSERT INTO users (user_id, network_id, username, username_key, uname, first_name, last_name,"
                + " first_name_key, last_name_key, status, suspended, is_admin, group_key, invite_code,"
                + " invite_expires_at, code_validation, last_login_at, created_at, modified_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        tx.batch("INSERT INTO user_groups (network_id, group_id, user_id) VALUES (?, ?, ?)", memberships);
        byStatus.forEach((status, n) -> UserCounts.add(tx, networkId, status, n));
    }

    public static void insertDevices(Tx tx, List<DeviceRecord> devices) {
        List<Object[]> rows = new ArrayList<>();
        for (DeviceRecord d : devices) {
            rows.add(new Object[] {d.appId(), d.networkId(), d.userId(), d.type(), d.statusText(), d.createdAt(),
                    d.lastLoginAt()});
        }
        tx.batch("INSERT INTO devices (app_id, network_id, user_id, device_type, status_text, created_at, last_login_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", rows);
    }

    public static void insertUserSessions(Tx tx, String networkId, List<UserSession> sessions) {
        List<Object[]> rows = new ArrayList<>();
        for (UserSession s : sessions) {
            rows.add(new Object[] {s.sessionId(), networkId, s.userId(), s.appId(), s.startedAt(), s.endedAt(),
                    s.endReason()});
        }
        tx.batch("INSERT INTO sessions (session_id, network_id, user_id, app_id, started_at, ended_at, end_reason)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", rows);
    }

    public static void insertBotSessions(Tx tx, String networkId, List<BotSession> sessions) {
        List<Object[]> rows = new ArrayList<>();
        for (BotSession s : sessions) {
            rows.add(new Object[] {s.sessionId(), networkId, s.botId(), s.startedAt(), s.endedAt(), s.endReason()});
        }
        tx.batch("INSERT INTO bot_sessions (session_id, network_id, bot_id, started_at, ended_at, end_reason)"
                + " VALUES (?, ?, ?, ?, ?, ?)", rows);
    }

    public static void insertGuest(Tx tx, GuestRecord g) {
        tx.update("INSERT INTO guest_users (network_id, username_hash, username, username_key, first_seen_at,"
                        + " last_seen_at) VALUES (?, ?, ?, ?, ?, ?)", g.networkId(), g.usernameHash(), g.username(),
                NetworkStore.key(g.username()), g.firstSeenAt(), g.lastSeenAt());
    }

    public static void insertGuestActivity(Tx tx, String networkId, List<GuestActivity> activity) {
        List<Object[]> rows = new ArrayList<>();
        for (GuestActivity a : activity) {
            rows.add(new Object[] {networkId, a.usernameHash(), a.billingPeriod(), a.firstAt(), a.lastAt()});
        }
        tx.batch("INSERT INTO guest_activity (network_id, username_hash, billing_period, first_at, last_at)"
                + " VALUES (?, ?, ?, ?, ?)", rows);
    }

    public static void insertGuestBlock(Tx tx, String networkId, GuestBlock b) {
        tx.update("INSERT INTO guest_blocks (network_id, username_hash, admin, admin_key, modified_at)"
                + " VALUES (?, ?, ?, ?, ?)", networkId, b.usernameHash(), b.admin(), NetworkStore.key(b.admin()),
                b.modifiedAt());
    }

    // -- ids that must be free store-wide -----------------------------------------------------------

    public static boolean botSessionIdTaken(Tx tx, String sessionId) {
        return tx.exists("SELECT 1 FROM bot_sessions WHERE session_id = ?", sessionId);
    }
}
