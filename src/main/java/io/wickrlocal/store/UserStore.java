package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Users of a network and their security group memberships. */
public final class UserStore {
    private UserStore() {}

    public static void insert(Tx tx, UserRecord u) {
        insertAll(tx, List.of(u));
    }

    /** Inserts the users with their memberships, a few statements for the whole list. */
    public static void insertAll(Tx tx, List<UserRecord> users) {
        List<Object[]> rows = new ArrayList<>(users.size());
        List<Object[]> memberships = new ArrayList<>();
        Map<String, Map<Integer, Long>> counts = new HashMap<>();
        for (UserRecord u : users) {
            rows.add(new Object[] {u.userId(), u.networkId(), u.username(), NetworkStore.key(u.username()), u.uname(),
                    u.firstName(), u.lastName(), NetworkStore.key(u.firstName()), NetworkStore.key(u.lastName()),
                    u.status(), u.suspended(), u.isAdmin(), groupKey(u.groupIds()), u.inviteCode(),
                    u.inviteExpiresAt(), u.codeValidation(), u.lastLoginAt(), u.createdAt(), u.modifiedAt()});
            memberships.addAll(membershipRows(u));
            counts.computeIfAbsent(u.networkId(), n -> new HashMap<>()).merge(u.status(), 1L, Long::sum);
        }
        tx.batch("INSERT INTO users (user_id, network_id, username, username_key, uname, first_name, last_name,"
                + " first_name_key, last_name_key, status, suspended, is_admin, group_key, invite_code,"
                + " invite_expires_at, code_validation, last_login_at, created_at, modified_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
        insertMemberships(tx, memberships);
        counts.forEach((network, byStatus) -> byStatus.forEach((status, n) -> UserCounts.add(tx, network, status, n)));
    }

    /** Rewrites every column of an existing user (and its memberships when they changed). */
    public static void update(Tx tx, UserRecord before, UserRecord u) {
        tx.update("UPDATE users SET username = ?, username_key = ?, uname = ?, first_name = ?, last_name = ?,"
                        + " first_name_key = ?, last_name_key = ?, status = ?, suspended = ?, is_admin = ?, group_key = ?,"
                        + " invite_code = ?, invite_expires_at = ?, code_validation = ?, last_login_at = ?, modified_at = ?"
                        + " WHERE user_id = ?",
                u.username(), NetworkStore.key(u.username()), u.uname(), u.firstName(), u.lastName(),
                NetworkStore.key(u.firstName()), NetworkStore.key(u.lastName()), u.status(), u.suspended(),
                u.isAdmin(), groupKey(u.groupIds()), u.inviteCode(), u.inviteExpiresAt(), u.codeValidation(),
                u.lastLoginAt(), u.modifiedAt(), u.userId());
        if (before.status() != u.status()) {
            UserCounts.add(tx, u.networkId(), before.status(), -1);
            UserCounts.add(tx, u.networkId(), u.status(), 1);
        }
        if (!new TreeSet<>(before.groupIds()).equals(new TreeSet<>(u.groupIds()))) {
            tx.update("DELETE FROM user_groups WHERE user_id = ?", u.userId());
            insertMemberships(tx, membershipRows(u));
        }
    }

    private static List<Object[]> membershipRows(UserRecord u) {
        List<Object[]> rows = new ArrayList<>();
        for (String g : new TreeSet<>(u.groupIds())) {
            rows.add(new Object[] {u.networkId(), g, u.userId()});
        }
        return rows;
    }

    private static void insertMemberships(Tx tx, List<Object[]> rows) {
        tx.batch("INSERT INTO user_groups (network_id, group_id, user_id) VALUES (?, ?, ?)", rows);
    }

    /** True when the id is used by any user of any network: user IDs are unique store-wide. */
    public static boolean idTaken(Tx tx, long userId) {
        return tx.exists("SELECT 1 FROM users WHERE user_id = ?", userId);
    }

    /** True when a user of any network has an id from {@code from} to {@code to}, both included. */
    public static boolean anyIdBetween(Tx tx, long from, long to) {
        return tx.exists("SELECT 1 FROM users WHERE user_id BETWEEN ? AND ? LIMIT 1", from, to);
    }

    /** The usernames among {@code usernames} (compared as the network compares them) that users of the network have. */
    public static Set<String> takenUsernames(Tx tx, String networkId, Collection<String> usernames) {
        return takenUsernames(tx, "users", networkId, usernames);
    }

    /** Answers in the form of {@link NetworkStore#key}: lower case. */
    static Set<String> takenUsernames(Tx tx, String table, String networkId, Collection<String> usernames) {
        Set<String> keys = new TreeSet<>();
        usernames.forEach(u -> keys.add(NetworkStore.key(u)));
        Set<String> taken = new HashSet<>();
        if (!keys.isEmpty()) {
            // One point lookup per name, joined by UNION ALL, rather than one "username_key IN (...)": PostgreSQL
            // keeps a prepared statement's generic plan, and one made while the table was nearly empty (a scan of
            // the network's users) stayed in use as the network grew, a scan per call (measured: 31 ms a call
            // at 40,000 users). A point lookup on the unique index is the plan at every size.
            String one = "SELECT username_key FROM " + table + " WHERE network_id = ? AND username_key = ?";
            List<Object> args = new ArrayList<>();
            for (String key : keys) {
                args.add(networkId);
                args.add(key);
            }
            tx.list(String.join(" UNION ALL ", Collections.nCopies(keys.size(), one)), rs -> taken.add(rs.getString(1)),
                    args.toArray());
        }
        return taken;
    }

    public static Optional<UserRecord> find(Tx tx, String networkId, long userId) {
        return tx.one("SELECT u.* FROM users u WHERE u.user_id = ? AND u.network_id = ?", UserStore::map,
                userId, networkId);
    }

    /** The users of the network among the given ids, by id. Ids of other networks are simply absent. */
    public static Map<Long, UserRecord> findAll(Tx tx, String networkId, Collection<Long> userIds) {
        Map<Long, UserRecord> found = new HashMap<>();
        whereIn(tx, networkId, "u.user_id", userIds).forEach(u -> found.put(u.userId(), u));
        return found;
    }

    /**
     * Whether each of the network's users among the ids is suspended; ids not in the network are absent.
     * The rows stay locked until the transaction ends, taken in id order so that overlapping batches queue
     * rather than deadlock.
     */
    public static Map<Long, Boolean> suspensionStates(Tx tx, String networkId, Collection<Long> userIds) {
        Map<Long, Boolean> states = new HashMap<>();
        if (userIds.isEmpty()) {
            return states;
        }
        List<Object> args = new ArrayList<>(userIds.size() + 1);
        args.add(networkId);
        args.addAll(userIds);
        tx.list("SELECT user_id, suspended FROM users WHERE network_id = ? AND user_id IN (" + marks(userIds.size())
                + ") ORDER BY user_id" + tx.lockRows(), rs -> states.put(rs.getLong(1), rs.getInt(2) == 1), args.toArray());
        return states;
    }

    public static Optional<UserRecord> findByUsername(Tx tx, String networkId, String username) {
        return tx.one("SELECT u.* FROM users u WHERE u.network_id = ? AND u.username_key = ?", UserStore::map,
                networkId, NetworkStore.key(username));
    }

    public static Map<String, UserRecord> findByUnames(Tx tx, String networkId, Collection<String> unames) {
        Map<String, UserRecord> found = new HashMap<>();
        whereIn(tx, networkId, "u.uname", unames).forEach(u -> found.put(u.uname(), u));
        return found;
    }

    /** The network's users whose column is one of the values (the column name is ours, never a client's). */
    private static List<UserRecord> whereIn(Tx tx, String networkId, String column, Collection<?> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        args.addAll(values);
        return tx.list("SELECT u.* FROM users u WHERE u.network_id = ? AND " + column + " IN (" + marks(values.size()) + ")",
                UserStore::map, args.toArray());
    }

    public static void setSuspended(Tx tx, String networkId, Collection<Long> userIds, boolean suspended, long now) {
        if (userIds.isEmpty()) {
            return;
        }
        // One statement for the whole batch: a statement per user cost a round trip into the driver each.
        List<Object> args = new ArrayList<>(userIds.size() + 3);
        args.add(suspended);
        args.add(now);
        args.add(networkId);
        args.addAll(userIds);
        tx.update("UPDATE users SET suspended = ?, modified_at = ? WHERE network_id = ? AND user_id IN ("
                + marks(userIds.size()) + ")", args.toArray());
    }

    /** Deletes users with their memberships, devices and sessions. */
    public static void delete(Tx tx, String networkId, Collection<Long> userIds) {
        UserCounts.removeUsers(tx, networkId, new ArrayList<>(userIds));
        List<Object[]> rows = new ArrayList<>();
        for (Long id : userIds) {
            rows.add(new Object[] {id, networkId});
        }
        tx.batch("DELETE FROM sessions WHERE user_id = ? AND network_id = ?", rows);
        tx.batch("DELETE FROM devices WHERE user_id = ? AND network_id = ?", rows);
        tx.batch("DELETE FROM user_groups WHERE user_id = ? AND network_id = ?", rows);
        tx.batch("DELETE FROM users WHERE user_id = ? AND network_id = ?", rows);
    }

    /** Counts by status: index 0 pending, 1 active. Read from the maintained counts, not counted. */
    public static long[] countByStatus(Tx tx, String networkId) {
        return UserCounts.read(tx, networkId);
    }

    public static Page<UserRecord> page(Tx tx, String networkId, UserFilter filter, PageRequest page) {
        StringBuilder from = new StringBuilder("FROM users u WHERE u.network_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        QueryParts.contains(from, args, "u.username_key", filter.username());
        QueryParts.contains(from, args, "u.first_name_key", filter.firstName());
        QueryParts.contains(from, args, "u.last_name_key", filter.lastName());
        if (filter.status() != null) {
            from.append(" AND u.status = ?");
            args.add(filter.status());
        }
        if (filter.groupId() != null) {
            from.append(" AND EXISTS (SELECT 1 FROM user_groups ug WHERE ug.user_id = u.user_id"
                    + " AND ug.network_id = u.network_id AND ug.group_id = ?)");
            args.add(filter.groupId());
        }
        return Keyset.fetch(tx, "u.*", from.toString(), args, page, UserStore::map);
    }


    static String groupKey(List<String> groupIds) {
        return String.join(",", new TreeSet<>(groupIds));
    }

    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static UserRecord map(ResultSet rs) throws SQLException {
        String groups = rs.getString("group_key");
        return new UserRecord(rs.getLong("user_id"), rs.getString("network_id"), rs.getString("username"),
                rs.getString("uname"), rs.getString("first_name"), rs.getString("last_name"), rs.getInt("status"),
                rs.getInt("suspended") == 1, rs.getInt("is_admin") == 1,
                groups.isEmpty() ? List.of() : Arrays.asList(groups.split(",")),
                rs.getString("invite_code"), Tx.nullableLong(rs, "invite_expires_at"),
                rs.getInt("code_validation") == 1, Tx.nullableLong(rs, "last_login_at"),
                rs.getLong("created_at"), rs.getLong("modified_at"));
    }
}
