package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import io.wickrlocal.store.UserStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

class SuspensionRulesTest {


    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get("userId").asText()));
        return out;
    }

    @EveryStore
    void eachDistinctIdAppearsOnceAndUnknownOnesFail(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            List<String> users = f.users(net, "a", 3, null);
            String foreign = f.users(other, "b", 1, null).get(0);
            ObjectNode out = f.toggle(net, true, List.of(users.get(0), users.get(1), users.get(0), "42", foreign), null);
            assertThat(ids(out.get("successful"))).containsExactly(users.get(0), users.get(1));
            assertThat(ids(out.get("failed"))).containsExactly("42", foreign);
            // AWS example BatchToggleUserSuspendStatus#2: an unknown user and one of another network fail alike.
            out.get("failed").forEach(item -> {
                assertThat(item.get("field").asText()).isEqualTo("username");
                assertThat(item.get("reason").asText()).isEqualTo("User not found");
            });
            assertThat(out.get("message").asText()).isEqualTo("partial success");
            assertThat(f.user(net, users.get(0)).get("suspended").asBoolean()).isTrue();
            assertThat(f.user(net, users.get(2)).get("suspended").asBoolean()).isFalse();
            assertThat(f.user(other, foreign).get("suspended").asBoolean()).isFalse();
        }
    }

    @EveryStore
    void settingTheCurrentStateIsASuccessAndUnsuspendRestores(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 2, null);
            f.toggle(net, true, users, null);
            assertThat(ids(f.toggle(net, true, users, null).get("successful"))).containsExactlyElementsOf(users);
            assertThat(ids(f.toggle(net, false, users, null).get("successful"))).containsExactlyElementsOf(users);
            assertThat(f.user(net, users.get(1)).get("suspended").asBoolean()).isFalse();
        }
    }

    /**
     * The toggle locks rows instead of running serializable on PostgreSQL; sign-ins still must never slip
     * between a suspension's check and its end of sessions.
     */
    @EveryStore
    void signInsRacingSuspensionsNeverLeaveASuspendedUserSignedIn(Supplier<Database> store) throws Exception {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> codes = new ArrayList<>();
            String user = f.users(net, "race", 1, codes).get(0);
            f.signIn(net, user, codes.get(0));
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger signedIn = new java.util.concurrent.atomic.AtomicInteger();
            // What goes wrong in the signer (an assertion, any exception) ends it and fails the test below:
            // a thread's own failure would otherwise only end the thread.
            java.util.concurrent.atomic.AtomicReference<Throwable> signerFailure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread signer = new Thread(() -> {
                try {
                    while (!done.get()) {
                        try {
                            f.signIn(net, user, null);
                            signedIn.incrementAndGet();
                        } catch (ServiceException e) {
                            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.FORBIDDEN);
                        }
                    }
                } catch (Throwable t) {
                    signerFailure.set(t);
                    done.set(true);
                }
            });
            signer.start();
            try {
                for (int i = 0; i < 40; i++) {
                    f.toggle(net, true, List.of(user), null);
                    assertThat(f.sessions(net, user)).as("open sessions right after suspension %d", i).isEmpty();
                    f.toggle(net, false, List.of(user), null);
                    // Give the signer a moment to get in while the user is unsuspended (bounded): on a
                    // busy machine the loop could otherwise run through without a single race.
                    int before = signedIn.get();
                    long until = System.nanoTime() + 200_000_000L;
                    while (signedIn.get() == before && System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            } finally {
                done.set(true);
                signer.join();
            }
            if (signerFailure.get() != null) {
                throw new AssertionError("the signing-in thread failed", signerFailure.get());
            }
            assertThat(signedIn.get()).as("sign-ins that got through between suspensions").isPositive();
        }
    }

    @EveryStore
    void suspensionSignsTheUserOutAndKeepsThemOut(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> codes = new ArrayList<>();
            String user = f.users(net, "a", 1, codes).get(0);
            f.signIn(net, user, codes.get(0));
            f.signIn(net, user, null);
            assertThat(f.sessions(net, user)).hasSize(2);
            assertThat(f.user(net, user).get("status").asInt()).isEqualTo(2);

            f.toggle(net, true, List.of(user), null);
            assertThat(f.sessions(net, user)).isEmpty();
            assertThatThrownBy(() -> f.signIn(net, user, null))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                        assertThat(e.getMessage()).contains("suspended");
                    });
            ObjectNode devicesIn = Json.object();
            devicesIn.put("networkId", net);
            devicesIn.put("userId", user);
            JsonNode devices = f.invoke("ListDevicesForUser", devicesIn).get("devices");
            assertThat(devices).hasSize(2);
            devices.forEach(d -> assertThat(d.get("suspend").asBoolean()).isTrue());

            f.toggle(net, false, List.of(user), null);
            f.signIn(net, user, null);
            assertThat(f.sessions(net, user)).hasSize(1);
            f.invoke("ListDevicesForUser", devicesIn).get("devices")
                    .forEach(d -> assertThat(d.get("suspend").asBoolean()).isFalse());
        }
    }

    @EveryStore
    void pendingUsersCanBeSuspendedAndThenCannotAcceptTheirInvitation(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> codes = new ArrayList<>();
            String user = f.users(net, "a", 1, codes).get(0);
            f.toggle(net, true, List.of(user), null);
            assertThatThrownBy(() -> f.signIn(net, user, codes.get(0))).isInstanceOf(ServiceException.class);
            assertThat(f.user(net, user).get("status").asInt()).isEqualTo(1);
        }
    }

    @EveryStore
    void aRepeatedTokenReturnsTheFirstAnswerWithoutRunningAgain(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 2, null);
            ObjectNode first = f.toggle(net, true, users, "token-1");
            f.toggle(net, false, users, "token-2");
            ObjectNode again = f.toggle(net, true, users, "token-1");
            assertThat(again).isEqualTo(first);
            assertThat(f.user(net, users.get(0)).get("suspended").asBoolean()).as("not run again").isFalse();

            assertThatThrownBy(() -> f.toggle(net, false, users, "token-1"))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("different parameters");
                    });
        }
    }

    @EveryStore
    void tokensAreScopedByAccountAndRegionAndExpire(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 1, null);
            f.toggle(net, true, users, "shared");
            f.toggle(net, false, users, "other");

            Call elsewhere = new Call("000000000000", "eu-west-1", "test", "r2");
            ObjectNode in = Json.object();
            in.put("networkId", net);
            in.put("suspend", true);
            in.putArray("userIds").add(users.get(0));
            assertThatThrownBy(() -> f.service.invoke("BatchToggleUserSuspendStatus", elsewhere, in, "shared",
                    "clientToken")).as("a fresh run in another region: the network is not there")
                    .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));

            f.clock.advance(WickrService.TOKEN_WINDOW.plus(Duration.ofMinutes(1)));
            f.toggle(net, true, users, "shared");
            assertThat(f.user(net, users.get(0)).get("suspended").asBoolean()).as("expired token runs again").isTrue();
        }
    }

    @EveryStore
    void aFailureInsideTheTransactionLeavesNothingBehind(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> users = f.users(net, "a", 3, null);
            List<Long> numeric = users.stream().map(Long::valueOf).toList();
            assertThatThrownBy(() -> f.service.transaction(tx -> {
                UserStore.setSuspended(tx, net, numeric.subList(0, 2), true, 1);
                throw new IllegalStateException("crash between two writes");
            })).isInstanceOf(IllegalStateException.class);
            users.forEach(u -> assertThat(f.user(net, u).get("suspended").asBoolean()).isFalse());
        }
    }

    @EveryStore
    void anotherAccountOrRegionNeverSeesTheNetwork(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode in = Json.object();
            in.put("networkId", net);
            for (Call c : List.of(new Call("111111111111", "us-east-1", "k", "r"), new Call("000000000000", "eu-west-1", "k", "r"))) {
                assertThatThrownBy(() -> f.invoke("GetNetwork", c, in))
                        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
                assertThat(f.invoke("ListNetworks", c, Json.object()).get("networks")).isEmpty();
            }
        }
    }
}
