package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The bound on client tokens per account: new tokens are refused at the bound, repeats are always answered. */
class ClientTokenBoundTest {
    private static final String ACCOUNT = "000000000000";

    private static StateBounds bound(int tokens) {
        return StateBounds.defaults().withMaxClientTokens(tokens);
    }

    private static ObjectNode toggleInput(String networkId, boolean suspend, List<String> userIds, String token) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        in.put("suspend", suspend);
        ArrayNode ids = in.putArray("userIds");
        userIds.forEach(ids::add);
        in.put("clientToken", token);
        return in;
    }

    private static ObjectNode toggle(WickrService service, Call call, String networkId, boolean suspend,
                                     List<String> userIds, String token) {
        return service.invoke("BatchToggleUserSuspendStatus", call, toggleInput(networkId, suspend, userIds, token),
                token, "clientToken");
    }

    private static void assertRefused(Runnable call, long holds) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
            assertThat(e.getMessage()).contains("Account " + ACCOUNT + " holds " + holds + " client tokens",
                    "last 24 hours", "still gets its first answer", "next room frees up at");
        });
    }

    private static long storedTokens(ServiceFixture f, String account) {
        return f.service.transaction(tx -> tx.count("SELECT COUNT(*) FROM idempotency_records WHERE account_id = ?",
                account));
    }

    private static String createNetwork(ServiceFixture f, Call as) {
        ObjectNode in = Json.object();
        in.put("networkName", "net");
        in.put("accessLevel", "STANDARD");
        return f.invoke("CreateNetwork", as, in).get("networkId").asText();
    }

    @EveryStore
    void atTheBoundANewTokenIsRefusedWhileEveryRepeatIsAnswered(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get(), bound(3), AuditEviction.BATCH)) {
            String net = f.network();
            List<String> users = f.users(net, "a", 3, null);
            List<ObjectNode> first = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                first.add(toggle(f.service, f.call, net, true, users.subList(i, i + 1), "t" + i));
            }
            f.clock.advance(Duration.ofMinutes(5));

            assertRefused(() -> toggle(f.service, f.call, net, false, users, "t3"), 3);
            users.forEach(u -> assertThat(f.user(net, u).get("suspended").asBoolean()).as("refused: no change").isTrue());
            for (int i = 0; i < 3; i++) {
                assertThat(toggle(f.service, f.call, net, true, users.subList(i, i + 1), "t" + i))
                        .as("a repeat at the bound").isEqualTo(first.get(i));
            }
            // The bound is the account's, in every region; other accounts and calls without a token are not bound.
            Call west = new Call(ACCOUNT, "eu-west-1", "test", "req");
            String westNet = createNetwork(f, west);
            assertRefused(() -> toggle(f.service, west, westNet, true, List.of("1"), "t3"), 3);
            Call other = new Call("111111111111", "us-east-1", "other", "req");
            String theirs = createNetwork(f, other);
            assertThat(toggle(f.service, other, theirs, true, List.of("1"), "t3").get("failed")).hasSize(1);
            assertThat(f.toggle(net, false, users, null).get("successful")).hasSize(3);

            assertThat(storedTokens(f, ACCOUNT)).isEqualTo(3);
            ObjectNode filter = Json.object();
            filter.put("operation", "BatchToggleUserSuspendStatus");
            List<String> outcomes = new ArrayList<>();
            f.invoke("LocalListAuditEvents", filter.put("maxResults", 100)).get("events")
                    .forEach(e -> outcomes.add(e.get("outcome").asText()));
            assertThat(outcomes).containsOnlyOnce("RateLimitError");
        }
    }

    @EveryStore
    void roomFreesUpAsTokensExpireAndThePurgeRemovesThem(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get(), bound(2), AuditEviction.BATCH)) {
            String net = f.network();
            List<String> users = f.users(net, "a", 1, null);
            toggle(f.service, f.call, net, true, users, "early");
            f.clock.advance(Duration.ofHours(1));
            toggle(f.service, f.call, net, false, users, "later");
            assertThatThrownBy(() -> toggle(f.service, f.call, net, true, users, "third"))
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.getMessage())
                            .contains("frees up at 2026-11-29T12:00:00Z")); // when "early" is 24 hours old

            f.clock.advance(Duration.ofHours(23).plusSeconds(1));
            toggle(f.service, f.call, net, true, users, "third");
            assertThatThrownBy(() -> toggle(f.service, f.call, net, false, users, "fourth"))
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.getMessage())
                            .contains("frees up at 2026-11-29T13:00:00Z"));

            f.clock.advance(Duration.ofDays(2));
            assertThat(f.service.purgeExpiredTokens()).isEqualTo(3);
            assertThat(storedTokens(f, ACCOUNT)).isZero();
            toggle(f.service, f.call, net, false, users, "fourth");
            toggle(f.service, f.call, net, true, users, "fifth");
            assertThat(storedTokens(f, ACCOUNT)).isEqualTo(2);
        }
    }

    @EveryStore
    void aCallThatFailsGivesItsPlaceBack(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get(), bound(1), AuditEviction.BATCH)) {
            String net = f.network();
            List<String> users = f.users(net, "a", 1, null);
            assertThatThrownBy(() -> toggle(f.service, f.call, "99999999", true, users, "missing"))
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
            toggle(f.service, f.call, net, true, users, "kept");
            assertRefused(() -> toggle(f.service, f.call, net, false, users, "one-too-many"), 1);
        }
    }

    /**
     * Two services on one store stand for two nodes: each sees the other's tokens at its next recount, so
     * together they can go over the bound by the room one of them saw, as the Javadoc of ClientTokenBudget says.
     */
    @EveryStore
    void nodesSeeEachOthersTokensAtTheirNextRecount(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get(), bound(3), AuditEviction.BATCH)) {
            WickrService other = new WickrService(f.database, f.clock, bound(3));
            String net = f.network();
            List<String> users = f.users(net, "a", 1, null);
            toggle(f.service, f.call, net, true, users, "a1");
            toggle(f.service, f.call, net, true, users, "a2");
            toggle(other, f.call, net, true, users, "b1"); // its first count saw a1 and a2
            assertRefused(() -> toggle(other, f.call, net, true, users, "b2"), 3);
            assertThat(toggle(other, f.call, net, true, users, "a1")).as("a repeat of the other node's token")
                    .isEqualTo(toggle(f.service, f.call, net, true, users, "a1"));

            toggle(f.service, f.call, net, true, users, "a3"); // the first node counted 0 and has admitted 2
            assertThat(storedTokens(f, ACCOUNT)).as("over by the room the first node saw, less its own").isEqualTo(4);
            f.clock.advance(ClientTokenBudget.RECOUNT_NEAR);
            assertRefused(() -> toggle(f.service, f.call, net, true, users, "a4"), 4);
        }
    }

    @EveryStore
    void concurrentNewTokensOnOneNodeNeverGoOverTheBound(Supplier<Database> store) throws Exception {
        int bound = 10;
        int calls = 24;
        try (ServiceFixture f = new ServiceFixture(store.get(), bound(bound), AuditEviction.BATCH)) {
            String net = f.network();
            List<String> users = f.users(net, "a", calls, null);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> answers = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    List<String> one = users.subList(i, i + 1);
                    String token = "c" + i;
                    answers.add(pool.submit(() -> {
                        go.await();
                        try {
                            toggle(f.service, f.call, net, true, one, token);
                            return true;
                        } catch (ServiceException e) {
                            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
                            return false;
                        }
                    }));
                }
                go.countDown();
                int admitted = 0;
                for (Future<Boolean> a : answers) {
                    admitted += a.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(admitted).isEqualTo(bound);
                assertThat(storedTokens(f, ACCOUNT)).isEqualTo(bound);
                long suspended = users.stream().map(u -> f.user(net, u)).filter(u -> u.get("suspended").asBoolean())
                        .count();
                assertThat(suspended).as("only the admitted calls changed anything").isEqualTo(bound);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
