package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.SettingStore;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GetNetworkSettings and UpdateNetworkSettings. Every setting of the contract's NetworkSettings
 * shape is always listed, with its default until someone changes it.
 */
final class NetworkSettingsOperations {
    static final String BOOLEAN = "boolean";
    static final String STRING = "string";
    static final String READ_RECEIPTS = "readReceiptConfig";
    static final List<String> READ_RECEIPT_STATUSES = List.of("DISABLED", "ENABLED", "FORCE_ENABLED");

    /** Each setting with its type and default, in the contract's member order. */
    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("enableClientMetrics", new Setting(BOOLEAN, "false"));
        SETTINGS.put(READ_RECEIPTS, new Setting(STRING, "DISABLED"));
        SETTINGS.put("dataRetention", new Setting(BOOLEAN, "false"));
        SETTINGS.put("enableTrustedDataFormat", new Setting(BOOLEAN, "false"));
    }

    private record Setting(String type, String defaultValue) {}

    private final Clock clock;

    NetworkSettingsOperations(Clock clock) {
        this.clock = clock;
    }

    void register(Map<String, OperationHandler> into) {
        into.put("GetNetworkSettings", this::get);
        into.put("UpdateNetworkSettings", this::update);
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        return answer(SettingStore.values(tx, network.networkId()));
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Map<String, String> changes = changes(in.get("settings"));
        long now = clock.instant().getEpochSecond();
        changes.forEach((name, value) -> SettingStore.put(tx, network.networkId(), name, value, now));
        return answer(SettingStore.values(tx, network.networkId()));
    }

    /** The settings the request sets, as stored text; the protocol layer has checked their JSON types. */
    private static Map<String, String> changes(JsonNode settings) {
        Map<String, String> changes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = settings.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!SETTINGS.containsKey(name)) {
                // Unknown members would otherwise vanish silently, hiding a typo in the caller's code.
                throw ServiceException.invalid("settings." + name, "is not a network setting; use one of "
                        + String.join(", ", SETTINGS.keySet()));
            }
            if (value.isNull()) {
                continue;
            }
            if (name.equals(READ_RECEIPTS)) {
                JsonNode status = value.get("status");
                if (status == null || status.isNull()) {
                    throw ServiceException.invalid("settings.readReceiptConfig.status", "is required: one of "
                            + String.join(", ", READ_RECEIPT_STATUSES));
                }
                changes.put(name, status.asText());
            } else {
                changes.put(name, Boolean.toString(value.asBoolean()));
            }
        }
        if (changes.isEmpty()) {
            throw ServiceException.invalid("settings", "must set at least one of " + String.join(", ", SETTINGS.keySet()));
        }
        return changes;
    }

    /** Why the text cannot be the stored value of the setting, or null when it can (for snapshots). */
    static String storedValueProblem(String name, String value) {
        Setting setting = SETTINGS.get(name);
        if (setting == null) {
            return "is not a network setting; use one of " + String.join(", ", SETTINGS.keySet());
        }
        if (setting.type().equals(BOOLEAN)) {
            return value.equals("true") || value.equals("false") ? null : "must be true or false";
        }
        return READ_RECEIPT_STATUSES.contains(value) ? null : "must be one of " + String.join(", ", READ_RECEIPT_STATUSES);
    }

    private static ObjectNode answer(Map<String, String> stored) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("settings");
        SETTINGS.forEach((name, setting) -> {
            ObjectNode item = list.addObject();
            item.put("optionName", name);
            item.put("value", stored.getOrDefault(name, setting.defaultValue()));
            item.put("type", setting.type());
        });
        return out;
    }
}
