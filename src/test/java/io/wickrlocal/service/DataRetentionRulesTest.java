package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.DataRetentionBotStore;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

class DataRetentionRulesTest {


    private static ObjectNode in(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        return in;
    }

    private static ObjectNode state(ServiceFixture f, String net) {
        return f.invoke("GetDataRetentionBot", in(net));
    }

    private static String challenge(ServiceFixture f, String net) {
        return f.invoke("CreateDataRetentionBotChallenge", in(net)).get("challenge").asText();
    }

    private static ObjectNode signIn(ServiceFixture f, String net, String challenge) {
        return f.invoke("LocalDataRetentionBotSignIn", in(net).put("challenge", challenge));
    }

    private static ObjectNode action(ServiceFixture f, String net, String action) {
        return f.invoke("UpdateDataRetention", in(net).put("actionType", action));
    }

    private static void fails(ErrorKind kind, String mention, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage().toLowerCase()).contains(mention);
        });
    }

    private static void flags(ObjectNode state, boolean exists, boolean registered, boolean enabled, boolean acked) {
        assertThat(state.get("botExists").asBoolean()).as("botExists").isEqualTo(exists);
        assertThat(state.get("isDataRetentionBotRegistered").asBoolean()).as("registered").isEqualTo(registered);
        assertThat(state.get("isBotActive").asBoolean()).as("active").isEqualTo(registered);
        assertThat(state.get("isDataRetentionServiceEnabled").asBoolean()).as("enabled").isEqualTo(enabled);
        assertThat(state.get("isPubkeyMsgAcked").asBoolean()).as("acked").isEqualTo(acked);
    }

    @EveryStore
    void withoutABotEverythingIsFalseAndOperationsNeedOne(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            ObjectNode none = state(f, net);
            flags(none, false, false, false, false);
            // The name it would get (AWS example GetDataRetentionBot#2).
            assertThat(none.get("botName").asText()).isEqualTo("compliance_" + net + "_bot");
            fails(ErrorKind.NOT_FOUND, "no data retention bot", () -> challenge(f, net));
            fails(ErrorKind.NOT_FOUND, "data retention bot not found or not registered", () -> action(f, net, "DISABLE"));
            fails(ErrorKind.NOT_FOUND, "no data retention bot", () -> f.invoke("DeleteDataRetentionBot", in(net)));
            fails(ErrorKind.NOT_FOUND, "no data retention bot", () -> signIn(f, net, "anything"));
            fails(ErrorKind.NOT_FOUND, "network", () -> state(f, "99999999"));
        }
    }

    @EveryStore
    void oneBotPerNetwork(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            String other = f.premiumNetwork();
            f.invoke("CreateDataRetentionBot", in(net));
            // AWS example CreateDataRetentionBot#2.
            fails(ErrorKind.BAD_REQUEST, "users already exist in this network.",
                    () -> f.invoke("CreateDataRetentionBot", in(net)));
            f.invoke("CreateDataRetentionBot", in(other));
            ObjectNode created = state(f, net);
            flags(created, true, false, false, false);
            assertThat(created.get("botName").asText()).isEqualTo("compliance_" + net + "_bot");
        }
    }

    @EveryStore
    void theLifecycleMovesThroughRegistrationEnablementAndAcknowledgement(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            f.invoke("CreateDataRetentionBot", in(net));
            fails(ErrorKind.FORBIDDEN, "no challenge", () -> signIn(f, net, "guess"));
            // live #49 (SMonaghan/terraform-provider-aws data_retention_bot.go): every action needs registration.
            for (String a : new String[] {"ENABLE", "DISABLE", "PUBKEY_MSG_ACK"}) {
                fails(ErrorKind.BAD_REQUEST, "data retention bot not found or not registered", () -> action(f, net, a));
            }
            String pw = challenge(f, net);
            flags(state(f, net), true, false, false, false);
            fails(ErrorKind.BAD_REQUEST, "not registered", () -> action(f, net, "DISABLE"));

            fails(ErrorKind.FORBIDDEN, "wrong", () -> signIn(f, net, pw + "x"));
            flags(state(f, net), true, false, false, false);
            assertThat(signIn(f, net, pw).get("sessionId").asText()).isNotBlank();
            flags(state(f, net), true, true, false, false);

            action(f, net, "ENABLE");
            flags(state(f, net), true, true, true, false);
            assertThat(action(f, net, "ENABLE").get("message").asText()).isEqualTo("data retention service enabled");
            action(f, net, "PUBKEY_MSG_ACK");
            flags(state(f, net), true, true, true, true);
            action(f, net, "DISABLE");
            flags(state(f, net), true, true, false, true);
        }
    }

    /** live #46 (SMonaghan/terraform-provider-aws data_retention_bot_test.go): not on a STANDARD network. */
    @EveryStore
    void aStandardNetworkMayNotHaveOne(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            fails(ErrorKind.FORBIDDEN, "action not permitted with current access level",
                    () -> f.invoke("CreateDataRetentionBot", in(net)));
            flags(state(f, net), false, false, false, false);
        }
    }

    @EveryStore
    void eachChallengeReplacesTheLastAndOnlyItsHashIsKept(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            f.invoke("CreateDataRetentionBot", in(net));
            String first = challenge(f, net);
            String second = challenge(f, net);
            assertThat(second).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(16);
            String stored = f.service.transaction(tx -> DataRetentionBotStore.find(tx, net).orElseThrow().challengeHash());
            assertThat(stored).doesNotContain(second).doesNotContain(first);
            fails(ErrorKind.FORBIDDEN, "wrong", () -> signIn(f, net, first));
            signIn(f, net, second);
            flags(state(f, net), true, true, false, false);
        }
    }

    @EveryStore
    void deleteRemovesTheBotAndItsSettings(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.premiumNetwork();
            f.invoke("CreateDataRetentionBot", in(net));
            signIn(f, net, challenge(f, net));
            action(f, net, "ENABLE");
            f.invoke("DeleteDataRetentionBot", in(net));
            flags(state(f, net), false, false, false, false);
            f.invoke("CreateDataRetentionBot", in(net));
            flags(state(f, net), true, false, false, false);
        }
    }
}
