package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.seed.Seed;
import io.wickrlocal.store.BotRecord;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DataRetentionBotRecord;
import io.wickrlocal.store.DataRetentionBotStore;
import io.wickrlocal.store.EveryStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Password hashing and verification (PBKDF2, slow on purpose) run before the transaction of the call
 * that needs them, never inside one nor on SQLite's writer thread: a {@link TransactionWatch} sees
 * every derivation the code makes and whether a transaction was open. A sign-in verifies against the
 * hash it read, then checks in its write that the hash is still the bot's.
 */
class PasswordWorkTest {

    private static ServiceFixture fixture(Supplier<Database> store) {
        return new ServiceFixture(TransactionWatch.install(store.get()));
    }

    private static TransactionWatch watch(ServiceFixture f) {
        return (TransactionWatch) f.database;
    }

    private static ObjectNode in(String net) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        return in;
    }

    private static ObjectNode botInput(ServiceFixture f, String net, String username, String password) {
        ObjectNode in = in(net);
        in.put("username", username);
        in.put("groupId", f.defaultGroup(net));
        in.put("challenge", password);
        return in;
    }

    private static String bot(ServiceFixture f, String net, String username, String password) {
        return f.invoke("CreateBot", botInput(f, net, username, password)).get("botId").asText();
    }

    private static ObjectNode signIn(ServiceFixture f, String net, String botId, String password) {
        ObjectNode in = in(net);
        in.put("botId", botId);
        in.put("challenge", password);
        return f.invoke("LocalBotSignIn", in);
    }

    private static BotRecord stored(ServiceFixture f, String net, String botId) {
        return watch(f).delegate().transaction(tx -> BotStore.find(tx, net, Long.parseLong(botId)).orElseThrow());
    }

    /** Replaces the bot's stored hash directly in the store, as a concurrent UpdateBot would. */
    private static void storeHash(ServiceFixture f, String net, String botId, String hash) {
        watch(f).delegate().transaction(tx -> {
            BotRecord b = BotStore.find(tx, net, Long.parseLong(botId)).orElseThrow();
            BotStore.update(tx, new BotRecord(b.botId(), b.networkId(), b.username(), b.uname(), b.displayName(),
                    b.groupId(), hash, b.status(), b.suspended(), b.pubkey(), b.lastLoginAt(), b.createdAt(),
                    b.modifiedAt()));
            return null;
        });
    }

    private static List<JsonNode> events(ServiceFixture f, String operation) {
        ObjectNode filter = Json.object();
        filter.put("operation", operation);
        filter.put("maxResults", 100);
        List<JsonNode> out = new ArrayList<>();
        f.invoke("LocalListAuditEvents", filter).get("events").forEach(out::add);
        return out;
    }

    private static void refused(ErrorKind kind, String mention, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).contains(mention);
        });
    }

    /** A well-formed hash text with the given iteration count (its value is never checked by an import). */
    static String hashWithIterations(long iterations) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(new byte[16]) + "$"
                + b64.encodeToString(new byte[32]);
    }

    @EveryStore
    void everyHashAndVerificationRunsOutsideTransactions(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.premiumNetwork();
            String botId = bot(f, net, "opsbot", "first");
            ObjectNode update = in(net);
            update.put("botId", botId);
            update.put("challenge", "second");
            f.invoke("UpdateBot", update);
            refused(ErrorKind.FORBIDDEN, "wrong password", () -> signIn(f, net, botId, "first"));
            assertThat(signIn(f, net, botId, "second").get("sessionId").asText()).isNotBlank();

            f.invoke("CreateDataRetentionBot", in(net));
            String challenge = f.invoke("CreateDataRetentionBotChallenge", in(net)).get("challenge").asText();
            refused(ErrorKind.FORBIDDEN, "challenge is wrong",
                    () -> f.invoke("LocalDataRetentionBotSignIn", in(net).put("challenge", "not-it")));
            f.invoke("LocalDataRetentionBotSignIn", in(net).put("challenge", challenge));

            // The snapshot's secrets: a key derived from the passphrase on export and again on import.
            String document = SnapshotWire.export(f, f.call, false, SnapshotRoundTripTest.PASSPHRASE);
            f.invoke("LocalReset", Json.object());
            SnapshotWire.importDocument(f, f.call, document, false, SnapshotRoundTripTest.PASSPHRASE);
            assertThat(signIn(f, net, botId, "second").get("sessionId").asText()).isNotBlank();
            f.service.exportSnapshot(f.call.accountId(), SnapshotRoundTripTest.PASSPHRASE);

            // A seed's bots are hashed before the seed's one transaction.
            Seed.parse("networks: [{name: Seeded, bots: [{username: seedbot, password: pw-1}]}]", "seed text")
                    .applyTo(f.service, SnapshotWire.CONTRACT);

            // 8 bot and data retention bot hashes and checks, 3 snapshot keys, 1 seed bot.
            assertThat(watch.derivations()).as("derivations seen").isGreaterThanOrEqualTo(12);
            assertThat(watch.derivationsInside()).isEmpty();
        }
    }

    @EveryStore
    void aPasswordStoredAgainWhileBeingCheckedIsCheckedAgain(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.network();
            String botId = bot(f, net, "opsbot", "right");
            String sameAgain = PasswordHash.of("right"); // another salt: another hash of the same password
            int before = watch.derivations();
            // The sign-in reads the hash (transaction 1), verifies it, then writes (transaction 2).
            watch.onTransaction(n -> {
                if (n == 2) {
                    storeHash(f, net, botId, sameAgain);
                }
            });
            assertThat(signIn(f, net, botId, "right").get("sessionId").asText()).isNotBlank();
            watch.onTransaction(null);
            assertThat(watch.derivations() - before).as("verified against each hash").isEqualTo(2);
            BotRecord after = stored(f, net, botId);
            assertThat(after.status()).isEqualTo(BotRecord.ACTIVE);
            assertThat(after.challengeHash()).isEqualTo(sameAgain);
        }
    }

    @EveryStore
    void aPasswordChangedWhileBeingCheckedNoLongerSignsIn(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.network();
            String botId = bot(f, net, "opsbot", "right");
            String changed = PasswordHash.of("changed");
            watch.onTransaction(n -> {
                if (n == 2) {
                    storeHash(f, net, botId, changed);
                }
            });
            refused(ErrorKind.FORBIDDEN, "wrong password", () -> signIn(f, net, botId, "right"));
            watch.onTransaction(null);
            assertThat(stored(f, net, botId).status()).isEqualTo(BotRecord.PENDING);
            assertThat(signIn(f, net, botId, "changed").get("sessionId").asText()).isNotBlank();
        }
    }

    @EveryStore
    void aPasswordThatKeepsChangingIsRefusedClearlyAndTheRefusalRecorded(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.network();
            String botId = bot(f, net, "opsbot", "right");
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < OperationHandler.MAX_WORK_BEFORE_ATTEMPTS; i++) {
                hashes.add(PasswordHash.of("right"));
            }
            int before = watch.derivations();
            // Each attempt is a read (odd) then a write (even); before each write the hash is stored again.
            watch.onTransaction(n -> {
                if (n % 2 == 0 && n / 2 <= hashes.size()) {
                    storeHash(f, net, botId, hashes.get(n / 2 - 1));
                }
            });
            refused(ErrorKind.FORBIDDEN, "password was changed while the sign-in was being checked",
                    () -> signIn(f, net, botId, "right"));
            watch.onTransaction(null);
            assertThat(watch.derivations() - before).isEqualTo(OperationHandler.MAX_WORK_BEFORE_ATTEMPTS);
            assertThat(stored(f, net, botId).status()).isEqualTo(BotRecord.PENDING);
            List<JsonNode> recorded = events(f, "LocalBotSignIn");
            assertThat(recorded).hasSize(1);
            assertThat(recorded.get(0).get("outcome").asText()).isEqualTo("ForbiddenError");
        }
    }

    @EveryStore
    void aDataRetentionChallengeReplacedWhileBeingCheckedNoLongerSignsIn(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.premiumNetwork();
            f.invoke("CreateDataRetentionBot", in(net));
            String first = f.invoke("CreateDataRetentionBotChallenge", in(net)).get("challenge").asText();
            String newer = PasswordHash.of("a-newer-challenge");
            watch.onTransaction(n -> {
                if (n == 2) {
                    watch.delegate().transaction(tx -> {
                        DataRetentionBotRecord b = DataRetentionBotStore.find(tx, net).orElseThrow();
                        DataRetentionBotStore.update(tx, new DataRetentionBotRecord(b.networkId(), b.botName(), newer,
                                b.registered(), b.serviceEnabled(), b.pubkeyAcked(), b.lastLoginAt(), b.createdAt(),
                                b.modifiedAt()));
                        return null;
                    });
                }
            });
            refused(ErrorKind.FORBIDDEN, "wrong or was replaced",
                    () -> f.invoke("LocalDataRetentionBotSignIn", in(net).put("challenge", first)));
            watch.onTransaction(null);
            assertThat(f.invoke("GetDataRetentionBot", in(net)).get("isDataRetentionBotRegistered").asBoolean())
                    .isFalse();
            f.invoke("LocalDataRetentionBotSignIn", in(net).put("challenge", "a-newer-challenge"));
            assertThat(f.invoke("GetDataRetentionBot", in(net)).get("isDataRetentionBotRegistered").asBoolean())
                    .isTrue();
        }
    }

    @EveryStore
    void aRepeatedClientTokenIsAnsweredFromTheStoreWithoutHashing(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.network();
            ObjectNode in = botInput(f, net, "opsbot", "right").put("clientToken", "token-1");
            ObjectNode first = f.service.invoke("CreateBot", f.call, in, "token-1", "clientToken");
            int before = watch.derivations();
            ObjectNode again = f.service.invoke("CreateBot", f.call, in.deepCopy(), "token-1", "clientToken");
            assertThat(again).isEqualTo(first);
            ObjectNode other = botInput(f, net, "otherbot", "right").put("clientToken", "token-1");
            refused(ErrorKind.BAD_REQUEST, "different parameters",
                    () -> f.service.invoke("CreateBot", f.call, other, "token-1", "clientToken"));
            assertThat(watch.derivations()).as("no hashing for a repeat").isEqualTo(before);
            assertThat(events(f, "CreateBot")).extracting(e -> e.get("outcome").asText())
                    .containsExactlyInAnyOrder("Success", "Replay", "BadRequestError");
            assertThat(f.invoke("GetBotsCount", in(net)).get("total").asInt()).isEqualTo(1);
        }
    }

    @EveryStore
    void aStoredHashOverTheIterationLimitIsNotVerified(Supplier<Database> store) {
        try (ServiceFixture f = fixture(store)) {
            TransactionWatch watch = watch(f);
            String net = f.network();
            String botId = bot(f, net, "opsbot", "right");
            // As a snapshot imported before the limit existed could have left it.
            storeHash(f, net, botId, hashWithIterations(10_000_000));
            int before = watch.derivations();
            refused(ErrorKind.FORBIDDEN, "more than " + PasswordHash.MAX_ITERATIONS + " PBKDF2 iterations",
                    () -> signIn(f, net, botId, "right"));
            assertThat(watch.derivations()).as("nothing derived").isEqualTo(before);
            ObjectNode update = in(net);
            update.put("botId", botId);
            update.put("challenge", "renewed");
            f.invoke("UpdateBot", update);
            assertThat(signIn(f, net, botId, "renewed").get("sessionId").asText()).isNotBlank();
        }
    }
}
