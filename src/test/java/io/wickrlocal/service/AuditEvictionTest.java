package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The audit trail's bounds: by age and by count per account, the oldest events go first, in small steps. */
class AuditEvictionTest {
    private static final Call EAST = new Call("000000000000", "us-east-1", "test", "req");
    private static final Call WEST = new Call("000000000000", "eu-west-1", "test", "req");
    private static final Call OTHER = new Call("111111111111", "us-east-1", "other", "req");
    /** Steps of two events, counts in chunks of three: every pass below takes several of each. */
    private static final int BATCH = 2;

    private static String network(ServiceFixture f, Call as) {
        ObjectNode in = Json.object();
        in.put("networkName", "net");
        in.put("accessLevel", "STANDARD");
        return f.invoke("CreateNetwork", as, in).get("networkId").asText();
    }

    /** The account's events in the call's region, oldest first. */
    private static List<JsonNode> events(ServiceFixture f, Call as) {
        List<JsonNode> out = new ArrayList<>();
        ObjectNode query = Json.object();
        query.put("maxResults", 100);
        while (true) {
            ObjectNode page = f.invoke("LocalListAuditEvents", as, query);
            page.get("events").forEach(out::add);
            if (!page.hasNonNull("nextToken")) {
                return out;
            }
            query.put("nextToken", page.get("nextToken").asText());
        }
    }

    private static List<String> networks(List<JsonNode> events) {
        return events.stream().map(e -> e.get("networkId").asText()).toList();
    }

    @EveryStore
    void eventsOlderThanTheRetentionGoAndTheRestStays(Supplier<Database> store) {
        StateBounds bounds = StateBounds.defaults().withAuditRetention(Duration.ofDays(30));
        try (ServiceFixture f = new ServiceFixture(store.get(), bounds, BATCH)) {
            String old = network(f, EAST);
            f.clock.advance(Duration.ofMillis(1));
            List<String> users = f.users(old, "a", 3, null);
            f.clock.advance(Duration.ofMillis(1));
            network(f, WEST);
            network(f, OTHER);
            f.clock.advance(Duration.ofDays(10));
            f.toggle(old, true, users, null);
            String recentWest = network(f, WEST);
            f.clock.advance(Duration.ofDays(20).plusMillis(5)); // the first events are now 30 days and 5 ms old

            assertThat(f.service.evictAuditEvents()).isEqualTo(1 + 3 + 1 + 1);
            assertThat(events(f, EAST)).hasSize(3).allSatisfy(e -> {
                assertThat(e.get("operation").asText()).isEqualTo("BatchToggleUserSuspendStatus");
                assertThat(e.get("userId").asText()).isIn(users);
            });
            assertThat(networks(events(f, WEST))).containsExactly(recentWest);
            assertThat(events(f, OTHER)).as("the retention is every account's").isEmpty();
            assertThat(f.service.evictAuditEvents()).as("a second pass").isZero();
            assertThat(events(f, EAST)).hasSize(3);
        }
    }

    @EveryStore
    void beyondTheBoundTheOldestOfAllRegionsGo(Supplier<Database> store) {
        StateBounds bounds = StateBounds.defaults().withAuditMaxEvents(5);
        try (ServiceFixture f = new ServiceFixture(store.get(), bounds, BATCH)) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                created.add(network(f, i % 3 == 0 ? WEST : EAST));
                f.clock.advance(Duration.ofMillis(1));
            }
            for (int i = 0; i < 5; i++) {
                network(f, OTHER);
            }

            assertThat(f.service.evictAuditEvents()).isEqualTo(12 - 5);
            List<String> left = new ArrayList<>(networks(events(f, EAST)));
            left.addAll(networks(events(f, WEST)));
            assertThat(left).as("the five newest of both regions").containsExactlyInAnyOrderElementsOf(
                    created.subList(7, 12));
            assertThat(networks(events(f, WEST))).containsExactly(created.get(9));
            assertThat(events(f, OTHER)).as("at the bound, not beyond it").hasSize(5);
            assertThat(f.service.evictAuditEvents()).as("a second pass").isZero();

            network(f, OTHER);
            assertThat(f.service.evictAuditEvents()).isOne();
            assertThat(events(f, OTHER)).hasSize(5);
        }
    }

    @EveryStore
    void eventsOfOneMillisecondGoInTheOrderOfTheirIds(Supplier<Database> store) {
        StateBounds bounds = StateBounds.defaults().withAuditMaxEvents(4);
        try (ServiceFixture f = new ServiceFixture(store.get(), bounds, BATCH)) {
            String net = network(f, EAST);
            f.clock.advance(Duration.ofMillis(1));
            List<String> users = f.users(net, "a", 5, null); // five events of one call, in one millisecond
            List<JsonNode> before = events(f, EAST);

            assertThat(f.service.evictAuditEvents()).isEqualTo(2);
            assertThat(events(f, EAST)).as("the last four events of the call").isEqualTo(before.subList(2, 6));
            assertThat(events(f, EAST)).extracting(e -> e.get("userId").asText()).containsExactlyElementsOf(
                    users.subList(1, 5));
        }
    }

    /** Two nodes evicting one account at once, step by step in turns: together they keep the newest events. */
    @EveryStore
    void twoNodesEvictingAtOnceDeleteNoMoreThanTheExcess(Supplier<Database> store) throws Exception {
        StateBounds bounds = StateBounds.defaults().withAuditMaxEvents(100);
        try (ServiceFixture f = new ServiceFixture(store.get(), bounds, BATCH)) {
            String net = network(f, EAST);
            for (int i = 0; i < 6; i++) {
                f.clock.advance(Duration.ofMillis(1));
                f.users(net, "u" + i + "-", 50, null);
            }
            List<JsonNode> before = events(f, EAST);
            assertThat(before).hasSize(301);
            WickrService other = new WickrService(f.database, f.clock, bounds, BATCH, BATCH + 1);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> {
                    go.await();
                    return f.service.evictAuditEvents();
                });
                var second = pool.submit(() -> {
                    go.await();
                    return other.evictAuditEvents();
                });
                go.countDown();
                long removed = first.get(120, java.util.concurrent.TimeUnit.SECONDS)
                        + second.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(removed).isEqualTo(201);
            } finally {
                pool.shutdownNow();
            }
            assertThat(events(f, EAST)).isEqualTo(before.subList(201, 301));
        }
    }
}
