package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkSettingsRulesTest {
    /** The defaults, in the contract's member order. */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("enableClientMetrics", "false");
        DEFAULTS.put("readReceiptConfig", "DISABLED");
        DEFAULTS.put("dataRetention", "false");
        DEFAULTS.put("enableTrustedDataFormat", "false");
        DEFAULTS.put("consentPopup", "{\"enabled\":false}");
    }


    private static ObjectNode network(String net) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        return in;
    }

    private static Map<String, String> values(JsonNode settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach(s -> out.put(s.get("optionName").asText(), s.get("value").asText()));
        return out;
    }

    private static Map<String, String> get(ServiceFixture f, String net) {
        return values(f.invoke("GetNetworkSettings", network(net)).get("settings"));
    }

    private static ObjectNode update(ServiceFixture f, String net, String settingsJson) {
        ObjectNode in = network(net);
        in.set("settings", Json.read(settingsJson));
        return f.invoke("UpdateNetworkSettings", in);
    }

    private static void assertInvalid(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
            assertThat(e.problems()).extracting(FieldProblem::field).contains(field);
        });
    }

    @ParameterizedTest
    @MethodSource("io.wickrlocal.store.TestStores#all")
    void aNewNetworkListsEverySettingWithItsDefaultAndType(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            JsonNode settings = f.invoke("GetNetworkSettings", network(net)).get("settings");
            assertThat(values(settings)).containsExactlyEntriesOf(DEFAULTS);
            Map<String, String> types = new LinkedHashMap<>();
            settings.forEach(s -> types.put(s.get("optionName").asText(), s.get("type").asText()));
            assertThat(types).containsEntry("enableClientMetrics", "boolean").containsEntry("readReceiptConfig", "string")
                    .containsEntry("dataRetention", "boolean").containsEntry("enableTrustedDataFormat", "boolean");
        }
    }

    @ParameterizedTest
    @MethodSource("io.wickrlocal.store.TestStores#all")
    void anUpdateChangesOnlyWhatItSendsAndAnswersTheFullList(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            Map<String, String> after = values(update(f, net,
                    "{\"enableClientMetrics\": true, \"readReceiptConfig\": {\"status\": \"FORCE_ENABLED\"}}")
                    .get("settings"));
            assertThat(after).hasSize(5).containsEntry("enableClientMetrics", "true")
                    .containsEntry("readReceiptConfig", "FORCE_ENABLED").containsEntry("dataRetention", "false");
            assertThat(get(f, net)).isEqualTo(after);

            Map<String, String> second = values(update(f, net, "{\"dataRetention\": true, \"enableClientMetrics\": false}")
                    .get("settings"));
            assertThat(second).containsEntry("dataRetention", "true").containsEntry("enableClientMetrics", "false")
                    .containsEntry("readReceiptConfig", "FORCE_ENABLED").containsEntry("enableTrustedDataFormat", "false");
            assertThat(get(f, other)).isEqualTo(DEFAULTS);
        }
    }

    @ParameterizedTest
    @MethodSource("io.wickrlocal.store.TestStores#all")
    void meaninglessUpdatesAreRefusedAndChangeNothing(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            assertInvalid(() -> update(f, net, "{}"), "settings");
            assertInvalid(() -> update(f, net, "{\"readReceiptConfig\": {}}"), "settings.readReceiptConfig.status");
            assertInvalid(() -> update(f, net, "{\"enableClientMetrics\": true, \"enableClientMetric\": true}"),
                    "settings.enableClientMetric");
            assertThat(get(f, net)).isEqualTo(DEFAULTS);
        }
    }

    @ParameterizedTest
    @MethodSource("io.wickrlocal.store.TestStores#all")
    void settingsOfAnUnknownOrForeignNetworkAreNotFound(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            Call stranger = new Call("999999999999", f.call.region(), "other", "r");
            for (Runnable call : new Runnable[] {
                    () -> f.invoke("GetNetworkSettings", network("12345678")),
                    () -> f.invoke("GetNetworkSettings", stranger, network(net)),
                    () -> update(f, "12345678", "{\"dataRetention\": true}")}) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.wickrlocal.store.TestStores#all")
    void theConsentPopupIsStoredWholeAndListedAsJsonText(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            JsonNode settings = update(f, net, "{\"consentPopup\": {\"closeButtonLabel\": \"OK\", \"enabled\": true,"
                    + " \"header\": \"Notice\", \"content\": \"**Monitored** system\"}}").get("settings");
            JsonNode item = null;
            for (JsonNode s : settings) {
                if (s.get("optionName").asText().equals("consentPopup")) {
                    item = s;
                }
            }
            assertThat(item).isNotNull();
            assertThat(item.get("type").asText()).isEqualTo("json");
            assertThat(item.get("value").asText()).isEqualTo("{\"enabled\":true,\"header\":\"Notice\","
                    + "\"content\":\"**Monitored** system\",\"closeButtonLabel\":\"OK\"}");
            update(f, net, "{\"consentPopup\": {\"enabled\": false}}");
            assertThat(get(f, net)).as("a new configuration replaces the previous one")
                    .containsEntry("consentPopup", "{\"enabled\":false}");
            assertThat(get(f, net)).containsEntry("enableClientMetrics", "false");
        }
    }

    @org.junit.jupiter.api.Test
    void aStoredConsentPopupMustBeWhatTheContractAllows() {
        assertThat(NetworkSettingsOperations.storedValueProblem("consentPopup", "{\"enabled\":true,\"header\":\"x\"}"))
                .isNull();
        assertThat(NetworkSettingsOperations.storedValueProblem("consentPopup", "{\"header\":\"x\"}")).isNotNull();
        assertThat(NetworkSettingsOperations.storedValueProblem("consentPopup",
                "{\"enabled\":true,\"header\":\"" + "h".repeat(101) + "\"}")).contains("header");
        assertThat(NetworkSettingsOperations.storedValueProblem("consentPopup", "{\"enabled\":true,\"colour\":\"red\"}"))
                .contains("colour");
        assertThat(NetworkSettingsOperations.storedValueProblem("consentPopup", "not json")).isNotNull();
    }
}
