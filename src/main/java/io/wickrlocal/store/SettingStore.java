package io.wickrlocal.store;

import java.util.HashMap;
import java.util.Map;

/**
 * A network's settings as name/text pairs. Only settings that were ever changed have a row; what a
 * missing one means is the service's business.
 */
public final class SettingStore {
    private SettingStore() {}

    public static Map<String, String> values(Tx tx, String networkId) {
        Map<String, String> values = new HashMap<>();
        tx.list("SELECT name, value FROM network_settings WHERE network_id = ?",
                rs -> values.put(rs.getString(1), rs.getString(2)), networkId);
        return values;
    }

    public static void put(Tx tx, String networkId, String name, String value, long now) {
        int changed = tx.update("UPDATE network_settings SET value = ?, modified_at = ? WHERE network_id = ? AND name = ?",
                value, now, networkId, name);
        if (changed == 0) {
            tx.update("INSERT INTO network_settings (network_id, name, value, modified_at) VALUES (?, ?, ?, ?)",
                    networkId, name, value, now);
        }
    }
}
