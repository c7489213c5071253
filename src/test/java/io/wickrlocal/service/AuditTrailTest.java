package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.store.AuditStore;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import io.wickrlocal.store.SqliteDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The audit trail: what is recorded, once, in the transaction of the change, and how it is read. */
class AuditTrailTest {

    private static ObjectNode in(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        return in;
    }

    private static Call as(ServiceFixture f, String requestId) {
        return new Call(f.call.accountId(), f.call.region(), f.call.accessKeyId(), requestId);
    }

    private static ObjectNode toggleInput(String networkId, boolean suspend, List<String> userIds) {
        ObjectNode in = in(networkId);
        in.put("suspend", suspend);
        ArrayNode ids = in.putArray("userIds");
        userIds.forEach(ids::add);
        return in;
    }

    /** Every event the filter selects, read page by page through the list operation. */
    private static List<JsonNode> events(ServiceFixture f, Call call, ObjectNode filter) {
        List<JsonNode> out = new ArrayList<>();
        ObjectNode query = filter.deepCopy();
        query.put("maxResults", 3);
        while (true) {
            ObjectNode page = f.invoke("LocalListAuditEvents", call, query);
            assertThat(page.get("events").size()).isLessThanOrEqualTo(3);
            page.get("events").forEach(out::add);
            if (!page.hasNonNull("nextToken")) {
                return out;
            }
            query.put("nextToken", page.get("nextToken").asText());
        }
    }

    private static List<JsonNode> events(ServiceFixture f, ObjectNode filter) {
        return events(f, f.call, filter);
    }

    private static ObjectNode byRequest(String operation) {
        ObjectNode filter = Json.object();
        filter.put("operation", operation);
        return filter;
    }

    private static List<JsonNode> ofRequest(List<JsonNode> events, String requestId) {
        return events.stream().filter(e -> e.get("requestId").asText().equals(requestId)).toList();
    }

