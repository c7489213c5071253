package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

class NetworkSettingsRulesTest {
    /** What a new network lists: the two settings AWS's examples GetNetworkSettings#1/#2 always show. */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("enableClientMetrics", "false");
        DEFAULTS.put("dataRetention", "false");
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

    private static void assertRefused(Runnable call, ErrorKind kind, String text) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            if (kind == ErrorKind.VALIDATION) {
                assertThat(e.problems()).extracting(FieldProblem::field).contains(text);
            } else {
                assertThat(e.getMessage()).isEqualTo(text);
            }
        });
    }

    @EveryStore
    void aNewNetworkListsClientMetricsAndDataRetentionWithTheirDefaults(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            JsonNode settings = f.invoke("GetNetworkSettings", network(net)).get("settings");
            assertThat(values(settings)).containsExactlyEntriesOf(DEFAULTS);
            settings.forEach(s -> assertThat(s.get("type").asText()).isEqualTo("boolean"));
        }
    }

    @EveryStore
    void anUpdateChangesOnlyWhatItSendsAndAnswersThat(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            JsonNode first = update(f, net,
                    "{\"enableClientMetrics\": true, \"readReceiptConfig\": {\"status\": \"FORCE_ENABLED\"}}")
                    .get("settings");
            assertThat(values(first)).containsExactly(Map.entry("enableClientMetrics", "true"),
                    Map.entry("readReceiptConfig", "FORCE_ENABLED"));
            assertThat(first.get(1).get("type").asText()).isEqualTo("string");
            // A setting once set is listed from then on, in the same order as the answer's.
            assertThat(get(f, net)).containsExactly(Map.entry("enableClientMetrics", "true"),
                    Map.entry("readReceiptConfig", "FORCE_ENABLED"), Map.entry("dataRetention", "false"));

            assertThat(values(update(f, net, "{\"enableTrustedDataFormat\": true, \"enableClientMetrics\": false}")
                    .get("settings"))).containsExactly(Map.entry("enableClientMetrics", "false"),
                    Map.entry("enableTrustedDataFormat", "true"));
            assertThat(get(f, net)).containsExactly(Map.entry("enableClientMetrics", "false"),
                    Map.entry("readReceiptConfig", "FORCE_ENABLED"), Map.entry("dataRetention", "false"),
                    Map.entry("enableTrustedDataFormat", "true"));
            assertThat(get(f, other)).isEqualTo(DEFAULTS);
        }
    }

    /** live: SMonaghan/terraform-provider-aws internal/service/wickr/network_settings_test.go
     *  (TestAccWickrNetworkSettings_premiumDataRetention): dataRetention is not set through
     *  UpdateNetworkSettings; it follows the data retention bot. The refusal's words are AWS example
     *  UpdateNetworkSettings#6's. */
    @EveryStore
    void dataRetentionFollowsTheDataRetentionBotAndIsNotSetHere(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            assertThatThrownBy(() -> update(f, net, "{\"enableClientMetrics\": true, \"dataRetention\": true}"))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                        assertThat(e.problems()).containsExactly(new FieldProblem("dataRetention",
                                "Invalid value for setting dataRetention: expected number"));
                    });
            assertRefused(() -> update(f, net, "{\"dataRetention\": false}"), ErrorKind.VALIDATION, "dataRetention");
            assertThat(get(f, net)).as("nothing of a refused call is applied").isEqualTo(DEFAULTS);

            f.invoke("CreateDataRetentionBot", network(net));
            String challenge = f.invoke("CreateDataRetentionBotChallenge", network(net)).get("challenge").asText();
            ObjectNode signIn = network(net);
            signIn.put("challenge", challenge);
            f.invoke("LocalDataRetentionBotSignIn", signIn);
            assertThat(get(f, net)).containsEntry("dataRetention", "false");
            ObjectNode enable = network(net);
            enable.put("actionType", "ENABLE");
            f.invoke("UpdateDataRetention", enable);
            assertThat(get(f, net)).containsEntry("dataRetention", "true");
            assertThat(values(update(f, net, "{\"enableClientMetrics\": true}").get("settings")))
                    .containsExactly(Map.entry("enableClientMetrics", "true"));
            enable.put("actionType", "DISABLE");
            f.invoke("UpdateDataRetention", enable);
            assertThat(get(f, net)).containsEntry("dataRetention", "false");
        }
    }

    /** live: SMonaghan/terraform-provider-aws internal/service/wickr/network_settings.go (Create():
     *  an empty settings struct causes BadRequestError). Unknown names: AWS example
     *  UpdateNetworkSettings#4's wording. */
    @EveryStore
    void meaninglessUpdatesAreRefusedAndChangeNothing(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String empty = "settings must set at least one of enableClientMetrics, readReceiptConfig, enableTrustedDataFormat, consentPopup";
            assertRefused(() -> update(f, net, "{}"), ErrorKind.BAD_REQUEST, empty);
            assertRefused(() -> update(f, net, "{\"enableClientMetrics\": null}"), ErrorKind.BAD_REQUEST, empty);
            assertRefused(() -> update(f, net, "{\"readReceiptConfig\": {}}"), ErrorKind.VALIDATION,
                    "settings.readReceiptConfig.status");
            assertRefused(() -> update(f, net, "{\"enableClientMetrics\": true, \"enableClientMetric\": true}"),
                    ErrorKind.BAD_REQUEST, "Invalid setting name: enableClientMetric");
            assertThat(get(f, net)).isEqualTo(DEFAULTS);
        }
    }

    @EveryStore
    void settingsOfAnUnknownOrForeignNetworkAreNotFound(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            Call stranger = new Call("999999999999", f.call.region(), "other", "r");
            for (Runnable call : new Runnable[] {
                    () -> f.invoke("GetNetworkSettings", network("12345678")),
                    () -> f.invoke("GetNetworkSettings", stranger, network(net)),
                    () -> update(f, "12345678", "{\"enableClientMetrics\": true}")}) {
                assertRefused(call, ErrorKind.NOT_FOUND, "Network not found");
            }
        }
    }

    @EveryStore
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
