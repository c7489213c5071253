package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Bots of a network. */
public final class BotStore {
    private BotStore() {}

    public static void insert(Tx tx, BotRecord b) {
        tx.update("INSERT INTO bots (bot_id, network_id, username, username_key, uname, display_name, display_name_key,"
                        + " group_id, challenge_hash, status, suspended, pubkey, last_login_at, created_at, modified_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b.botId(), b.networkId(), b.username(), NetworkStore.key(b.username()), b.uname(), b.displayName(),
                NetworkStore.key(b.displayName()), b.groupId(), b.challengeHash(), b.status(), b.suspended(),
                b.pubkey(), b.lastLoginAt(), b.createdAt(), b.modifiedAt());
    }

    /** Rewrites every column a bot can change (its id, network and username never change). */
    public static void update(Tx tx, BotRecord b) {
        tx.update("UPDATE bots SET display_name = ?, display_name_key = ?, group_id = ?, challenge_hash = ?, status = ?,"
                        + " suspended = ?, pubkey = ?, last_login_at = ?, modified_at = ? WHERE bot_id = ? AND network_id = ?",
                b.displayName(), NetworkStore.key(b.displayName()), b.groupId(), b.challengeHash(), b.status(),
                b.suspended(), b.pubkey(), b.lastLoginAt(), b.modifiedAt(), b.botId(), b.networkId());
    }

    /** True when any bot of any network has the id: bot IDs are unique store-wide. */
    public static boolean idTaken(Tx tx, long botId) {
        return tx.exists("SELECT 1 FROM bots WHERE bot_id = ?", botId);
    }

    /** True when a bot of any network has an id from {@code from} to {@code to}, both included. */
    public static boolean anyIdBetween(Tx tx, long from, long to) {
        return tx.exists("SELECT 1 FROM bots WHERE bot_id BETWEEN ? AND ? LIMIT 1", from, to);
    }

    /** The usernames among {@code usernames} that bots of the network have, lower case. */
    public static Set<String> takenUsernames(Tx tx, String networkId, Collection<String> usernames) {
        return UserStore.takenUsernames(tx, "bots", networkId, usernames);
    }

    public static Optional<BotRecord> find(Tx tx, String networkId, long botId) {
        return tx.one("SELECT b.* FROM bots b WHERE b.bot_id = ? AND b.network_id = ?", BotStore::map, botId, networkId);
    }

    public static Optional<BotRecord> findByUsername(Tx tx, String networkId, String username) {
        return tx.one("SELECT b.* FROM bots b WHERE b.network_id = ? AND b.username_key = ?", BotStore::map,
                networkId, NetworkStore.key(username));
    }

    /** Deletes the bot with its sessions; false when it was not there. */
    public static boolean delete(Tx tx, String networkId, long botId) {
        tx.update("DELETE FROM bot_sessions WHERE bot_id = ? AND network_id = ?", botId, networkId);
        return tx.update("DELETE FROM bots WHERE bot_id = ? AND network_id = ?", botId, networkId) > 0;
    }

    /**
     * The counts of GetBotsCount: index 0 the pending bots and 1 the active ones, suspended bots in
     * neither; index 2 every bot of the network, suspended ones included.
     */
    public static long[] counts(Tx tx, String networkId) {
        long[] counts = new long[3];
        tx.list("SELECT status, suspended, COUNT(*) FROM bots WHERE network_id = ? GROUP BY status, suspended", rs -> {
            int status = rs.getInt(1);
            long n = rs.getLong(3);
            if (rs.getInt(2) == 0 && (status == BotRecord.PENDING || status == BotRecord.ACTIVE)) {
                counts[status - 1] += n;
            }
            counts[2] += n;
            return null;
        }, networkId);
        return counts;
    }

    public static Page<BotRecord> page(Tx tx, String networkId, BotFilter filter, PageRequest page) {
        StringBuilder from = new StringBuilder("FROM bots b WHERE b.network_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        QueryParts.contains(from, args, "b.username_key", filter.username());
        QueryParts.contains(from, args, "b.display_name_key", filter.displayName());
        if (filter.status() != null) {
            from.append(" AND b.status = ?");
            args.add(filter.status());
        }
        if (filter.groupId() != null) {
            from.append(" AND b.group_id = ?");
            args.add(filter.groupId());
        }
        return Keyset.fetch(tx, "b.*", from.toString(), args, page, BotStore::map);
    }


    private static BotRecord map(ResultSet rs) throws SQLException {
        return new BotRecord(rs.getLong("bot_id"), rs.getString("network_id"), rs.getString("username"),
                rs.getString("uname"), rs.getString("display_name"), rs.getString("group_id"),
                rs.getString("challenge_hash"), rs.getInt("status"), rs.getInt("suspended") == 1,
                rs.getString("pubkey"), Tx.nullableLong(rs, "last_login_at"), rs.getLong("created_at"),
                rs.getLong("modified_at"));
    }
}
