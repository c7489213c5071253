package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

class GuestRulesTest {
    /** ServiceFixture's clock starts at 2026-11-28T12:00:00Z. */
    private static final long OCT_2026 = Instant.parse("2026-10-15T08:00:00Z").getEpochSecond();
    private static final long SEP_2026 = Instant.parse("2026-09-03T00:00:00Z").getEpochSecond();
    private static final long JUL_2026 = Instant.parse("2026-07-31T23:59:59Z").getEpochSecond();


    private static ObjectNode activity(ServiceFixture f, String net, String username, Long time) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        in.put("username", username);
        if (time != null) {
            in.put("time", time);
        }
        return f.invoke("LocalRecordGuestActivity", in);
    }

    private static ObjectNode input(String net, String... pairs) {
        ObjectNode in = Json.object();
        in.put("networkId", net);
        for (int i = 0; i < pairs.length; i += 2) {
            in.put(pairs[i], pairs[i + 1]);
        }
        return in;
    }

    private static ObjectNode block(ServiceFixture f, Call as, String net, String hash, boolean block) {
        ObjectNode in = input(net, "usernameHash", hash);
        in.put("block", block);
        return f.invoke("UpdateGuestUser", as, in);
    }

    private static List<String> field(JsonNode items, String name) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get(name).asText()));
        return out;
    }

    /** Every item of a listing, following nextToken with pages of {@code size}. */
    private static List<JsonNode> all(ServiceFixture f, String op, String member, ObjectNode query, int size) {
        List<JsonNode> items = new ArrayList<>();
        ObjectNode in = query.deepCopy();
        in.put("maxResults", size);
        for (int pages = 0; pages < 100; pages++) {
            ObjectNode out = f.invoke(op, in);
            assertThat(out.get(member).size()).isLessThanOrEqualTo(size);
            out.get(member).forEach(items::add);
            if (!out.has("nextToken")) {
                return items;
            }
            in.put("nextToken", out.get("nextToken").asText());
        }
        throw new AssertionError("listing did not end");
    }

    private static void assertFails(Runnable call, ErrorKind kind, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            if (field != null) {
                assertThat(e.problems()).extracting(FieldProblem::field).contains(field);
            }
        });
    }

    @EveryStore
    void activityIdentifiesTheGuestByTheHashOfTheLowerCasedNameAndItsMonth(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            ObjectNode first = activity(f, net, "Carol@Partner.example", OCT_2026);
            assertThat(first.get("usernameHash").asText()).isEqualTo(Users.uname("carol@partner.example"))
                    .hasSize(64);
            assertThat(first.get("billingPeriod").asText()).isEqualTo("2026-10");
            assertThat(activity(f, net, "carol@partner.example", OCT_2026 + 60).get("usernameHash"))
                    .isEqualTo(first.get("usernameHash"));
            assertThat(activity(f, net, "carol@partner.example", JUL_2026).get("billingPeriod").asText())
                    .isEqualTo("2026-07");
            assertThat(activity(f, net, "carol@partner.example", null).get("billingPeriod").asText())
                    .isEqualTo("2026-11");

            // Ascending without a sortDirection (AWS example ListGuestUsers#2).
            JsonNode guests = f.invoke("ListGuestUsers", input(net)).get("guestlist");
            assertThat(field(guests, "billingPeriod")).containsExactly("2026-07", "2026-10", "2026-11");
            assertThat(field(guests, "usernameHash")).containsOnly(first.get("usernameHash").asText());
            assertThat(field(guests, "username")).containsOnly("carol@partner.example");
            assertThat(f.invoke("ListGuestUsers", input(f.network())).get("guestlist")).isEmpty();
        }
    }

    @EveryStore
    void activityOutsideTimeOrFromAMemberIsRefused(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            f.users(net, "member", 1, null);
            long future = f.clock.instant().plus(Duration.ofHours(1)).getEpochSecond();
            assertFails(() -> activity(f, net, "guest@other.example", future), ErrorKind.VALIDATION, "time");
            assertFails(() -> activity(f, net, "guest@other.example", -1L), ErrorKind.VALIDATION, "time");
            assertFails(() -> activity(f, net, "MEMBER0@example.com", null), ErrorKind.VALIDATION, "username");
            assertFails(() -> activity(f, "12345678", "guest@other.example", null), ErrorKind.NOT_FOUND, null);
            assertThat(f.invoke("ListGuestUsers", input(net)).get("guestlist")).isEmpty();
        }
    }

    @EveryStore
    void listingFiltersByUsernameSubstringAndExactBillingPeriod(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            activity(f, net, "ann@alpha.example", OCT_2026);
            activity(f, net, "ann@alpha.example", SEP_2026);
            activity(f, net, "bo_b@beta.example", OCT_2026);
            activity(f, net, "cy@gamma.example", SEP_2026);

            JsonNode alpha = f.invoke("ListGuestUsers", input(net, "username", "ALPHA")).get("guestlist");
            assertThat(field(alpha, "username")).containsExactly("ann@alpha.example", "ann@alpha.example");
            // LIKE wildcards in the filter are literal: '_' matches only an underscore.
            assertThat(field(f.invoke("ListGuestUsers", input(net, "username", "o_b")).get("guestlist"), "username"))
                    .containsExactly("bo_b@beta.example");
            assertThat(f.invoke("ListGuestUsers", input(net, "username", "n_a")).get("guestlist")).isEmpty();

            JsonNode september = f.invoke("ListGuestUsers", input(net, "billingPeriod", "2026-09")).get("guestlist");
            assertThat(field(september, "username")).containsExactly("ann@alpha.example", "cy@gamma.example");
            assertThat(field(september, "billingPeriod")).containsOnly("2026-09");

            for (String bad : List.of("2026-13", "2026_09", "202609", "2026-9", "26-09")) {
                assertFails(() -> f.invoke("ListGuestUsers", input(net, "billingPeriod", bad)), ErrorKind.VALIDATION,
                        "billingPeriod");
            }
            assertFails(() -> f.invoke("ListGuestUsers", input(net, "sortFields", "admin")), ErrorKind.VALIDATION,
                    "sortFields");
        }
    }

    @EveryStore
    void pagesVisitEveryGuestMonthOnceInTheRequestedOrder(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String name = "g" + i + "@other.example";
                for (long t : List.of(SEP_2026, OCT_2026)) {
                    activity(f, net, name, t);
                }
                expected.add(name);
            }
            ObjectNode byName = input(net, "sortFields", "username", "sortDirection", "ASC");
            List<JsonNode> items = all(f, "ListGuestUsers", "guestlist", byName, 3);
            assertThat(items).hasSize(14);
            List<String> seen = new ArrayList<>();
            items.forEach(i -> seen.add(i.get("username").asText() + "|" + i.get("billingPeriod").asText()));
            assertThat(seen).doesNotHaveDuplicates().isSorted();
            assertThat(seen.get(0)).isEqualTo("g0@other.example|2026-09");

            List<JsonNode> byPeriod = all(f, "ListGuestUsers", "guestlist", input(net), 4);
            assertThat(field(f.invoke("ListGuestUsers", input(net)).get("guestlist"), "billingPeriod"))
                    .startsWith("2026-09");
            assertThat(byPeriod).hasSize(14);
            assertThat(byPeriod.subList(0, 7)).allSatisfy(i -> assertThat(i.get("billingPeriod").asText())
                    .isEqualTo("2026-09"));
            assertThat(field(Json.MAPPER.valueToTree(byPeriod.subList(0, 7)), "username")).isSorted();

            // DESC: the newest period first, and within it the usernames in that direction too.
            List<JsonNode> newest = all(f, "ListGuestUsers", "guestlist",
                    input(net, "sortFields", "billingPeriod", "sortDirection", "DESC"), 4);
            List<String> seenDesc = new ArrayList<>();
            newest.forEach(i -> seenDesc.add(i.get("billingPeriod").asText() + "|" + i.get("username").asText()));
            assertThat(seenDesc).hasSize(14).doesNotHaveDuplicates().isSortedAccordingTo(java.util.Comparator.reverseOrder());

            ObjectNode page = input(net);
            page.put("maxResults", 2);
            String token = f.invoke("ListGuestUsers", page).get("nextToken").asText();
            ObjectNode other = input(net, "username", "g1", "nextToken", token);
            assertFails(() -> f.invoke("ListGuestUsers", other), ErrorKind.VALIDATION, "nextToken");
        }
    }

    @EveryStore
    /** AWS examples GetGuestUserHistoryCount#1/#2: six months, newest first, months without guests left out. */
    void historyCountsDistinctGuestsPerMonthOfTheLastSixNewestFirst(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            activity(f, net, "a@x.example", OCT_2026);
            activity(f, net, "a@x.example", OCT_2026 + 3600);
            activity(f, net, "A@X.example", OCT_2026 + 7200);
            activity(f, net, "b@x.example", OCT_2026);
            activity(f, net, "b@x.example", SEP_2026);
            activity(f, net, "old@x.example", JUL_2026);
            activity(f, net, "older@x.example", Instant.parse("2026-05-31T23:59:59Z").getEpochSecond());
            activity(f, f.network(), "elsewhere@x.example", OCT_2026);

            JsonNode history = f.invoke("GetGuestUserHistoryCount", input(net)).get("history");
            assertThat(field(history, "month")).containsExactly("2026_10", "2026_09", "2026_07");
            assertThat(field(history, "count")).containsExactly("2", "1", "1");

            f.clock.advance(Duration.ofDays(40));
            assertThat(field(f.invoke("GetGuestUserHistoryCount", input(net)).get("history"), "month"))
                    .containsExactly("2026_10", "2026_09");
            assertThat(f.invoke("GetGuestUserHistoryCount", input(f.network())).get("history")).isEmpty();
            assertFails(() -> f.invoke("GetGuestUserHistoryCount", input("12345678")), ErrorKind.NOT_FOUND, null);
        }
    }

    @EveryStore
    void aBlockedGuestIsRefusedAndNothingIsRecordedUntilUnblocked(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String hash = activity(f, net, "eve@rival.example", SEP_2026).get("usernameHash").asText();
            assertThat(block(f, f.call, net, hash, true).get("message").asText()).isEqualTo("success");
            assertThatThrownBy(() -> activity(f, net, "Eve@Rival.example", OCT_2026))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                        assertThat(e.getMessage()).contains("blocked");
                    });
            assertThat(field(f.invoke("ListGuestUsers", input(net)).get("guestlist"), "billingPeriod"))
                    .containsExactly("2026-09");

            String other = f.network();
            activity(f, other, "eve@rival.example", OCT_2026);

            block(f, f.call, net, hash, false);
            activity(f, net, "eve@rival.example", OCT_2026);
            assertThat(field(f.invoke("ListGuestUsers", input(net)).get("guestlist"), "billingPeriod"))
                    .containsExactly("2026-09", "2026-10");
        }
    }

    @EveryStore
    /** AWS examples UpdateGuestUser#1-#3 and ListBlockedGuestUsers#1 (the time's format). */
    void blockingNeedsAGuestOfThisNetworkAndASecondBlockIsRefused(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            String other = f.network();
            String foreign = activity(f, other, "far@away.example", OCT_2026).get("usernameHash").asText();
            assertFails(() -> block(f, f.call, net, foreign, true), ErrorKind.NOT_FOUND, null);
            assertFails(() -> block(f, f.call, net, "not-a-hash", false), ErrorKind.NOT_FOUND, null);
            assertFails(() -> block(f, f.call, "12345678", foreign, true), ErrorKind.NOT_FOUND, null);
            assertThat(f.invoke("ListBlockedGuestUsers", input(other)).get("blocklist")).isEmpty();

            String hash = activity(f, net, "dan@away.example", OCT_2026).get("usernameHash").asText();
            assertThat(block(f, f.call, net, hash, false).get("message").asText()).isEqualTo("success");
            assertThat(block(f, f.call, net, hash.toUpperCase(), true).get("message").asText()).isEqualTo("success");
            f.clock.advance(Duration.ofHours(2));
            Call otherAdmin = new Call(f.call.accountId(), f.call.region(), "AKIDSECOND", "req2");
            assertThatThrownBy(() -> block(f, otherAdmin, net, hash, true))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).isEqualTo("This user is already blocked in your network");
                    });

            JsonNode blocked = f.invoke("ListBlockedGuestUsers", input(net)).get("blocklist");
            assertThat(blocked).hasSize(1);
            assertThat(blocked.get(0).get("username").asText()).isEqualTo("dan@away.example");
            assertThat(blocked.get(0).get("usernameHash").asText()).isEqualTo(hash);
            assertThat(blocked.get(0).get("admin").asText()).isEqualTo(f.call.accessKeyId());
            assertThat(blocked.get(0).get("modified").asText()).isEqualTo("2026-11-28 12:00:00");

            block(f, f.call, net, hash, false);
            assertThat(f.invoke("ListBlockedGuestUsers", input(net)).get("blocklist")).isEmpty();
        }
    }

    @EveryStore
    void blockListFiltersSortsAndPages(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String net = f.network();
            Call alice = new Call(f.call.accountId(), f.call.region(), "AKIDALICE", "r1");
            Call bob = new Call(f.call.accountId(), f.call.region(), "AKIDBOB", "r2");
            List<String> names = List.of("kim@one.example", "lee@two.example", "max@one.example", "ned@two.example",
                    "oda@one.example");
            for (int i = 0; i < names.size(); i++) {
                String hash = activity(f, net, names.get(i), OCT_2026).get("usernameHash").asText();
                block(f, i % 2 == 0 ? alice : bob, net, hash, true);
                f.clock.advance(Duration.ofMinutes(1));
            }
            activity(f, net, "pat@one.example", OCT_2026);

            assertThat(field(f.invoke("ListBlockedGuestUsers", input(net)).get("blocklist"), "username"))
                    .containsExactly("oda@one.example", "ned@two.example", "max@one.example", "lee@two.example",
                            "kim@one.example");
            assertThat(field(f.invoke("ListBlockedGuestUsers", input(net, "admin", "alice")).get("blocklist"),
                    "username")).containsExactlyInAnyOrder("kim@one.example", "max@one.example", "oda@one.example");
            assertThat(field(f.invoke("ListBlockedGuestUsers", input(net, "username", "TWO")).get("blocklist"),
                    "admin")).containsOnly("AKIDBOB").hasSize(2);
            assertThat(field(f.invoke("ListBlockedGuestUsers",
                    input(net, "sortFields", "admin+username", "sortDirection", "ASC")).get("blocklist"), "username"))
                    .containsExactly("kim@one.example", "max@one.example", "oda@one.example", "lee@two.example",
                            "ned@two.example");
            assertThat(field(f.invoke("ListBlockedGuestUsers",
                    input(net, "sortFields", "username", "sortDirection", "ASC")).get("blocklist"), "username"))
                    .isSorted().hasSize(5);

            List<JsonNode> paged = all(f, "ListBlockedGuestUsers", "blocklist",
                    input(net, "sortFields", "modified", "sortDirection", "ASC"), 2);
            assertThat(field(Json.MAPPER.valueToTree(paged), "username")).containsExactlyElementsOf(names);
            assertFails(() -> f.invoke("ListBlockedGuestUsers", input(net, "sortFields", "billingPeriod")),
                    ErrorKind.VALIDATION, "sortFields");
        }
    }
}
