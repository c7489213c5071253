package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.DataRetentionBotRecord;
import io.wickrlocal.store.DataRetentionBotStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.SettingStore;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * GetNetworkSettings and UpdateNetworkSettings. GetNetworkSettings always lists enableClientMetrics and
 * dataRetention (AWS examples GetNetworkSettings#1/#2 list both, defaults included) and the other
 * settings once they have been set (our choice: the examples never show them). dataRetention is not a
 * stored setting: it says whether the data retention bot's service is enabled (UpdateDataRetention), and
 * UpdateNetworkSettings refuses it (live: SMonaghan/terraform-provider-aws network_settings_test.go).
 */
final class NetworkSettingsOperations {
    static final String BOOLEAN = "boolean";
    static final String STRING = "string";
    /** A setting whose value is a JSON object written as text (the consent pop-up). */
    static final String JSON = "json";
    static final String READ_RECEIPTS = "readReceiptConfig";
    static final String CONSENT_POPUP = "consentPopup";
    /** ConsentPopupConfig's members with the longest text each may hold (as the contract has them); enabled is a boolean. */
    private static final Map<String, Integer> CONSENT_POPUP_TEXTS = Map.of("header", 100, "content", 5000,
            "closeButtonLabel", 20);
    static final String DATA_RETENTION = "dataRetention";
    static final List<String> READ_RECEIPT_STATUSES = List.of("DISABLED", "ENABLED", "FORCE_ENABLED");

    /** Each setting with its type, its default and whether GetNetworkSettings lists it unset, in answer order. */
    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("enableClientMetrics", new Setting(BOOLEAN, "false", true));
        SETTINGS.put(READ_RECEIPTS, new Setting(STRING, "DISABLED", false));
        SETTINGS.put(DATA_RETENTION, new Setting(BOOLEAN, "false", true));
        SETTINGS.put("enableTrustedDataFormat", new Setting(BOOLEAN, "false", false));
        SETTINGS.put(CONSENT_POPUP, new Setting(JSON, "{\"enabled\":false}", false));
    }

    /** The settings UpdateNetworkSettings sets. */
    private static final List<String> SETTABLE = SETTINGS.keySet().stream()
            .filter(name -> !name.equals(DATA_RETENTION)).toList();

    private record Setting(String type, String defaultValue, boolean alwaysListed) {}

    private final Clock clock;

    NetworkSettingsOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.read("GetNetworkSettings", this::get));
        into.add(OperationDescriptor.change("UpdateNetworkSettings", this::update));
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Map<String, String> current = current(tx, network.networkId());
        return answer(current, name -> SETTINGS.get(name).alwaysListed() || current.containsKey(name));
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Map<String, String> changes = changes(in.get("settings"));
        long now = clock.instant().getEpochSecond();
        changes.forEach((name, value) -> SettingStore.put(tx, network.networkId(), name, value, now));
        // The answer lists the settings the call set (AWS examples UpdateNetworkSettings#2/#3).
        return answer(current(tx, network.networkId()), changes::containsKey);
    }

    /** The stored settings that were set, with dataRetention from the data retention bot. */
    private static Map<String, String> current(Tx tx, String networkId) {
        Map<String, String> values = new HashMap<>(SettingStore.values(tx, networkId));
        values.put(DATA_RETENTION, Boolean.toString(DataRetentionBotStore.find(tx, networkId)
                .map(DataRetentionBotRecord::serviceEnabled).orElse(false)));
        return values;
    }

    /** The settings the request sets, as stored text; the protocol layer has checked their JSON types. */
    private static Map<String, String> changes(JsonNode settings) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : settings.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!SETTINGS.containsKey(name)) {
                // Unknown members would otherwise vanish silently, hiding a typo in the caller's code;
                // the wording is the service's (AWS example UpdateNetworkSettings#4).
                throw ServiceException.badRequest("Invalid setting name: " + name);
            }
            if (value.isNull()) {
                continue;
            }
            if (name.equals(DATA_RETENTION)) {
                // Refused (live: SMonaghan/terraform-provider-aws network_settings_test.go), in the words of
                // AWS example UpdateNetworkSettings#6.
                throw ServiceException.invalid(DATA_RETENTION, "Invalid value for setting dataRetention: expected number");
            }
            if (name.equals(READ_RECEIPTS)) {
                JsonNode status = value.get("status");
                if (status == null || status.isNull()) {
                    throw ServiceException.invalid("settings.readReceiptConfig.status", "is required: one of "
                            + String.join(", ", READ_RECEIPT_STATUSES));
                }
                changes.put(name, status.asText());
            } else if (name.equals(CONSENT_POPUP)) {
                changes.put(name, consentPopup(value));
            } else {
                changes.put(name, Boolean.toString(value.asBoolean()));
            }
        }
        if (changes.isEmpty()) {
            // BadRequestError, as the live service answers an empty settings object (live:
            // SMonaghan/terraform-provider-aws network_settings.go).
            throw ServiceException.badRequest("settings must set at least one of " + String.join(", ", SETTABLE));
        }
        return changes;
    }

    /**
     * The consent pop-up as stored and answered: the members sent, in the contract's order, as JSON text.
     * A new configuration replaces the previous one whole (its {@code enabled} is required); the
     * contract has checked the types, the lengths and that {@code enabled} is there.
     */
    private static String consentPopup(JsonNode value) {
        ObjectNode out = Json.object();
        out.put("enabled", value.path("enabled").asBoolean());
        for (String member : List.of("header", "content", "closeButtonLabel")) {
            JsonNode text = value.get(member);
            if (text != null && !text.isNull()) {
                out.put(member, text.asText());
            }
        }
        return Json.write(out);
    }

    /** Why the text is not a stored consent pop-up, or null when it is. */
    private static String consentPopupProblem(String value) {
        JsonNode node;
        try {
            node = Json.read(value);
        } catch (RuntimeException e) {
            return "must be a JSON object such as {\"enabled\": true, \"header\": \"...\"}";
        }
        if (node == null || !node.isObject()) {
            return "must be a JSON object such as {\"enabled\": true, \"header\": \"...\"}";
        }
        if (!node.path("enabled").isBoolean()) {
            return "must have enabled, true or false";
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().equals("enabled")) {
                continue;
            }
            Integer max = CONSENT_POPUP_TEXTS.get(e.getKey());
            if (max == null) {
                return "has the unknown member " + e.getKey() + "; its members are enabled, header, content, closeButtonLabel";
            }
            if (!e.getValue().isTextual()) {
                return "must have " + e.getKey() + " as text";
            }
            String text = e.getValue().textValue();
            if (text.codePointCount(0, text.length()) > max) {
                return "must have " + e.getKey() + " of at most " + max + " characters";
            }
        }
        return null;
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
        if (setting.type().equals(JSON)) {
            return consentPopupProblem(value);
        }
        return READ_RECEIPT_STATUSES.contains(value) ? null : "must be one of " + String.join(", ", READ_RECEIPT_STATUSES);
    }

    private static ObjectNode answer(Map<String, String> current, Predicate<String> listed) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("settings");
        SETTINGS.forEach((name, setting) -> {
            if (listed.test(name)) {
                ObjectNode item = list.addObject();
                item.put("optionName", name);
                item.put("value", current.getOrDefault(name, setting.defaultValue()));
                item.put("type", setting.type());
            }
        });
        return out;
    }
}
