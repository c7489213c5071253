package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** SecurityGroupSettings.maxNonSsoSessionMinutes: stored, shown, and ending sessions that outlive it. */
class SessionLimitRulesTest {

    private static ObjectNode groupIn(String net, String groupId) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("groupId", groupId);
        return in;
    }

    private static JsonNode setLimit(ServiceFixture f, String net, String groupId, int minutes) {
        ObjectNode in = groupIn(net, groupId);
        in.putObject("securityGroupSettings").put("maxNonSsoSessionMinutes", minutes);
        return f.invoke("UpdateSecurityGroup", in).get("securityGroup");
    }

    private static String group(ServiceFixture f, String net, String name) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("name", name);
        in.putObject("securityGroupSettings");
        return f.invoke("CreateSecurityGroup", in).at("/securityGroup/id").asText();
    }

    private static void moveTo(ServiceFixture f, String net, String userId, String... groupIds) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("userId", userId);
        var ids = in.putObject("userDetails").putArray("securityGroupIds");
        for (String g : groupIds) {
            ids.add(g);
        }
        f.invoke("UpdateUser", in);
    }

    /** An active user with one open session, started now. */
    private static String signedInUser(ServiceFixture f, String net, String prefix) {
        List<String> codes = new ArrayList<>();
        String user = f.users(net, prefix, 1, codes).get(0);
        f.signIn(net, user, codes.get(0));
        return user;
    }

    @EveryStore
    void theSettingDefaultsTo0IsStoredAndShownInEveryGroupAnswer(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String g = f.defaultGroup(net);
            JsonNode initial = f.invoke("GetSecurityGroup", groupIn(net, g))
                    .at("/securityGroup/securityGroupSettings/maxNonSsoSessionMinutes");
            assertThat(initial.isInt()).as("shown, as 0").isTrue();
            assertThat(initial.asInt()).isZero();
            JsonNode updated = setLimit(f, net, g, 90);
            assertThat(updated.at("/securityGroupSettings/maxNonSsoSessionMinutes").asInt()).isEqualTo(90);
            assertThat(f.invoke("GetSecurityGroup", groupIn(net, g))
                    .at("/securityGroup/securityGroupSettings/maxNonSsoSessionMinutes").asInt()).isEqualTo(90);
            ObjectNode list = Json.object();
            list.put("networkId", net);
            assertThat(f.invoke("ListSecurityGroups", list).at("/securityGroups/0/securityGroupSettings/maxNonSsoSessionMinutes")
                    .asInt()).isEqualTo(90);
            ObjectNode other = groupIn(net, g);
            other.putObject("securityGroupSettings").put("lockoutThreshold", 15);
            assertThat(f.invoke("UpdateSecurityGroup", other)
                    .at("/securityGroup/securityGroupSettings/maxNonSsoSessionMinutes").asInt())
                    .as("an update that does not send it keeps it").isEqualTo(90);
        }
    }

    @EveryStore
    void aGroupStoredBeforeTheSettingExistedShowsItsDefault(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String g = f.defaultGroup(net);
            f.database.transaction(tx -> {
                String stored = tx.one("SELECT settings FROM security_groups WHERE group_id = ?", rs -> rs.getString(1), g)
                        .orElseThrow();
                ObjectNode old = (ObjectNode) Json.read(stored);
                old.remove("maxNonSsoSessionMinutes");
                return tx.update("UPDATE security_groups SET settings = ? WHERE group_id = ?", Json.write(old), g);
            });
            assertThat(f.invoke("GetSecurityGroup", groupIn(net, g))
                    .at("/securityGroup/securityGroupSettings/maxNonSsoSessionMinutes").isInt()).isTrue();
        }
    }

    @EveryStore
    void createSecurityGroupDoesNotTakeIt(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode in = Json.object();
            in.put("networkId", net);
            in.put("name", "Timed");
            in.putObject("securityGroupSettings").put("maxNonSsoSessionMinutes", 60);
            assertThatThrownBy(() -> f.invoke("CreateSecurityGroup", in)).isInstanceOfSatisfying(ServiceException.class,
                    e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                        assertThat(e.problems()).extracting(FieldProblem::field)
                                .containsExactly("securityGroupSettings.maxNonSsoSessionMinutes");
                    });
        }
    }

    @EveryStore
    void aSessionEndsOnceAsOldAsTheLimitAnd0SetsNone(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String user = signedInUser(f, net, "a");
            f.clock.advance(Duration.ofDays(400));
            assertThat(f.sessions(net, user)).as("0: no limit").hasSize(1);

            setLimit(f, net, f.defaultGroup(net), 60);
            assertThat(f.sessions(net, user)).as("lowered below its age: it ends at once").isEmpty();

            f.signIn(net, user, null);
            f.clock.advance(Duration.ofMinutes(59));
            assertThat(f.sessions(net, user)).hasSize(1);
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(f.sessions(net, user)).as("60 minutes old").isEmpty();
        }
    }

    @EveryStore
    void aRaisedLimitDoesNotBringBackASessionThatRanOut(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String g = f.defaultGroup(net);
            setLimit(f, net, g, 60);
            String user = signedInUser(f, net, "a");
            f.clock.advance(Duration.ofHours(2));
            setLimit(f, net, g, 600);
            assertThat(f.sessions(net, user)).isEmpty();
            String ended = f.database.transaction(tx -> tx.one(
                    "SELECT ended_at - started_at, end_reason FROM sessions WHERE user_id = ?",
                    rs -> rs.getLong(1) + " " + rs.getString(2), Long.parseLong(user)).orElseThrow());
            assertThat(ended).as("it ended when it reached the limit in force then").isEqualTo("3600 session limit");
        }
    }

    @EveryStore
    void aUserInSeveralGroupsGetsTheSmallestLimitOtherThan0(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String open = f.defaultGroup(net);
            String loose = group(f, net, "Loose");
            String strict = group(f, net, "Strict");
            setLimit(f, net, loose, 120);
            setLimit(f, net, strict, 30);
            String user = signedInUser(f, net, "a");
            moveTo(f, net, user, open, loose);
            f.clock.advance(Duration.ofMinutes(100));
            assertThat(f.sessions(net, user)).as("120 applies, 0 sets none").hasSize(1);
            moveTo(f, net, user, open, loose, strict);
            assertThat(f.sessions(net, user)).as("joining a stricter group ends it at once").isEmpty();
            f.signIn(net, user, null);
            f.clock.advance(Duration.ofMinutes(29));
            assertThat(f.sessions(net, user)).hasSize(1);
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(f.sessions(net, user)).isEmpty();
        }
    }
}
