package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A snapshot import refuses, with a modeled 4xx naming what is wrong and writing nothing, a target
 * that is not empty, a document of another format or version, another account's document without
 * allAccounts, sealed secrets without (or with the wrong) passphrase, and values the API would
 * refuse.
 */
class SnapshotImportRefusalTest {
    static final Call A = SnapshotRoundTripTest.A_EAST;
    static final Call B = SnapshotRoundTripTest.B;
    static final String PASS = SnapshotRoundTripTest.PASSPHRASE;

    /** A one-network document of account A, exported with the passphrase. */
    private static ObjectNode document(ServiceFixture source) {
        RichState.populate(source, A, "a1");
        return (ObjectNode) Json.read(SnapshotWire.export(source, A, false, PASS));
    }

    private static ObjectNode network(ObjectNode doc) {
        return (ObjectNode) doc.get("accounts").get(0).get("networks").get(0);
    }

    private static ServiceException refusal(ThrowableAssert.ThrowingCallable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                call.call();
            } catch (Throwable t) {
                caught[0] = t;
                throw t;
            }
        }).isInstanceOf(ServiceException.class);
        return (ServiceException) caught[0];
    }

    private static void assertNothingImported(ServiceFixture target, Call as) {
        assertThat(target.invoke("ListNetworks", as, Json.object()).get("networks")).isEmpty();
        assertThat(SnapshotRoundTripTest.rows(target).values()).allMatch(List::isEmpty);
    }

    @EveryStore
    void theTargetMustBeEmpty(Supplier<Database> store) {
        try (ServiceFixture source = new ServiceFixture(store.get());
             ServiceFixture target = new ServiceFixture(store.get())) {
            String doc = Json.write(document(source));
            String existing = target.network();
            ServiceException e = refusal(() -> SnapshotWire.importDocument(target, A, doc, false, PASS));
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.getMessage()).contains("empty account", "/_local/reset");
            // Another account in the server is fine for an account import, not for an all-accounts one.
            target.invoke("LocalReset", A, Json.object());
            RichState.populate(target, B, "b1");
            ServiceException all = refusal(() -> SnapshotWire.importDocument(target, A, doc, true, PASS));
            assertThat(all.getMessage()).contains("empty server", "allAccounts");
            SnapshotWire.importDocument(target, A, doc, false, PASS);
            assertThat(target.invoke("ListNetworks", A, Json.object()).get("networks")).hasSize(1);
            assertThat(existing).isNotBlank();
        }
    }

    @EveryStore
    void documentsOfAnotherKindAccountOrPassphraseAreRefused(Supplier<Database> store) {
        try (ServiceFixture source = new ServiceFixture(store.get());
             ServiceFixture target = new ServiceFixture(store.get())) {
            ObjectNode doc = document(source);
            expect(target, doc, d -> d.put("version", 2), ErrorKind.BAD_REQUEST, null, "version 2", PASS, false);
            expect(target, doc, d -> d.put("format", "something-else"), ErrorKind.VALIDATION, "format", null, PASS, false);
            expect(target, doc, d -> d.remove("accounts"), ErrorKind.VALIDATION, "accounts", null, PASS, false);
            expect(target, doc, d -> d.put("accounts", "all"), ErrorKind.VALIDATION, "accounts", null, PASS, false);
            // Account A's document imported by account B: only with allAccounts, which needs the operator.
            ServiceException other = refusal(() -> SnapshotWire.importDocument(target, B, Json.write(doc), false, PASS));
            assertThat(other.getMessage()).contains("000000000000", "allAccounts=true");
            ObjectNode takeover = doc.deepCopy();
            takeover.put("allAccounts", true);
            takeover.put("passphrase", PASS);
            ServiceException forbidden = refusal(() -> target.invoke("LocalImportSnapshot", B, takeover));
            assertThat(forbidden.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(forbidden.getMessage()).contains("operator role");
            ObjectNode exportAll = Json.object();
            exportAll.put("allAccounts", true);
            assertThat(refusal(() -> source.invoke("LocalExportSnapshot", B, exportAll)).kind())
                    .isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(target.invoke("ListNetworks", B, Json.object()).get("networks")).isEmpty();
            expect(target, doc, d -> { }, ErrorKind.BAD_REQUEST, null, "X-Wickr-Local-Passphrase", null, false);
            expect(target, doc, d -> { }, ErrorKind.BAD_REQUEST, null, "could not be decrypted", "wrong passphrase!",
                    false);
            // A sealed value moved to another network does not open there.
            expect(target, doc, d -> ((ObjectNode) network(d).get("oidc")).put("encryptedSecret",
                    network(d).get("openTdf").get("encryptedClientSecret").asText()), ErrorKind.BAD_REQUEST, null,
                    "could not be decrypted", PASS, false);
            expect(target, doc, d -> d.remove("secrets"), ErrorKind.VALIDATION,
                    "accounts[0].networks[0].oidc.encryptedSecret", null, PASS, false);
            assertNothingImported(target, A);
        }
    }

    static Stream<Object[]> badValues() {
        return Stream.of(
                bad("networkId", n -> n.put("networkId", "1234"), "accounts[0].networks[0].networkId"),
                bad("network name too long", n -> n.put("networkName", "x".repeat(21)),
                        "accounts[0].networks[0].networkName"),
                bad("access level", n -> n.put("accessLevel", "GOLD"), "accounts[0].networks[0].accessLevel"),
                bad("KMS ARN", n -> n.put("encryptionKeyArn", "not-an-arn"),
                        "accounts[0].networks[0].encryptionKeyArn"),
                bad("group id", n -> group(n, 0).put("id", "UPPER"), "accounts[0].networks[0].securityGroups[0].id"),
                bad("two default groups", n -> n.get("securityGroups").forEach(g -> ((ObjectNode) g).put("isDefault", true)),
                        "accounts[0].networks[0].securityGroups"),
                bad("no default group", n -> n.get("securityGroups").forEach(g -> ((ObjectNode) g).put("isDefault", false)),
                        "accounts[0].networks[0].securityGroups"),
                bad("group name taken", n -> group(n, 1).put("name", group(n, 0).get("name").asText().toUpperCase()),
                        "accounts[0].networks[0].securityGroups[1].name"),
                bad("group settings out of range", n -> ((ObjectNode) group(n, 0).get("settings")).put("federationMode", 7),
                        "accounts[0].networks[0].securityGroups[0].settings.federationMode"),
                bad("user id", n -> user(n, 0).put("userId", "12a"), "accounts[0].networks[0].users[0].userId"),
                bad("user id repeated", n -> user(n, 1).put("userId", user(n, 0).get("userId").asText()),
                        "accounts[0].networks[0].users[1].userId"),
                bad("bot id equals a user id", n -> bot(n, 0).put("botId", user(n, 0).get("userId").asText()),
                        "accounts[0].networks[0].bots[0].botId"),
                bad("username taken ignoring case", n -> user(n, 1).put("username",
                        user(n, 0).get("username").asText().toUpperCase()), "accounts[0].networks[0].users[1].username"),
                bad("username blank", n -> user(n, 0).put("username", "  "), "accounts[0].networks[0].users[0].username"),
                bad("username too long", n -> user(n, 0).put("username", "u".repeat(257)),
                        "accounts[0].networks[0].users[0].username"),
                bad("first name too long", n -> user(n, 0).put("firstName", "f".repeat(129)),
                        "accounts[0].networks[0].users[0].firstName"),
                bad("status", n -> user(n, 0).put("status", 3), "accounts[0].networks[0].users[0].status"),
                bad("unknown group", n -> ((ArrayNode) user(n, 0).get("securityGroupIds")).set(0, "zzzzzzzzzzzz"),
                        "accounts[0].networks[0].users[0].securityGroupIds[0]"),
                bad("no group", n -> user(n, 0).putArray("securityGroupIds"),
                        "accounts[0].networks[0].users[0].securityGroupIds"),
                bad("session on a device of nobody", n -> ((ObjectNode) activeUser(n).get("sessions").get(0))
                        .put("appId", "not-a-device"), null),
                bad("bot username", n -> bot(n, 0).put("username", "alerts"), "accounts[0].networks[0].bots[0].username"),
                bad("bot password hash", n -> bot(n, 0).put("passwordHash", "pbkdf2-sha256$1$AA$AA"),
                        "accounts[0].networks[0].bots[0].passwordHash"),
                bad("bot password hash of too many iterations", n -> bot(n, 0).put("passwordHash",
                        PasswordWorkTest.hashWithIterations(10_000_000)), "accounts[0].networks[0].bots[0].passwordHash"),
                bad("bot group", n -> bot(n, 0).put("groupId", "zzzzzzzzzzzz"), "accounts[0].networks[0].bots[0].groupId"),
                bad("setting value", n -> ((ObjectNode) n.get("settings").get(0)).put("value", "maybe"),
                        "accounts[0].networks[0].settings[0].value"),
                bad("guest activity outside its period", n -> ((ObjectNode) n.get("guests").get(0).get("activity").get(0))
                        .put("billingPeriod", "1999-01"), null),
                bad("OIDC issuer", n -> ((ObjectNode) n.get("oidc")).put("issuer", "ftp://idp"),
                        "accounts[0].networks[0].oidc.issuer"),
                bad("OIDC scopes", n -> ((ObjectNode) n.get("oidc")).put("scopes", "profile"),
                        "accounts[0].networks[0].oidc.scopes"),
                bad("OpenTDF domain", n -> ((ObjectNode) n.get("openTdf")).put("domain", "https://x/y"),
                        "accounts[0].networks[0].openTdf.domain"),
                bad("data retention enabled unregistered", n -> ((ObjectNode) n.get("dataRetentionBot"))
                        .put("registered", false), "accounts[0].networks[0].dataRetentionBot.serviceEnabled"),
                bad("time out of range", n -> n.put("createdAt", -5), "accounts[0].networks[0].createdAt"),
                bad("a string for a number", n -> n.put("createdAt", "yesterday"), "accounts[0].networks[0].createdAt"));
    }

    @org.junit.jupiter.api.Test
    void pbkdf2IterationCountsOfTheDocumentAreBounded() {
        try (ServiceFixture source = new ServiceFixture(io.wickrlocal.store.SqliteDatabase.inMemory());
             ServiceFixture target = new ServiceFixture(io.wickrlocal.store.SqliteDatabase.inMemory())) {
            ObjectNode doc = document(source);
            int max = PasswordHash.MAX_ITERATIONS;
            assertThat(max).isEqualTo(600_000);
            String over = PasswordWorkTest.hashWithIterations(max + 1);
            expect(target, doc, d -> bot(network(d), 0).put("passwordHash", over), ErrorKind.VALIDATION,
                    "accounts[0].networks[0].bots[0].passwordHash", "has 600001 PBKDF2 iterations", PASS, false);
            expect(target, doc, d -> ((ObjectNode) network(d).get("dataRetentionBot")).put("challengeHash", over),
                    ErrorKind.VALIDATION, "accounts[0].networks[0].dataRetentionBot.challengeHash",
                    "accepts 1000 to 600000", PASS, false);
            // The key of the sealed secrets: the contract refuses more on the wire, the import itself without it.
            expect(target, doc, d -> ((ObjectNode) d.get("secrets")).put("iterations", max + 1), ErrorKind.VALIDATION,
                    "secrets.iterations", null, PASS, false);
            ObjectNode direct = doc.deepCopy();
            ((ObjectNode) direct.get("secrets")).put("iterations", 10_000_000);
            direct.put("passphrase", PASS);
            ServiceException e = refusal(() -> target.invoke("LocalImportSnapshot", A, direct));
            assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
            assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("secrets.iterations");
            assertThat(e.getMessage()).contains("600000");
            assertNothingImported(target, A);

            ObjectNode atTheLimit = doc.deepCopy();
            bot(network(atTheLimit), 0).put("passwordHash", PasswordWorkTest.hashWithIterations(max));
            ((ObjectNode) network(atTheLimit).get("dataRetentionBot"))
                    .put("challengeHash", PasswordWorkTest.hashWithIterations(max));
            SnapshotWire.importDocument(target, A, Json.write(atTheLimit), false, PASS);
            assertThat(target.invoke("ListNetworks", A, Json.object()).get("networks")).hasSize(1);
        }
    }

    private static Object[] bad(String name, Consumer<ObjectNode> change, String field) {
        return new Object[] {name, change, field};
    }

    private static ObjectNode group(ObjectNode n, int i) {
        return (ObjectNode) n.get("securityGroups").get(i);
    }

    private static ObjectNode user(ObjectNode n, int i) {
        return (ObjectNode) n.get("users").get(i);
    }

    private static ObjectNode activeUser(ObjectNode n) {
        for (JsonNode u : n.get("users")) {
            if (u.get("sessions").size() > 0) {
                return (ObjectNode) u;
            }
        }
        throw new AssertionError("no user with sessions");
    }

    private static ObjectNode bot(ObjectNode n, int i) {
        return (ObjectNode) n.get("bots").get(i);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void valuesTheApiWouldRefuseAreRefused(String name, Consumer<ObjectNode> change, String field) {
        try (ServiceFixture source = new ServiceFixture(io.wickrlocal.store.SqliteDatabase.inMemory());
             ServiceFixture target = new ServiceFixture(io.wickrlocal.store.SqliteDatabase.inMemory())) {
            ObjectNode doc = document(source);
            expect(target, doc, d -> change.accept(network(d)), ErrorKind.VALIDATION, field, null, PASS, false);
            assertNothingImported(target, A);
        }
    }

    private static void expect(ServiceFixture target, ObjectNode doc, Consumer<ObjectNode> change, ErrorKind kind,
                               String field, String mentions, String passphrase, boolean all) {
        ObjectNode copy = doc.deepCopy();
        change.accept(copy);
        ServiceException e = refusal(() -> SnapshotWire.importDocument(target, A, Json.write(copy), all, passphrase));
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        if (field != null) {
            assertThat(e.problems()).as(e.getMessage()).extracting(FieldProblem::field).contains(field);
        }
        if (mentions != null) {
            assertThat(e.getMessage()).contains(mentions);
        }
    }
}
