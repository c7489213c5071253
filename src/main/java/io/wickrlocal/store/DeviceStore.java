package io.wickrlocal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Devices of users. */
public final class DeviceStore {
    private static final String SELECT = "d.*, u.suspended AS owner_suspended";
    private static final String FROM = "FROM devices d JOIN users u ON u.user_id = d.user_id";

    private DeviceStore() {}

    private static final String INSERT = "INSERT INTO devices (app_id, network_id, user_id, device_type, status_text,"
            + " created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    public static void insert(Tx tx, DeviceRecord d) {
        tx.update(INSERT, row(d));
    }

    /** Inserts the devices as one batch (a snapshot's, with their times as they were). */
    public static void insertAll(Tx tx, List<DeviceRecord> devices) {
        List<Object[]> rows = new ArrayList<>(devices.size());
        devices.forEach(d -> rows.add(row(d)));
        tx.batch(INSERT, rows);
    }

    private static Object[] row(DeviceRecord d) {
        return new Object[] {d.appId(), d.networkId(), d.userId(), d.type(), d.statusText(), d.createdAt(),
                d.lastLoginAt()};
    }

    public static Optional<DeviceRecord> find(Tx tx, long userId, String appId) {
        return tx.one("SELECT " + SELECT + " " + FROM + " WHERE d.user_id = ? AND d.app_id = ?", DeviceStore::map,
                userId, appId);
    }

    public static boolean idTaken(Tx tx, String appId) {
        return tx.exists("SELECT 1 FROM devices WHERE app_id = ?", appId);
    }

    public static void signedIn(Tx tx, String appId, long now) {
        tx.update("UPDATE devices SET last_login_at = ?, status_text = 'Active' WHERE app_id = ?", now, appId);
    }

    /** Marks the device reset: its sessions end and it shows "Reset" until the user signs in on it again. */
    public static void reset(Tx tx, String appId) {
        tx.update("UPDATE devices SET status_text = 'Reset' WHERE app_id = ?", appId);
    }

    public static Page<DeviceRecord> page(Tx tx, long userId, PageRequest page) {
        return Keyset.fetch(tx, SELECT, FROM + " WHERE d.user_id = ?", List.of(userId), page, DeviceStore::map);
    }

    private static DeviceRecord map(ResultSet rs) throws SQLException {
        return new DeviceRecord(rs.getString("app_id"), rs.getString("network_id"), rs.getLong("user_id"),
                rs.getString("device_type"), rs.getString("status_text"), rs.getLong("created_at"),
                rs.getLong("last_login_at"), rs.getInt("owner_suspended") == 1);
    }
}