    /**
     * Reads (the Get..., List... and export operations) are exactly those bound to GET; the reset empties the
     * trail with the rest, and the faults operations act on memory, not on the store the trail is in.
     */
    @Test
    void theRecordedOperationsAreExactlyThoseNotBoundToGetButTheResetAndTheFaultOnes() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            for (Operation op : ServiceContract.load().operations()) {
                OperationDescriptor d = f.service.descriptor(op.name());
                boolean recorded = d != null && d.audit() != OperationDescriptor.Audit.NONE;
                assertThat(recorded).as(op.name() + " " + op.method())
                        .isEqualTo(!"GET".equals(op.method()) && !op.name().equals("LocalReset")
                                && !op.name().endsWith("Faults"));
            }
        }
    }

    @EveryStore
    void aSuspensionRecordsOneEventPerUserWithItsOldAndNewState(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 3, null);
            f.toggle(net, true, List.of(users.get(1)), null);
            f.clock.advance(Duration.ofSeconds(1));

            List<String> asked = List.of(users.get(0), users.get(1), "42", users.get(0));
            f.service.invoke("BatchToggleUserSuspendStatus", as(f, "req-toggle"), toggleInput(net, true, asked),
                    null, null);

            List<JsonNode> toggles = ofRequest(events(f, byRequest("BatchToggleUserSuspendStatus")), "req-toggle");
            assertThat(toggles).extracting(e -> e.get("userId").asText())
                    .containsExactly(users.get(0), users.get(1), "42");
            JsonNode changed = toggles.get(0);
            assertThat(changed.get("outcome").asText()).isEqualTo("Success");
            assertThat(changed.get("changed").asBoolean()).isTrue();
            assertThat(changed.get("oldState").get("suspended").asBoolean()).isFalse();
            assertThat(changed.get("newState").get("suspended").asBoolean()).isTrue();
            assertThat(changed.get("networkId").asText()).isEqualTo(net);
            assertThat(changed.get("accountId").asText()).isEqualTo("000000000000");
            assertThat(changed.get("region").asText()).isEqualTo("us-east-1");
            assertThat(changed.get("accessKeyId").asText()).isEqualTo("test");
            assertThat(changed.get("time").asText()).isEqualTo("2026-11-28T12:00:01.000Z");
            assertThat(changed.get("epochMillis").asLong()).isEqualTo(f.clock.millis());
            JsonNode unchanged = toggles.get(1);
            assertThat(unchanged.get("outcome").asText()).isEqualTo("Success");
            assertThat(unchanged.get("changed").asBoolean()).as("already suspended").isFalse();
            assertThat(unchanged.get("oldState").get("suspended").asBoolean()).isTrue();
            assertThat(unchanged.get("newState").get("suspended").asBoolean()).isTrue();
            JsonNode failed = toggles.get(2);
            assertThat(failed.get("outcome").asText()).isEqualTo("Failed");
            assertThat(failed.get("field").asText()).isEqualTo("username");
            assertThat(failed.get("reason").asText()).isEqualTo("User not found");
            assertThat(failed.has("oldState")).isFalse();
            assertThat(failed.has("changed")).isFalse();
            assertThat(toggles).extracting(e -> e.get("eventId").asText()).doesNotHaveDuplicates();
        }
    }

    @EveryStore
    void aReplayedClientTokenAddsNoPerUserEvents(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 3, null);
            ObjectNode input = toggleInput(net, true, users);
            input.put("clientToken", "tok-1");
            ObjectNode first = f.service.invoke("BatchToggleUserSuspendStatus", as(f, "req-1"), input, "tok-1",
                    "clientToken");
            f.clock.advance(Duration.ofSeconds(5));
            ObjectNode again = f.service.invoke("BatchToggleUserSuspendStatus", as(f, "req-2"), input, "tok-1",
                    "clientToken");
            assertThat(again).isEqualTo(first);

            List<JsonNode> all = events(f, byRequest("BatchToggleUserSuspendStatus"));
            assertThat(ofRequest(all, "req-1")).hasSize(3).allSatisfy(e -> {
                assertThat(e.get("changed").asBoolean()).isTrue();
                assertThat(e.get("clientToken").asText()).isEqualTo("tok-1");
            });
            List<JsonNode> replay = ofRequest(all, "req-2");
            assertThat(replay).hasSize(1);
            assertThat(replay.get(0).get("outcome").asText()).isEqualTo("Replay");
            assertThat(replay.get(0).has("userId")).isFalse();
            assertThat(replay.get(0).has("changed")).isFalse();
            assertThat(replay.get(0).get("clientToken").asText()).isEqualTo("tok-1");
            assertThat(replay.get(0).get("ids").get("userIds")).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(users);
            for (String u : users) {
                ObjectNode filter = Json.object();
                filter.put("userId", u);
                filter.put("operation", "BatchToggleUserSuspendStatus");
                assertThat(events(f, filter)).as("each user's change exactly once").hasSize(1);
            }
        }
    }

    /**
     * The acceptance case: a suspension whose first attempt meets a fault, retried as boto3 retries
     * (the same client token), shows each user's change exactly once, whatever the fault was.
     */
    @EveryStore
    void aSuspensionRetriedAfterAFaultShowsEachChangeExactlyOnce(Supplier<Database> store) {
        FaultyDatabase db = new FaultyDatabase(store.get());
        try (ServiceFixture f = new ServiceFixture(db)) {
            String net = f.network();
            int round = 0;
            for (FaultyDatabase.Fault fault : FaultyDatabase.Fault.values()) {
                List<String> users = f.users(net, "r" + round + "-", 3, null);
                String token = "retry-" + round++;
                ObjectNode input = toggleInput(net, true, users);
                input.put("clientToken", token);
                db.failNext(fault);
                int attempts = 0;
                while (true) {
                    attempts++;
                    try {
                        f.service.invoke("BatchToggleUserSuspendStatus", as(f, token + "-" + attempts), input, token,
                                "clientToken");
                        break;
                    } catch (RuntimeException e) {
                        assertThat(e).isNotInstanceOf(ServiceException.class);
                        assertThat(attempts).as("one retry is enough").isLessThan(2);
                    }
                }
                for (String u : users) {
                    assertThat(f.user(net, u).get("suspended").asBoolean()).isTrue();
                    ObjectNode filter = Json.object();
                    filter.put("userId", u);
                    filter.put("operation", "BatchToggleUserSuspendStatus");
                    List<JsonNode> changes = events(f, filter);
                    assertThat(changes).as(fault + ": each user's change exactly once").hasSize(1);
                    assertThat(changes.get(0).get("changed").asBoolean()).isTrue();
                    assertThat(changes.get(0).get("clientToken").asText()).isEqualTo(token);
                }
            }
        }
    }

    @EveryStore
    void aCallThatFailsMidwayLeavesNeitherDataNorEvent(Supplier<Database> store) {
        FaultyDatabase db = new FaultyDatabase(store.get());
        try (ServiceFixture f = new ServiceFixture(db)) {
            String net = f.network();
            List<String> users = f.users(net, "a", 2, null);
            int before = events(f, Json.object()).size();
            db.failNext(FaultyDatabase.Fault.BEFORE_COMMIT);
            assertThatThrownBy(() -> f.toggle(net, true, users, null)).isInstanceOf(IllegalStateException.class);
            users.forEach(u -> assertThat(f.user(net, u).get("suspended").asBoolean()).isFalse());
            assertThat(events(f, Json.object())).hasSize(before);
        }
    }

    @EveryStore
    void aRefusedCallIsRecordedWithItsErrorAndChangesNothing(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 2, null);
            String group = f.defaultGroup(net);
            ObjectNode delete = in(net);
            delete.put("groupId", group);
            assertThatThrownBy(() -> f.invoke("DeleteSecurityGroup", as(f, "req-refused"), delete))
                    .isInstanceOfSatisfying(ServiceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
            assertThatThrownBy(() -> f.service.invoke("BatchToggleUserSuspendStatus", as(f, "req-missing"),
                    toggleInput("99999999", true, users), null, null))
                    .isInstanceOfSatisfying(ServiceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));

            List<JsonNode> refused = ofRequest(events(f, byRequest("DeleteSecurityGroup")), "req-refused");
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0).get("outcome").asText()).isEqualTo("BadRequestError");
            assertThat(refused.get(0).get("networkId").asText()).isEqualTo(net);
            assertThat(refused.get(0).get("ids").get("groupIds")).extracting(JsonNode::asText).containsExactly(group);
            assertThat(f.invoke("GetSecurityGroup", delete).get("securityGroup").get("id").asText()).isEqualTo(group);

            List<JsonNode> missing = ofRequest(events(f, byRequest("BatchToggleUserSuspendStatus")), "req-missing");
            assertThat(missing).hasSize(1);
            assertThat(missing.get(0).get("outcome").asText()).isEqualTo("ResourceNotFoundError");
            assertThat(missing.get(0).has("userId")).as("a call-level event").isFalse();
            users.forEach(u -> assertThat(f.user(net, u).get("suspended").asBoolean()).isFalse());
        }
    }

    @EveryStore
    void everyKindOfChangeIsRecordedWithTheIdsItTouchedAndReadsAreNot(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            // calls in the same millisecond have no order among them, so the clock moves between calls
            String net = f.network();
            f.clock.advance(Duration.ofMillis(1));
            String group = f.defaultGroup(net);
            List<String> codes = new ArrayList<>();
            List<String> users = f.users(net, "a", 2, codes);
            f.clock.advance(Duration.ofMillis(1));
            f.signIn(net, users.get(0), codes.get(0));
            f.clock.advance(Duration.ofMillis(1));
            ObjectNode update = in(net);
            update.put("userId", users.get(1));
            update.putObject("userDetails").put("firstName", "Zelda");
            f.invoke("UpdateUser", update);
            f.clock.advance(Duration.ofMillis(1));
            ObjectNode bot = in(net);
            bot.put("username", "helperbot");
            bot.put("groupId", group);
            bot.put("challenge", "Bot-password-1");
            String botId = f.invoke("CreateBot", bot).get("botId").asText();
            f.clock.advance(Duration.ofMillis(1));
            ObjectNode createGroup = in(net);
            createGroup.put("name", "Second");
            createGroup.putObject("securityGroupSettings");
            String second = f.invoke("CreateSecurityGroup", createGroup).get("securityGroup").get("id").asText();
            f.clock.advance(Duration.ofMillis(1));
            ObjectNode delete = in(net);
            delete.putArray("userIds").add(users.get(1));
            f.invoke("BatchDeleteUser", delete);
            f.invoke("ListUsers", in(net));
            f.user(net, users.get(0));
            f.invoke("GetNetwork", in(net));

            List<JsonNode> all = events(f, Json.object());
            assertThat(all).extracting(e -> e.get("operation").asText()).containsExactly("CreateNetwork",
                    "BatchCreateUser", "BatchCreateUser", "LocalSignIn", "UpdateUser", "CreateBot",
                    "CreateSecurityGroup", "BatchDeleteUser");
            assertThat(all).allSatisfy(e -> {
                assertThat(e.get("outcome").asText()).isEqualTo("Success");
                assertThat(e.get("networkId").asText()).isEqualTo(net);
            });
            assertThat(all.get(1).get("userId").asText()).isEqualTo(users.get(0));
            assertThat(all.get(1).get("ids").get("groupIds")).extracting(JsonNode::asText).containsExactly(group);
            assertThat(all.get(2).get("userId").asText()).isEqualTo(users.get(1));
            assertThat(all.get(3).get("userId").asText()).isEqualTo(users.get(0));
            assertThat(all.get(3).get("ids").get("deviceIds")).hasSize(1);
            assertThat(all.get(4).get("userId").asText()).isEqualTo(users.get(1));
            assertThat(all.get(5).get("ids").get("botIds")).extracting(JsonNode::asText).containsExactly(botId);
            assertThat(all.get(6).get("ids").get("groupIds")).extracting(JsonNode::asText).containsExactly(second);
            assertThat(all.get(7).get("userId").asText()).isEqualTo(users.get(1));

            String everything = all.toString();
            assertThat(everything).as("no personal names or secrets in events").doesNotContain("Zelda")
                    .doesNotContain("First0").doesNotContain("Last1").doesNotContain("Bot-password-1")
                    .doesNotContain(codes.get(0)).doesNotContain(codes.get(1)).doesNotContain("sessionId");
        }
    }

    @EveryStore
    void pagesFiltersAndScope(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            long start = f.clock.instant().getEpochSecond();
            List<String> users = f.users(net, "a", 4, null);
            f.clock.advance(Duration.ofSeconds(10));
            long middle = f.clock.instant().getEpochSecond();
            f.toggle(net, true, users, null);
            f.clock.advance(Duration.ofSeconds(10));
            f.toggle(net, false, users.subList(0, 1), null);
            f.users(other, "b", 1, null);

            List<JsonNode> all = events(f, Json.object());
            assertThat(all).hasSize(2 + 4 + 4 + 1 + 1);
            assertThat(all).extracting(e -> e.get("eventId").asText()).doesNotHaveDuplicates();
            assertThat(all).extracting(e -> e.get("epochMillis").asLong()).isSorted();

            ObjectNode newestFirst = Json.object();
            newestFirst.put("sortDirection", "DESC");
            List<JsonNode> reversed = new ArrayList<>(events(f, newestFirst));
            java.util.Collections.reverse(reversed);
            assertThat(reversed).isEqualTo(all);

            ObjectNode byUser = Json.object();
            byUser.put("userId", users.get(0));
            assertThat(events(f, byUser)).extracting(e -> e.get("operation").asText())
                    .containsExactly("BatchCreateUser", "BatchToggleUserSuspendStatus", "BatchToggleUserSuspendStatus");
            ObjectNode byNetwork = Json.object();
            byNetwork.put("networkId", other);
            assertThat(events(f, byNetwork)).extracting(e -> e.get("operation").asText())
                    .containsExactly("CreateNetwork", "BatchCreateUser");
            ObjectNode window = Json.object();
            window.put("startTime", middle);
            window.put("endTime", middle);
            assertThat(events(f, window)).hasSize(4).allSatisfy(e -> assertThat(e.get("newState").get("suspended")
                    .asBoolean()).isTrue());
            ObjectNode before = Json.object();
            before.put("endTime", start);
            assertThat(events(f, before)).hasSize(2 + 4);
            ObjectNode combined = Json.object();
            combined.put("operation", "BatchToggleUserSuspendStatus");
            combined.put("userId", users.get(0));
            combined.put("startTime", middle + 1);
            assertThat(events(f, combined)).hasSize(1)
                    .allSatisfy(e -> assertThat(e.get("newState").get("suspended").asBoolean()).isFalse());

            Call elsewhere = new Call("000000000000", "eu-west-1", "test", "r");
            Call stranger = new Call("111111111111", "us-east-1", "other", "r");
            assertThat(events(f, elsewhere, Json.object())).isEmpty();
            assertThat(events(f, stranger, Json.object())).isEmpty();

            ObjectNode firstPage = Json.object();
            firstPage.put("maxResults", 2);
            String token = f.invoke("LocalListAuditEvents", firstPage).get("nextToken").asText();
            ObjectNode foreign = Json.object();
            foreign.put("nextToken", token);
            assertThatThrownBy(() -> f.invoke("LocalListAuditEvents", stranger, foreign)).as("another account's token")
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION));
            foreign.put("operation", "CreateNetwork");
            assertThatThrownBy(() -> f.invoke("LocalListAuditEvents", foreign)).as("another query's token")
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION));
            ObjectNode backwards = Json.object();
            backwards.put("startTime", middle + 1);
            backwards.put("endTime", middle);
            assertThatThrownBy(() -> f.invoke("LocalListAuditEvents", backwards))
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION));
            ObjectNode typo = Json.object();
            typo.put("operation", "BatchToggleUserSuspendStatuss");
            assertThatThrownBy(() -> f.invoke("LocalListAuditEvents", typo))
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION));
        }
    }

    @EveryStore
    void theExportHasTheSameEventsAsJsonLines(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 3, null);
            f.toggle(net, true, users, null);
            ObjectNode filter = Json.object();
            filter.put("networkId", net);
            List<JsonNode> listed = events(f, filter);
            String lines = f.invoke("LocalExportAuditEvents", filter).get("events").asText();
            assertThat(lines).endsWith("\n");
            List<JsonNode> exported = new ArrayList<>();
            for (String line : lines.split("\n")) {
                exported.add(Json.read(line));
            }
            assertThat(exported).isEqualTo(listed).hasSize(1 + 3 + 3);
            ObjectNode none = Json.object();
            none.put("userId", "1");
            assertThat(f.invoke("LocalExportAuditEvents", none).get("events").asText()).isEmpty();
        }
    }

    @EveryStore
    void anAccountsTrailCanBeDeletedAndOutlivesItsNetworks(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.clock.advance(Duration.ofMillis(1));
            f.invoke("DeleteNetwork", in(net));
            ObjectNode filter = Json.object();
            filter.put("networkId", net);
            assertThat(events(f, filter)).extracting(e -> e.get("operation").asText())
                    .containsExactly("CreateNetwork", "DeleteNetwork");
            Call stranger = new Call("111111111111", "us-east-1", "other", "r");
            ObjectNode create = Json.object();
            create.put("networkName", "theirs");
            create.put("accessLevel", "STANDARD");
            f.invoke("CreateNetwork", stranger, create);

            int deleted = f.service.transaction(tx -> AuditStore.deleteAccount(tx, f.call.accountId()));
            assertThat(deleted).isEqualTo(2);
            assertThat(events(f, Json.object())).isEmpty();
            assertThat(events(f, stranger, Json.object())).hasSize(1);
            int rest = f.service.transaction(AuditStore::deleteAll);
            assertThat(rest).isEqualTo(1);
            assertThat(events(f, stranger, Json.object())).isEmpty();
        }
    }

    @Test
    void readsOfTheTrailAreNotRecorded() {
        try (ServiceFixture f = new ServiceFixture(SqliteDatabase.inMemory())) {
            f.network();
            f.invoke("LocalListAuditEvents", Json.object());
            f.invoke("LocalExportAuditEvents", Json.object());
            assertThat(events(f, Json.object())).hasSize(1);
        }
    }
}
