package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.InputValidator;
import io.wickrlocal.seed.Seed;
import io.wickrlocal.seed.SeedException;
import io.wickrlocal.store.SqliteDatabase;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each rule of UserRules, BotRules, GroupRules and GuestRules has one home: the operation, a snapshot
 * import and a seed file refuse the same input with the same reason. Every reason names its field (see
 * {@link ServiceException#invalid}): a rule's reason that is not a whole sentence starts with the member
 * the path has (the operation's member, the seed's, or the document's path), so the three reasons are
 * the rule's reason after each one's field. Every path starts where a request does, with the
 * contract's validation, so a reason seen here is the one a client sees. Where one of the three cannot
 * meet the input (a seed names groups, has no guests, and leaves an existing group alone), the test says
 * so and compares the other two.
 */
class RuleHomesTest {
    private static final Call A = SnapshotRoundTripTest.A_EAST;
    private static final String PASS = SnapshotRoundTripTest.PASSPHRASE;

    // -- users ------------------------------------------------------------------------------------

    @Test
    void aBlankUsernameIsRefusedAlike() {
        String problem = UserRules.usernameProblem("");
        assertThat(problem).isEqualTo("must not be empty");
        String reason = UserRules.naming("username", problem);
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            ObjectNode in = RichState.in(net);
            ObjectNode user = in.putArray("users").addObject();
            user.put("username", "   ");
            user.putArray("securityGroupIds").add(f.defaultGroup(net));
            JsonNode failed = wire(f, "BatchCreateUser", in).get("failed");
            assertThat(failed.get(0).get("reason").asText()).isEqualTo(reason);
        }
        String field = "accounts[0].networks[0].users[0].username";
        assertThat(imported(n -> user(n, 0).put("username", "   "), field)).isEqualTo(named(field, problem));
        assertThat(seeded("{\"networks\": [{\"name\": \"Ops\", \"users\": [{\"username\": \"   \"}]}]}"))
                .isEqualTo(reason);
    }

    @Test
    void aGroupTheNetworkLacksIsRefusedAlikeForUsers() {
        String reason = UserRules.groupMissing("zzzzzzzzzzzz");
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            ObjectNode in = RichState.in(net);
            ObjectNode user = in.putArray("users").addObject();
            user.put("username", "someone@example.com");
            user.putArray("securityGroupIds").add("zzzzzzzzzzzz");
            assertThat(wire(f, "BatchCreateUser", in).get("failed").get(0).get("reason").asText()).isEqualTo(reason);
        }
        assertThat(imported(n -> ((com.fasterxml.jackson.databind.node.ArrayNode) user(n, 0).get("securityGroupIds"))
                .set(0, "zzzzzzzzzzzz"), "accounts[0].networks[0].users[0].securityGroupIds[0]")).isEqualTo(reason);
        // A seed names groups, and refuses an unknown name itself before any operation runs.
    }

    // -- bots -------------------------------------------------------------------------------------

    @Test
    void aBotUsernameNotEndingInBotIsRefusedAlike() {
        String reason = BotRules.usernameReason("12345678", "alerts");
        assertThat(reason).isEqualTo("Invalid username format");
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            assertThat(refusedAt(() -> wire(f, "CreateBot", bot(net, f.defaultGroup(net), "alerts")), "username"))
                    .isEqualTo(reason);
        }
        assertThat(imported(n -> bot(n, 0).put("username", "alerts"), "accounts[0].networks[0].bots[0].username"))
                .isEqualTo(reason);
        assertThat(seeded("{\"networks\": [{\"name\": \"Ops\", \"bots\": [{\"username\": \"alerts\","
                + " \"password\": \"pw-123456\"}]}]}")).isEqualTo(reason);
    }

    @Test
    void theDataRetentionBotsNameIsRefusedAlike() {
        // The name holds the network id, which a seed does not know before it creates the network.
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            String name = DataRetentionOperations.botName(net);
            String reason = BotRules.usernameReason(net, name);
            assertThat(reason).contains("reserved for the data retention bot");
            assertThat(refusedAt(() -> wire(f, "CreateBot", bot(net, f.defaultGroup(net), name)), "username"))
                    .isEqualTo(reason);
        }
        String[] expected = new String[1];
        String got = imported(n -> {
            String name = DataRetentionOperations.botName(n.get("networkId").asText());
            expected[0] = BotRules.usernameReason(n.get("networkId").asText(), name);
            bot(n, 0).put("username", name);
        }, "accounts[0].networks[0].bots[0].username");
        assertThat(got).isEqualTo(expected[0]);
    }

    @Test
    void anEmptyBotDisplayNameIsRefusedAlike() {
        // CreateBot (and so a seed) gives a bot without a display name its username; UpdateBot refuses a blank one.
        String problem = BotRules.displayNameProblem("");
        assertThat(problem).isEqualTo("must not be empty");
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            String botId = wire(f, "CreateBot", bot(net, f.defaultGroup(net), "alertbot")).get("botId").asText();
            ObjectNode update = RichState.in(net);
            update.put("botId", botId);
            update.put("displayName", "   ");
            assertThat(refusedAt(() -> wire(f, "UpdateBot", update), "displayName"))
                    .isEqualTo(named("displayName", problem));
        }
        String field = "accounts[0].networks[0].bots[0].displayName";
        assertThat(imported(n -> bot(n, 0).put("displayName", "   "), field)).isEqualTo(named(field, problem));
    }

    @Test
    void aGroupTheNetworkLacksIsRefusedAlikeForBots() {
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            String reason = BotRules.groupMissing(net, "zzzzzzzzzzzz");
            assertThat(refusedAt(() -> wire(f, "CreateBot", bot(net, "zzzzzzzzzzzz", "alertbot")), "groupId"))
                    .isEqualTo(reason);
        }
        String[] expected = new String[1];
        String got = imported(n -> {
            expected[0] = BotRules.groupMissing(n.get("networkId").asText(), "zzzzzzzzzzzz");
            bot(n, 0).put("groupId", "zzzzzzzzzzzz");
        }, "accounts[0].networks[0].bots[0].groupId");
        assertThat(got).isEqualTo(expected[0]);
    }

    // -- security groups --------------------------------------------------------------------------

    @Test
    void aBlankGroupNameIsRefusedAlike() {
        String problem = GroupRules.nameProblem("");
        assertThat(problem).isEqualTo("is required");
        String reason = named("name", problem);
        try (ServiceFixture f = fixture()) {
            ObjectNode in = group(f.network(), "   ");
            assertThat(refusedAt(() -> wire(f, "CreateSecurityGroup", in), "name")).isEqualTo(reason);
        }
        String field = "accounts[0].networks[0].securityGroups[1].name";
        assertThat(imported(n -> group(n, 1).put("name", "   "), field)).isEqualTo(named(field, problem));
        assertThat(seeded("{\"networks\": [{\"name\": \"Ops\", \"securityGroups\": [{\"name\": \"   \"}]}]}"))
                .isEqualTo(reason);
    }

    @Test
    void aGroupNameTakenIgnoringCaseIsRefusedAlike() {
        // A seed leaves a group it finds by name alone, so it never meets this rule.
        try (ServiceFixture f = fixture()) {
            String net = f.network();
            ObjectNode in = group(net, "DEFAULT");
            ServiceException e = refusal(() -> wire(f, "CreateSecurityGroup", in));
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.getMessage()).isEqualTo(GroupRules.nameTaken("DEFAULT", net));
        }
        String[] expected = new String[1];
        String got = imported(n -> {
            String taken = group(n, 0).get("name").asText().toUpperCase(java.util.Locale.ROOT);
            expected[0] = GroupRules.nameTaken(taken, n.get("networkId").asText());
            group(n, 1).put("name", taken);
        }, "accounts[0].networks[0].securityGroups[1].name");
        assertThat(got).isEqualTo(expected[0]);
    }

    @Test
    void groupSettingsOutOfRangeAreRefusedAlike() {
        // The contract of CreateSecurityGroup bounds federationMode itself; maxTtl's floor is the rule's.
        String problem = "must not be negative";
        String reason = named("securityGroupSettings.maxTtl", problem);
        try (ServiceFixture f = fixture()) {
            ObjectNode in = group(f.premiumNetwork(), "Team");
            ((ObjectNode) in.get("securityGroupSettings")).put("maxTtl", -1);
            assertThat(refusedAt(() -> wire(f, "CreateSecurityGroup", in), "securityGroupSettings.maxTtl"))
                    .isEqualTo(reason);
        }
        // The import runs the check on the group's settings member and puts the problem under the group's
        // path; like the seed's, its reason keeps the member the check named.
        assertThat(imported(n -> ((ObjectNode) group(n, 0).get("settings")).put("maxTtl", -1),
                "accounts[0].networks[0].securityGroups[0].settings.maxTtl")).isEqualTo(named("settings.maxTtl", problem));
        assertThat(seeded("{\"networks\": [{\"name\": \"Ops\", \"accessLevel\": \"PREMIUM\", \"securityGroups\":"
                + " [{\"name\": \"Team\", \"settings\": {\"maxTtl\": -1}}]}]}")).isEqualTo(reason);
    }

    // -- guests -----------------------------------------------------------------------------------

    @Test
    void aBlankGuestUsernameIsRefusedAlike() {
        // Seed files have no guests.
        String problem = GuestRules.usernameProblem("");
        assertThat(problem).isEqualTo("must not be blank");
        try (ServiceFixture f = fixture()) {
            ObjectNode in = RichState.in(f.network());
            in.put("username", "   ");
            assertThat(refusedAt(() -> wire(f, "LocalRecordGuestActivity", in), "username"))
                    .isEqualTo(named("username", problem));
        }
        String field = "accounts[0].networks[0].guests[0].username";
        assertThat(imported(n -> ((ObjectNode) n.get("guests").get(0)).put("username", "   "), field))
                .isEqualTo(named(field, problem));
    }

    @Test
    void guestActivityCountsInTheSameBillingPeriod() {
        long newYearsEve = java.time.Instant.parse("2025-12-31T23:59:59Z").getEpochSecond();
        assertThat(GuestRules.billingPeriod(newYearsEve)).isEqualTo("2025-12");
        assertThat(GuestRules.billingPeriod(newYearsEve + 1)).isEqualTo("2026-01");
        try (ServiceFixture f = fixture()) {
            ObjectNode in = RichState.in(f.network());
            in.put("username", "guest@elsewhere.example");
            in.put("time", newYearsEve);
            assertThat(wire(f, "LocalRecordGuestActivity", in).get("billingPeriod").asText()).isEqualTo("2025-12");
        }
        String field = "accounts[0].networks[0].guests[0].activity[0].lastAt";
        assertThat(imported(n -> {
            ObjectNode month = (ObjectNode) n.get("guests").get(0).get("activity").get(0);
            month.put("billingPeriod", "2025-12");
            month.put("firstAt", newYearsEve);
            month.put("lastAt", newYearsEve + 1);
        }, field)).isEqualTo(named(field, "must be a time in billing period 2025-12 (UTC)"));
    }

    // -- how each path is taken -------------------------------------------------------------------

    /** The reason of a refusal of {@code field} for {@code problem}, as every path words it. */
    private static String named(String field, String problem) {
        return ServiceException.invalid(field, problem).problems().get(0).reason();
    }

    private static ServiceFixture fixture() {
        return new ServiceFixture(SqliteDatabase.inMemory());
    }

    /** The operation as a request reaches it: the contract's validation first. */
    private static ObjectNode wire(ServiceFixture f, String operation, ObjectNode in) {
        List<FieldProblem> problems = InputValidator.validate(SnapshotWire.CONTRACT.operation(operation).input(), in);
        if (!problems.isEmpty()) {
            throw new ServiceException(ErrorKind.VALIDATION, "invalid: " + problems, problems);
        }
        return f.invoke(operation, in);
    }

    /** The reason a snapshot import gives at {@code field} for the document after {@code change}. */
    private static String imported(Consumer<ObjectNode> change, String field) {
        try (ServiceFixture source = fixture(); ServiceFixture target = fixture()) {
            RichState.populate(source, A, "r1");
            ObjectNode doc = (ObjectNode) Json.read(SnapshotWire.export(source, A, false, PASS));
            change.accept((ObjectNode) doc.get("accounts").get(0).get("networks").get(0));
            ServiceException e = refusal(() -> SnapshotWire.importDocument(target, A, Json.write(doc), false, PASS));
            return reasonAt(e, field);
        }
    }

    /** The reason a seed file gives (the seed names the field by its own path). */
    private static String seeded(String json) {
        try (ServiceFixture f = fixture()) {
            Seed seed = Seed.parse(json, "s.json");
            try {
                seed.applyTo(f.service, SnapshotWire.CONTRACT);
            } catch (SeedException e) {
                return e.reason();
            }
            return fail("the seed was applied");
        }
    }

    private static String refusedAt(Runnable call, String field) {
        return reasonAt(refusal(call::run), field);
    }

    private static String reasonAt(ServiceException e, String field) {
        for (FieldProblem p : e.problems()) {
            if (p.field().equals(field)) {
                return p.reason();
            }
        }
        return fail("no problem at " + field + ": " + e.getMessage() + " " + e.problems());
    }

    private static ServiceException refusal(Runnable call) {
        try {
            call.run();
        } catch (ServiceException e) {
            return e;
        }
        return fail("not refused");
    }

    private static ObjectNode bot(String networkId, String groupId, String username) {
        ObjectNode in = RichState.in(networkId);
        in.put("username", username);
        in.put("groupId", groupId);
        in.put("challenge", "pw-123456");
        return in;
    }

    private static ObjectNode group(String networkId, String name) {
        ObjectNode in = RichState.in(networkId);
        in.put("name", name);
        in.putObject("securityGroupSettings");
        return in;
    }

    private static ObjectNode user(ObjectNode n, int i) {
        return (ObjectNode) n.get("users").get(i);
    }

    private static ObjectNode bot(ObjectNode n, int i) {
        return (ObjectNode) n.get("bots").get(i);
    }

    private static ObjectNode group(ObjectNode n, int i) {
        return (ObjectNode) n.get("securityGroups").get(i);
    }
}
