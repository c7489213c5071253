package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Guests of a network, their activity per billing period, and the network's block list. */
public final class GuestStore {
    private static final String GUEST_ROWS = "FROM guest_activity ga JOIN guest_users gu"
            + " ON gu.network_id = ga.network_id AND gu.username_hash = ga.username_hash WHERE ga.network_id = ?";
    private static final String BLOCK_ROWS = "FROM guest_blocks gb JOIN guest_users gu"
            + " ON gu.network_id = gb.network_id AND gu.username_hash = gb.username_hash WHERE gb.network_id = ?";

    private static final String INSERT_GUEST = "INSERT INTO guest_users (network_id, username_hash, username,"
            + " username_key, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ACTIVITY = "INSERT INTO guest_activity (network_id, username_hash,"
            + " billing_period, first_at, last_at) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_BLOCK = "INSERT INTO guest_blocks (network_id, username_hash, admin, admin_key,"
            + " modified_at) VALUES (?, ?, ?, ?, ?)";

    private GuestStore() {}

    /** Inserts a guest as it was (a snapshot's); {@link #recordActivity} is how the API adds one. */
    public static void insertGuest(Tx tx, GuestRecord g) {
        tx.update(INSERT_GUEST, g.networkId(), g.usernameHash(), g.username(), NetworkStore.key(g.username()),
                g.firstSeenAt(), g.lastSeenAt());
    }

    /** Inserts a guest's activity per billing period as one batch (a snapshot's). */
    public static void insertActivity(Tx tx, String networkId, List<SnapshotStore.GuestActivity> activity) {
        List<Object[]> rows = new ArrayList<>(activity.size());
        for (SnapshotStore.GuestActivity a : activity) {
            rows.add(new Object[] {networkId, a.usernameHash(), a.billingPeriod(), a.firstAt(), a.lastAt()});
        }
        tx.batch(INSERT_ACTIVITY, rows);
    }

    /** Inserts a block as it was (a snapshot's); {@link #block} is how the API adds one. */
    public static void insertBlock(Tx tx, String networkId, SnapshotStore.GuestBlock b) {
        tx.update(INSERT_BLOCK, networkId, b.usernameHash(), b.admin(), NetworkStore.key(b.admin()), b.modifiedAt());
    }

    public static Optional<GuestRecord> find(Tx tx, String networkId, String usernameHash) {
        return tx.one("SELECT gu.* FROM guest_users gu WHERE gu.network_id = ? AND gu.username_hash = ?",
                GuestStore::mapGuest, networkId, usernameHash);
    }

    /**
     * Records that the guest was active at {@code at} in the billing period: creates the guest and the
     * period's row when new, and widens their first/last times otherwise. The latest spelling of the
     * username is kept.
     */
    public static void recordActivity(Tx tx, String networkId, String usernameHash, String username,
                                      String billingPeriod, long at) {
        if (find(tx, networkId, usernameHash).isPresent()) {
            tx.update("UPDATE guest_users SET username = ?, username_key = ?,"
                            + " first_seen_at = CASE WHEN first_seen_at > ? THEN ? ELSE first_seen_at END,"
                            + " last_seen_at = CASE WHEN last_seen_at < ? THEN ? ELSE last_seen_at END"
                            + " WHERE network_id = ? AND username_hash = ?",
                    username, NetworkStore.key(username), at, at, at, at, networkId, usernameHash);
        } else {
            insertGuest(tx, new GuestRecord(networkId, usernameHash, username, at, at));
        }
        boolean periodKnown = tx.exists("SELECT 1 FROM guest_activity WHERE network_id = ? AND username_hash = ?"
                + " AND billing_period = ?", networkId, usernameHash, billingPeriod);
        if (periodKnown) {
            tx.update("UPDATE guest_activity SET first_at = CASE WHEN first_at > ? THEN ? ELSE first_at END,"
                            + " last_at = CASE WHEN last_at < ? THEN ? ELSE last_at END"
                            + " WHERE network_id = ? AND username_hash = ? AND billing_period = ?",
                    at, at, at, at, networkId, usernameHash, billingPeriod);
        } else {
            tx.update(INSERT_ACTIVITY, networkId, usernameHash, billingPeriod, at, at);
        }
    }

    /** One row per guest and billing period of activity. */
    public static Page<GuestActivityRecord> page(Tx tx, String networkId, GuestFilter filter, PageRequest page) {
        StringBuilder from = new StringBuilder(GUEST_ROWS);
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        QueryParts.contains(from, args, "gu.username_key", filter.username());
        if (filter.billingPeriod() != null) {
            from.append(" AND ga.billing_period = ?");
            args.add(filter.billingPeriod());
        }
        return Keyset.fetch(tx, "gu.username_hash AS hash, gu.username AS name, ga.billing_period AS period",
                from.toString(), args, page, rs -> new GuestActivityRecord(rs.getString("hash"),
                        rs.getString("name"), rs.getString("period")));
    }

    /**
     * How many distinct guests were active in each billing period from {@code first} to {@code last}
     * (inclusive, "YYYY-MM" compares correctly as text). Periods without guests are absent.
     */
    public static Map<String, Long> countByPeriod(Tx tx, String networkId, String first, String last) {
        Map<String, Long> counts = new LinkedHashMap<>();
        tx.list("SELECT billing_period, COUNT(DISTINCT username_hash) FROM guest_activity"
                        + " WHERE network_id = ? AND billing_period >= ? AND billing_period <= ?"
                        + " GROUP BY billing_period ORDER BY billing_period",
                rs -> counts.put(rs.getString(1), rs.getLong(2)), networkId, first, last);
        return counts;
    }

    public static boolean isBlocked(Tx tx, String networkId, String usernameHash) {
        return tx.exists("SELECT 1 FROM guest_blocks WHERE network_id = ? AND username_hash = ?",
                networkId, usernameHash);
    }

    /** Blocks the guest unless already blocked; returns false (and keeps the first block) when it was. */
    public static boolean block(Tx tx, String networkId, String usernameHash, String admin, long at) {
        if (isBlocked(tx, networkId, usernameHash)) {
            return false;
        }
        insertBlock(tx, networkId, new SnapshotStore.GuestBlock(usernameHash, admin, at));
        return true;
    }

    /** Lifts the block; returns false when the guest was not blocked. */
    public static boolean unblock(Tx tx, String networkId, String usernameHash) {
        return tx.update("DELETE FROM guest_blocks WHERE network_id = ? AND username_hash = ?",
                networkId, usernameHash) > 0;
    }

    public static Page<GuestBlockRecord> blocks(Tx tx, String networkId, GuestBlockFilter filter, PageRequest page) {
        StringBuilder from = new StringBuilder(BLOCK_ROWS);
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        QueryParts.contains(from, args, "gu.username_key", filter.username());
        QueryParts.contains(from, args, "gb.admin_key", filter.admin());
        return Keyset.fetch(tx, "gb.username_hash AS hash, gu.username AS name, gb.admin AS blocked_by,"
                        + " gb.modified_at AS blocked_at", from.toString(), args, page,
                rs -> new GuestBlockRecord(rs.getString("hash"), rs.getString("name"), rs.getString("blocked_by"),
                        rs.getLong("blocked_at")));
    }


    private static GuestRecord mapGuest(ResultSet rs) throws SQLException {
        return new GuestRecord(rs.getString("network_id"), rs.getString("username_hash"), rs.getString("username"),
                rs.getLong("first_seen_at"), rs.getLong("last_seen_at"));
    }
}
