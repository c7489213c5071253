package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.BotSessionStore;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

class BotRulesTest {


    private static ObjectNode in(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        return in;
    }

    private static ObjectNode bot(ServiceFixture f, String net, String username, String password) {
        ObjectNode in = in(net);
        in.put("username", username);
        in.put("groupId", f.defaultGroup(net));
        in.put("challenge", password);
        return f.invoke("CreateBot", in);
    }

    private static ObjectNode get(ServiceFixture f, String net, String botId) {
        ObjectNode in = in(net);
        in.put("botId", botId);
        return f.invoke("GetBot", in);
    }

    private static ObjectNode signIn(ServiceFixture f, String net, String botId, String password) {
        ObjectNode in = in(net);
        in.put("botId", botId);
        in.put("challenge", password);
        return f.invoke("LocalBotSignIn", in);
    }

    private static ObjectNode update(ServiceFixture f, String net, String botId, ObjectNode changes) {
        ObjectNode in = in(net);
        in.put("botId", botId);
        in.setAll(changes);
        return f.invoke("UpdateBot", in);
    }

    private static int activeSessions(ServiceFixture f, String botId) {
        return f.service.transaction(tx -> BotSessionStore.active(tx, Long.parseLong(botId)).size());
    }

    private static void fails(ErrorKind kind, String mention, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage().toLowerCase()).contains(mention);
        });
    }

    private static List<String> usernames(JsonNode bots) {
        List<String> out = new ArrayList<>();
        bots.forEach(b -> out.add(b.get("username").asText()));
        return out;
    }

    @EveryStore
    void aNewBotIsPendingWithDefaultsAndNoStoredPassword(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode created = bot(f, net, "Alert-Bot", "s3cret!");
            String botId = created.get("botId").asText();
            assertThat(botId).matches("[0-9]{10}");
            assertThat(created.get("displayName").asText()).isEqualTo("Alert-Bot");
            ObjectNode got = get(f, net, botId);
            assertThat(got.get("status").asInt()).isEqualTo(1);
            assertThat(got.get("hasChallenge").asBoolean()).isTrue();
            assertThat(got.get("suspended").asBoolean()).isFalse();
            assertThat(got.get("uname").asText()).isEqualTo(Users.uname("alert-bot"));
            assertThat(got.has("lastLogin")).isFalse();
            String stored = f.service.transaction(tx -> BotStore.find(tx, net, Long.parseLong(botId)).orElseThrow()
                    .challengeHash());
            assertThat(stored).doesNotContain("s3cret!").startsWith("pbkdf2-sha256$");
            String again = bot(f, net, "otherbot", "s3cret!").get("botId").asText();
            String otherHash = f.service.transaction(tx -> BotStore.find(tx, net, Long.parseLong(again)).orElseThrow()
                    .challengeHash());
            assertThat(otherHash).as("salted: same password, different hash").isNotEqualTo(stored);
        }
    }

    @EveryStore
    void usernamesMustEndInBotAndBeFreeAmongBotsAndUsers(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            // live #40 (SMonaghan/terraform-provider-aws bot.go); the reason is AWS example CreateBot#3's.
            fails(ErrorKind.VALIDATION, "invalid username format", () -> bot(f, net, "helper", "pw"));
            bot(f, net, "helperbot", "pw");
            // AWS example CreateBot#2.
            fails(ErrorKind.VALIDATION, "is unavailable", () -> bot(f, net, "HelperBOT", "pw"));
            bot(f, other, "helperbot", "pw");

            ObjectNode users = in(net);
            users.putArray("users").addObject().put("username", "reportbot")
                    .putArray("securityGroupIds").add(f.defaultGroup(net));
            f.invoke("BatchCreateUser", users);
            fails(ErrorKind.VALIDATION, "is unavailable", () -> bot(f, net, "ReportBot", "pw"));
            fails(ErrorKind.VALIDATION, "reserved", () -> bot(f, net, DataRetentionOperations.botName(net), "pw"));
        }
    }

    @EveryStore
    void createNeedsAGroupOfTheNetworkAndAPassword(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            ObjectNode in = in(net);
            in.put("username", "abot");
            in.put("challenge", "pw");
            in.put("groupId", f.defaultGroup(other));
            fails(ErrorKind.VALIDATION, "groupid", () -> f.invoke("CreateBot", in));
            in.put("groupId", f.defaultGroup(net));
            in.put("challenge", "");
            fails(ErrorKind.VALIDATION, "challenge", () -> f.invoke("CreateBot", in));
            ObjectNode missing = in("99999999");
            missing.setAll(in);
            missing.put("networkId", "99999999");
            fails(ErrorKind.NOT_FOUND, "network", () -> f.invoke("CreateBot", missing));
            fails(ErrorKind.NOT_FOUND, "bot", () -> get(f, net, "1234567890"));
        }
    }

    @EveryStore
    void firstSignInWithThePasswordActivatesTheBot(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String botId = bot(f, net, "opsbot", "right").get("botId").asText();
            fails(ErrorKind.FORBIDDEN, "password", () -> signIn(f, net, botId, "wrong"));
            assertThat(get(f, net, botId).get("status").asInt()).isEqualTo(1);
            assertThat(activeSessions(f, botId)).isZero();

            assertThat(signIn(f, net, botId, "right").get("sessionId").asText()).isNotBlank();
            ObjectNode got = get(f, net, botId);
            assertThat(got.get("status").asInt()).isEqualTo(2);
            assertThat(got.get("lastLogin").asText()).isEqualTo("1795867200"); // 2026-11-28T12:00:00Z in epoch seconds
            String pubkey = got.get("pubkey").asText();
            assertThat(pubkey).isNotBlank();

            f.clock.advance(Duration.ofHours(1));
            signIn(f, net, botId, "right");
            got = get(f, net, botId);
            assertThat(got.get("lastLogin").asText()).isEqualTo("1795870800");
            assertThat(got.get("pubkey").asText()).as("stable").isEqualTo(pubkey);
            assertThat(activeSessions(f, botId)).isEqualTo(2);
        }
    }

    @EveryStore
    void suspensionEndsSessionsAndKeepsTheBotOutUntilLifted(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String botId = bot(f, net, "opsbot", "pw").get("botId").asText();
            signIn(f, net, botId, "pw");
            signIn(f, net, botId, "pw");
            update(f, net, botId, Json.object().put("suspend", true));
            assertThat(activeSessions(f, botId)).isZero();
            assertThat(get(f, net, botId).get("suspended").asBoolean()).isTrue();
            fails(ErrorKind.FORBIDDEN, "suspended", () -> signIn(f, net, botId, "pw"));

            update(f, net, botId, Json.object().put("displayName", "Ops"));
            assertThat(get(f, net, botId).get("suspended").asBoolean()).as("kept when not sent").isTrue();
            update(f, net, botId, Json.object().put("suspend", false));
            signIn(f, net, botId, "pw");
            assertThat(activeSessions(f, botId)).isEqualTo(1);
        }
    }

    @EveryStore
    void updateChangesOnlyWhatIsSentAndANewPasswordEndsSessions(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String botId = bot(f, net, "opsbot", "old").get("botId").asText();
            signIn(f, net, botId, "old");
            String group = f.defaultGroup(net);

            update(f, net, botId, Json.object().put("displayName", "Operations"));
            ObjectNode got = get(f, net, botId);
            assertThat(got.get("displayName").asText()).isEqualTo("Operations");
            assertThat(got.get("groupId").asText()).isEqualTo(group);
            assertThat(activeSessions(f, botId)).isEqualTo(1);

            fails(ErrorKind.VALIDATION, "groupid", () -> update(f, net, botId, Json.object().put("groupId", "nosuchgroup")));

            update(f, net, botId, Json.object().put("challenge", "new"));
            assertThat(activeSessions(f, botId)).isZero();
            assertThat(get(f, net, botId).get("hasChallenge").asBoolean()).isTrue();
            fails(ErrorKind.FORBIDDEN, "password", () -> signIn(f, net, botId, "old"));
            signIn(f, net, botId, "new");
            assertThat(get(f, net, botId).get("displayName").asText()).isEqualTo("Operations");
        }
    }

    @EveryStore
    void deleteRemovesTheBotWithItsSessionsAndCountsFollow(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String a = bot(f, net, "abot", "pw").get("botId").asText();
            bot(f, net, "bbot", "pw");
            bot(f, net, "cbot", "pw");
            signIn(f, net, a, "pw");
            ObjectNode count = f.invoke("GetBotsCount", in(net));
            assertThat(count.get("pending").asInt()).isEqualTo(2);
            assertThat(count.get("active").asInt()).isEqualTo(1);
            assertThat(count.get("total").asInt()).isEqualTo(3);

            ObjectNode del = in(net);
            del.put("botId", a);
            f.invoke("DeleteBot", del);
            fails(ErrorKind.NOT_FOUND, "not found", () -> get(f, net, a));
            fails(ErrorKind.NOT_FOUND, "not found", () -> f.invoke("DeleteBot", del));
            assertThat(activeSessions(f, a)).isZero();
            count = f.invoke("GetBotsCount", in(net));
            assertThat(count.get("active").asInt()).isZero();
            assertThat(count.get("total").asInt()).isEqualTo(2);
            bot(f, net, "abot", "pw");
        }
    }

    @EveryStore
    void listFiltersSortsAndPages(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String active = null;
            for (String name : List.of("deltabot", "alphabot", "Charliebot", "bravobot", "echo_bot")) {
                String id = bot(f, net, name, "pw").get("botId").asText();
                if (name.equals("bravobot")) {
                    active = id;
                }
            }
            signIn(f, net, active, "pw");

            assertThat(usernames(f.invoke("ListBots", in(net)).get("bots")))
                    .as("default: username, descending")
                    .containsExactly("echo_bot", "deltabot", "Charliebot", "bravobot", "alphabot");
            ObjectNode asc = in(net).put("sortDirection", "ASC").put("sortFields", "status+username");
            assertThat(usernames(f.invoke("ListBots", asc).get("bots")))
                    .containsExactly("alphabot", "Charliebot", "deltabot", "echo_bot", "bravobot");
            assertThat(usernames(f.invoke("ListBots", in(net).put("username", "CHAR")).get("bots")))
                    .containsExactly("Charliebot");
            assertThat(usernames(f.invoke("ListBots", in(net).put("username", "_")).get("bots")))
                    .as("wildcards match literally").containsExactly("echo_bot");
            assertThat(usernames(f.invoke("ListBots", in(net).put("status", 2)).get("bots")))
                    .containsExactly("bravobot");
            assertThat(f.invoke("ListBots", in(net).put("groupId", "nosuchgroup")).get("bots")).isEmpty();
            fails(ErrorKind.VALIDATION, "status", () -> f.invoke("ListBots", in(net).put("status", 3)));
            fails(ErrorKind.VALIDATION, "sortfields", () -> f.invoke("ListBots", in(net).put("sortFields", "lastName")));

            List<String> paged = new ArrayList<>();
            String token = null;
            do {
                ObjectNode page = in(net).put("maxResults", 2);
                if (token != null) {
                    page.put("nextToken", token);
                }
                ObjectNode out = f.invoke("ListBots", page);
                assertThat(out.get("bots").size()).isLessThanOrEqualTo(2);
                paged.addAll(usernames(out.get("bots")));
                token = Json.text(out, "nextToken");
            } while (token != null);
            assertThat(paged).containsExactly("echo_bot", "deltabot", "Charliebot", "bravobot", "alphabot");
        }
    }

    @EveryStore
    void firstNameSortsByDisplayName(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String z = bot(f, net, "abot", "pw").get("botId").asText();
            bot(f, net, "zbot", "pw");
            update(f, net, z, Json.object().put("displayName", "Zulu"));
            ObjectNode in = in(net).put("sortFields", "firstName").put("sortDirection", "ASC");
            assertThat(usernames(f.invoke("ListBots", in).get("bots"))).containsExactly("zbot", "abot");
        }
    }
}
