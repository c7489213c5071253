package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.util.function.Supplier;

/** Snapshots carry a group's maxNonSsoSessionMinutes and the network's consent pop-up. */
class SnapshotNewerMembersTest {
    static final Call A = new Call("000000000000", "us-east-1", "test", "r");

    private static ObjectNode net(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        return in;
    }

    private static String state(ServiceFixture f, String networkId, String groupId) {
        ObjectNode g = net(networkId);
        g.put("groupId", groupId);
        return Json.write(f.invoke("GetSecurityGroup", g)) + Json.write(f.invoke("GetNetworkSettings", net(networkId)));
    }

    @EveryStore
    void bothRoundTrip(Supplier<Database> store) {
        try (ServiceFixture source = new ServiceFixture(store.get());
             ServiceFixture target = new ServiceFixture(store.get())) {
            String network = source.network();
            String group = source.defaultGroup(network);
            ObjectNode update = net(network);
            update.put("groupId", group);
            update.putObject("securityGroupSettings").put("maxNonSsoSessionMinutes", 1440);
            source.invoke("UpdateSecurityGroup", update);
            ObjectNode settings = net(network);
            settings.putObject("settings").putObject("consentPopup").put("enabled", true).put("header", "Notice")
                    .put("content", "Ünïcode \"quoted\"\nand " + "x".repeat(4900));
            source.invoke("UpdateNetworkSettings", settings);
            String before = state(source, network, group);

            String document = SnapshotWire.export(source, A, false, null);
            SnapshotWire.importDocument(target, A, document, false, null);
            assertThat(state(target, network, group)).isEqualTo(before).contains("\"maxNonSsoSessionMinutes\":1440");
        }
    }

    @EveryStore
    void anImportMeetsTheContractsRules(Supplier<Database> store) {
        try (ServiceFixture source = new ServiceFixture(store.get());
             ServiceFixture target = new ServiceFixture(store.get())) {
            source.network();
            ObjectNode doc = (ObjectNode) Json.read(SnapshotWire.export(source, A, false, null));
            JsonNode network = doc.at("/accounts/0/networks/0");
            ((ObjectNode) network.at("/securityGroups/0/settings")).put("maxNonSsoSessionMinutes", 525601);
            assertThatThrownBy(() -> SnapshotWire.importDocument(target, A, Json.write(doc), false, null))
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.problems())
                            .extracting(FieldProblem::field)
                            .containsExactly("accounts[0].networks[0].securityGroups[0].settings.maxNonSsoSessionMinutes"));

            ((ObjectNode) network.at("/securityGroups/0/settings")).put("maxNonSsoSessionMinutes", 60);
            ObjectNode setting = ((com.fasterxml.jackson.databind.node.ArrayNode) network.get("settings")).addObject();
            setting.put("name", "consentPopup");
            setting.put("value", "{\"enabled\":true,\"header\":\"" + "h".repeat(101) + "\"}");
            setting.put("modifiedAt", 1_700_000_000L);
            assertThatThrownBy(() -> SnapshotWire.importDocument(target, A, Json.write(doc), false, null))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                        assertThat(e.problems()).extracting(FieldProblem::field).first().asString()
                                .startsWith("accounts[0].networks[0].settings[");
                    });
        }
    }
}
