package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Security groups of a network, with their active member counts. */
public final class GroupStore {
    /** Active members are users of status 2 in the group; counted live so the figure never drifts. */
    private static final String SELECT = "g.*, (SELECT COUNT(*) FROM user_groups ug JOIN users u ON u.user_id = ug.user_id"
            + " WHERE ug.network_id = g.network_id AND ug.group_id = g.group_id AND u.status = 2) AS active_members,"
            + " (SELECT COUNT(*) FROM bots b WHERE b.network_id = g.network_id AND b.group_id = g.group_id) AS bot_members";

    private GroupStore() {}

    public static void insert(Tx tx, GroupRecord g) {
        tx.update("INSERT INTO security_groups (network_id, group_id, name, name_key, is_default, settings, modified_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                g.networkId(), g.groupId(), g.name(), NetworkStore.key(g.name()), g.isDefault(), g.settings(),
                g.modifiedAt());
    }

    /** Every group of the network in id order, without member counts (cheap: snapshots, seeds, session limits). */
    public static List<GroupRecord> all(Tx tx, String networkId) {
        return tx.list("SELECT * FROM security_groups WHERE network_id = ? ORDER BY group_id",
                rs -> new GroupRecord(rs.getString("network_id"), rs.getString("group_id"), rs.getString("name"),
                        rs.getInt("is_default") == 1, rs.getString("settings"), rs.getLong("modified_at"), 0, 0),
                networkId);
    }

    public static Optional<GroupRecord> find(Tx tx, String networkId, String groupId) {
        return tx.one("SELECT " + SELECT + " FROM security_groups g WHERE g.network_id = ? AND g.group_id = ?",
                GroupStore::map, networkId, groupId);
    }

    public static Optional<GroupRecord> findDefault(Tx tx, String networkId) {
        return tx.one("SELECT " + SELECT + " FROM security_groups g WHERE g.network_id = ? AND g.is_default = 1",
                GroupStore::map, networkId);
    }

    /** Above this many ids, one query with a parameter each would be refused by the driver (PostgreSQL takes 65,535). */
    private static final int MOST_IDS_IN_ONE_QUERY = 500;

    /** Which of the given ids are groups of the network. */
    public static Set<String> existing(Tx tx, String networkId, Collection<String> groupIds) {
        Set<String> found = new HashSet<>();
        if (groupIds.isEmpty()) {
            return found;
        }
        if (groupIds.size() > MOST_IDS_IN_ONE_QUERY) {
            // The contract sets no limit on a user's list of groups; a network has few, so read them all instead.
            tx.list("SELECT group_id FROM security_groups WHERE network_id = ?", rs -> found.add(rs.getString(1)),
                    networkId);
            found.retainAll(new HashSet<>(groupIds));
            return found;
        }
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        args.addAll(groupIds);
        String marks = UserStore.marks(groupIds.size());
        tx.list("SELECT group_id FROM security_groups WHERE network_id = ? AND group_id IN (" + marks + ")",
                rs -> found.add(rs.getString(1)), args.toArray());
        return found;
    }

    public static boolean nameTaken(Tx tx, String networkId, String name, String exceptGroupId) {
        return tx.exists("SELECT 1 FROM security_groups WHERE network_id = ? AND name_key = ? AND group_id <> ?",
                networkId, NetworkStore.key(name), exceptGroupId == null ? "" : exceptGroupId);
    }

    public static void update(Tx tx, String networkId, String groupId, String name, String settings, long modifiedAt) {
        tx.update("UPDATE security_groups SET name = ?, name_key = ?, settings = ?, modified_at = ?"
                + " WHERE network_id = ? AND group_id = ?", name, NetworkStore.key(name), settings, modifiedAt,
                networkId, groupId);
    }

    /** Every member of the group, whatever their status: users and bots. */
    public static long memberCount(Tx tx, String networkId, String groupId) {
        return tx.count("SELECT (SELECT COUNT(*) FROM user_groups WHERE network_id = ? AND group_id = ?)"
                + " + (SELECT COUNT(*) FROM bots WHERE network_id = ? AND group_id = ?)", networkId, groupId, networkId, groupId);
    }

    public static void delete(Tx tx, String networkId, String groupId) {
        tx.update("DELETE FROM security_groups WHERE network_id = ? AND group_id = ?", networkId, groupId);
    }

    public static Page<GroupRecord> page(Tx tx, String networkId, PageRequest page) {
        return Keyset.fetch(tx, SELECT, "FROM security_groups g WHERE g.network_id = ?", List.of(networkId), page,
                GroupStore::map);
    }

    private static GroupRecord map(ResultSet rs) throws SQLException {
        return new GroupRecord(rs.getString("network_id"), rs.getString("group_id"), rs.getString("name"),
                rs.getInt("is_default") == 1, rs.getString("settings"), rs.getLong("modified_at"),
                rs.getLong("active_members"), rs.getLong("bot_members"));
    }
}
