package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.util.List;
import java.util.function.Supplier;

class OpenTdfRulesTest {


    private static ObjectNode config(String net, String clientId, String secret, String domain, String provider) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("clientId", clientId);
        in.put("clientSecret", secret);
        in.put("domain", domain);
        in.put("provider", provider);
        return in;
    }

    private static ObjectNode get(ServiceFixture f, String net) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        return f.invoke("GetOpentdfConfig", in);
    }

    private static void assertInvalid(ServiceFixture f, ObjectNode in, String field) {
        assertThatThrownBy(() -> f.invoke("RegisterOpentdfConfig", in))
                .as(in.toString())
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                    assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(field);
                });
    }

    /** Never configured: every member empty (AWS example GetOpentdfConfig#2). */
    private static void assertNotConfigured(ServiceFixture f, String net) {
        ObjectNode out = get(f, net);
        for (String member : List.of("clientId", "clientSecret", "domain", "provider")) {
            assertThat(out.get(member).asText()).as(member).isEmpty();
        }
    }

    @EveryStore
    void registeringStoresTheConfigurationAndGetReturnsIt(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            ObjectNode out = f.invoke("RegisterOpentdfConfig", config(net, "cid", "s3cret", "tdf.example.com", "Virtru"));
            assertThat(out.get("clientId").asText()).isEqualTo("cid");
            assertThat(out.get("clientSecret").asText()).isEqualTo("s3cret");
            assertThat(out.get("domain").asText()).isEqualTo("tdf.example.com");
            assertThat(out.get("provider").asText()).isEqualTo("virtru");
            assertThat(get(f, net)).isEqualTo(out);
            assertNotConfigured(f, other);
        }
    }

    @EveryStore
    void aSecondRegistrationReplacesTheFirst(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.invoke("RegisterOpentdfConfig", config(net, "one", "s1", "one.example.com", "virtru"));
            f.invoke("RegisterOpentdfConfig", config(net, "two", "s2", "two.example.com", "VIRTRU"));
            ObjectNode now = get(f, net);
            assertThat(now.get("clientId").asText()).isEqualTo("two");
            assertThat(now.get("clientSecret").asText()).isEqualTo("s2");
            assertThat(now.get("domain").asText()).isEqualTo("two.example.com");
        }
    }

    @EveryStore
    void aDryRunChecksAndAnswersButStoresNothing(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode dry = config(net, "cid", "s", "tdf.example.com", "virtru");
            dry.put("dryRun", true);
            assertThat(f.invoke("RegisterOpentdfConfig", dry).get("domain").asText()).isEqualTo("tdf.example.com");
            assertNotConfigured(f, net);

            f.invoke("RegisterOpentdfConfig", config(net, "kept", "s", "kept.example.com", "virtru"));
            f.invoke("RegisterOpentdfConfig", dry);
            assertThat(get(f, net).get("clientId").asText()).isEqualTo("kept");

            ObjectNode badDry = config(net, "cid", "s", "tdf.example.com", "acme");
            badDry.put("dryRun", true);
            assertInvalid(f, badDry, "provider");
        }
    }

    @EveryStore
    void onlyVirtruIsAProvider(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            for (String provider : List.of("acme", "", "virtru-x", "opentdf")) {
                assertInvalid(f, config(net, "cid", "s", "tdf.example.com", provider), "provider");
            }
            assertNotConfigured(f, net);
        }
    }

    @EveryStore
    void theDomainMustBeAHostName(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            for (String domain : List.of("", "http://tdf.example.com", "https://tdf.example.com/api", "ftp://tdf.example.com", "tdf.example.com/api", "tdf.example.com:443",
                    "localhost", "-tdf.example.com", "tdf-.example.com", " tdf.example.com", "tdf..example.com",
                    "tdf_1.example.com", "a".repeat(64) + ".example.com", ("abcdefghi.").repeat(26) + "com")) {
                assertInvalid(f, config(net, "cid", "s", domain, "virtru"), "domain");
            }
            assertNotConfigured(f, net);
            for (String domain : List.of("tdf.example.com", "a-b.example.co.uk", "TDF.Example.COM", "10.0.0.7",
                    "https://api.sample.com", "https://tdf.example.com/")) {
                f.invoke("RegisterOpentdfConfig", config(net, "cid", "s", domain, "virtru"));
                assertThat(get(f, net).get("domain").asText()).isEqualTo(domain);
            }
        }
    }

    @EveryStore
    void clientIdAndSecretMustNotBeBlank(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            assertInvalid(f, config(net, " ", "s", "tdf.example.com", "virtru"), "clientId");
            assertInvalid(f, config(net, "cid", "", "tdf.example.com", "virtru"), "clientSecret");
            assertNotConfigured(f, net);
        }
    }

    @EveryStore
    void anotherOwnersOrAnUnknownNetworkIsNotFound(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.invoke("RegisterOpentdfConfig", config(net, "cid", "s", "tdf.example.com", "virtru"));
            Call stranger = new Call("999999999999", "us-east-1", "other", "req");
            ObjectNode in = Json.object();
            in.put("networkId", net);
            for (String op : List.of("GetOpentdfConfig", "RegisterOpentdfConfig")) {
                ObjectNode input = op.equals("GetOpentdfConfig") ? in
                        : config(net, "evil", "s", "tdf.example.com", "virtru");
                assertThatThrownBy(() -> f.invoke(op, stranger, input))
                        .isInstanceOfSatisfying(ServiceException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                            assertThat(e.getMessage()).isEqualTo("Network not found");
                        });
            }
            assertThat(get(f, net).get("clientId").asText()).isEqualTo("cid");
        }
    }

    private static String rawSecret(ServiceFixture f, String net) {
        return f.database.transaction(tx -> tx.one("SELECT client_secret FROM opentdf_configs WHERE network_id = ?",
                rs -> rs.getString(1), net)).orElseThrow();
    }

    @EveryStore
    void theClientSecretIsStoredEncryptedAndGetStillReturnsIt(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.invoke("RegisterOpentdfConfig", config(net, "cid", "tdf-hunter2", "tdf.example.com", "virtru"));
            assertThat(rawSecret(f, net)).startsWith("v1:").doesNotContain("hunter2");
            String clientId = f.database.transaction(tx -> tx.one(
                    "SELECT client_id FROM opentdf_configs WHERE network_id = ?", rs -> rs.getString(1), net)).orElseThrow();
            assertThat(clientId).isEqualTo("cid");
            assertThat(get(f, net).get("clientSecret").asText()).isEqualTo("tdf-hunter2");
        }
    }

    @EveryStore
    void aSecretCopiedToAnotherNetworksRowIsRefusedRatherThanAnswered(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            f.invoke("RegisterOpentdfConfig", config(net, "cid", "tdf-one", "tdf.example.com", "virtru"));
            f.invoke("RegisterOpentdfConfig", config(other, "cid", "tdf-two", "tdf.example.com", "virtru"));
            String stolen = rawSecret(f, net);
            f.database.transaction(tx -> tx.update("UPDATE opentdf_configs SET client_secret = ? WHERE network_id = ?",
                    stolen, other));
            assertThatThrownBy(() -> get(f, other)).isInstanceOf(io.wickrlocal.store.StoreException.class)
                    .hasMessageContaining("network " + other + " cannot be decrypted").hasMessageNotContaining("tdf-one");
            assertThat(get(f, net).get("clientSecret").asText()).isEqualTo("tdf-one");
        }
    }
}
