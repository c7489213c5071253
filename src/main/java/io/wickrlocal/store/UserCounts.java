package io.wickrlocal.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many users a network has in each status, maintained with every change instead of counted
 * when asked. A count is split over {@link #SHARDS} rows and each transaction's changes land on one
 * of them, chosen at random, so concurrent transactions in one network seldom touch the same row (on
 * PostgreSQL a shared row would make every concurrent writer of the network conflict).
 */
final class UserCounts {
    static final int SHARDS = 8;

    private UserCounts() {}

    /** Adds {@code delta} users of {@code status} to the network's count. */
    static void add(Tx tx, String networkId, int status, long delta) {
        if (delta == 0) {
            return;
        }
        tx.update("INSERT INTO user_counts (network_id, status, shard, n) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (network_id, status, shard) DO UPDATE SET n = user_counts.n + excluded.n",
                networkId, status, tx.counterShard(SHARDS), delta);
    }

    /** Subtracts, per status, the users about to be deleted. */
    static void removeUsers(Tx tx, String networkId, List<Object> userIds) {
        if (userIds.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>();
        args.add(networkId);
        args.addAll(userIds);
        Map<Integer, Long> byStatus = new java.util.HashMap<>();
        tx.list("SELECT status, COUNT(*) FROM users WHERE network_id = ? AND user_id IN ("
                + UserStore.marks(userIds.size()) + ") GROUP BY status", rs -> byStatus.put(rs.getInt(1), rs.getLong(2)),
                args.toArray());
        byStatus.forEach((status, n) -> add(tx, networkId, status, -n));
    }

    /** Index 0 pending (status 1), index 1 active (status 2). */
    static long[] read(Tx tx, String networkId) {
        long[] counts = new long[2];
        tx.list("SELECT status, SUM(n) FROM user_counts WHERE network_id = ? GROUP BY status", rs -> {
            int status = rs.getInt(1);
            if (status == UserRecord.PENDING || status == UserRecord.ACTIVE) {
                counts[status - 1] = rs.getLong(2);
            }
            return null;
        }, networkId);
        return counts;
    }
}
