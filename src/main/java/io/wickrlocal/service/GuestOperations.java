package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.GuestActivityRecord;
import io.wickrlocal.store.GuestBlockFilter;
import io.wickrlocal.store.GuestBlockRecord;
import io.wickrlocal.store.GuestFilter;
import io.wickrlocal.store.GuestRecord;
import io.wickrlocal.store.GuestStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Guest users (people of other networks who talked to this one): the listing per billing period,
 * the monthly history count, blocking, the block list, and the /_local stand-in that records a
 * guest's activity.
 */
final class GuestOperations {
    /** GetGuestUserHistoryCount covers the current month and the months before it, this many in all. */
    static final int HISTORY_MONTHS = 6;
    /** The contract spells history months with an underscore, unlike billing periods. */
    static final DateTimeFormatter HISTORY_MONTH = DateTimeFormatter.ofPattern("uuuu_MM", Locale.ROOT);
    /** How a block's time is written (AWS examples ListBlockedGuestUsers#1/#2), in UTC. */
    static final DateTimeFormatter BLOCK_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final Pattern PERIOD_SYNTAX = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");

    private static final Map<String, SortColumn> GUEST_SORT = Map.of("username", SortColumn.GUEST_USERNAME,
            "billingPeriod", SortColumn.GUEST_BILLING_PERIOD);
    private static final Map<String, SortColumn> BLOCK_SORT = Map.of("username", SortColumn.GUEST_USERNAME,
            "admin", SortColumn.BLOCK_ADMIN, "modified", SortColumn.BLOCK_MODIFIED);

    private final Clock clock;

    GuestOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.read("ListGuestUsers", this::list));
        into.add(OperationDescriptor.read("GetGuestUserHistoryCount", this::historyCount));
        into.add(OperationDescriptor.change("UpdateGuestUser", this::update));
        into.add(OperationDescriptor.read("ListBlockedGuestUsers", this::listBlocked));
        into.add(OperationDescriptor.change("LocalRecordGuestActivity", this::recordActivity).local());
    }

    private ObjectNode recordActivity(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        long now = clock.instant().getEpochSecond();
        long at = in.has("time") ? in.get("time").asLong() : now;
        if (at < 0 || at > now) {
            throw ServiceException.invalid("time", "must be a time in epoch seconds between 0 and now");
        }
        String username = Json.text(in, "username").strip();
        String problem = GuestRules.usernameProblem(username);
        if (problem != null) {
            throw ServiceException.invalid("username", problem);
        }
        if (UserStore.findByUsername(tx, network.networkId(), username).isPresent()) {
            throw ServiceException.invalid("username", "belongs to a user of this network; guests come from other networks");
        }
        String hash = Users.uname(username);
        if (GuestStore.isBlocked(tx, network.networkId(), hash)) {
            throw ServiceException.forbidden("Guest user " + hash + " is blocked in network " + network.networkId()
                    + " and cannot communicate with it until an administrator unblocks them");
        }
        String period = GuestRules.billingPeriod(at);
        GuestStore.recordActivity(tx, network.networkId(), hash, username, period, at);
        ObjectNode out = Json.object();
        out.put("usernameHash", hash);
        out.put("billingPeriod", period);
        return out;
    }

    private ObjectNode list(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String period = Json.text(in, "billingPeriod");
        if (period != null && !PERIOD_SYNTAX.matcher(period).matches()) {
            throw ServiceException.invalid("billingPeriod", "must be a month written YYYY-MM, such as 2024-01");
        }
        GuestFilter filter = new GuestFilter(Json.text(in, "username"), period);
        // A guest has one row per active month, so the order must always include the period to be total;
        // rows of one period follow by username. Without a sortDirection the order is ascending (AWS
        // example ListGuestUsers#2 lists guest1 before guest2), unlike the other lists.
        ObjectNode ordered = in.deepCopy();
        String sortFields = Json.text(in, "sortFields");
        if (sortFields != null && !sortFields.isBlank()) {
            ordered.put("sortFields", sortFields + "+billingPeriod+username");
        }
        if (!in.hasNonNull("sortDirection")) {
            ordered.put("sortDirection", "ASC");
        }
        Listing listing = Listing.of(ordered, GUEST_SORT,
                List.of(SortColumn.GUEST_BILLING_PERIOD, SortColumn.GUEST_USERNAME), SortColumn.GUEST_HASH,
                "ListGuestUsers|" + network.networkId() + "|" + Json.canonical(Json.MAPPER.valueToTree(filter)));
        Page<GuestActivityRecord> page = GuestStore.page(tx, network.networkId(), filter, listing.request());
        return listing.answer("guestlist", page, GuestOperations::guestView);
    }

    private ObjectNode historyCount(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        YearMonth last = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        YearMonth first = last.minusMonths(HISTORY_MONTHS - 1);
        Map<String, Long> counts = GuestStore.countByPeriod(tx, network.networkId(), GuestRules.BILLING_PERIOD.format(first),
                GuestRules.BILLING_PERIOD.format(last));
        // Newest month first, and only months with guests (AWS examples GetGuestUserHistoryCount#1/#2).
        ObjectNode out = Json.object();
        ArrayNode history = out.putArray("history");
        for (YearMonth m = last; !m.isBefore(first); m = m.minusMonths(1)) {
            Long count = counts.get(GuestRules.BILLING_PERIOD.format(m));
            if (count != null && count > 0) {
                ObjectNode item = history.addObject();
                item.put("month", HISTORY_MONTH.format(m));
                item.put("count", Long.toString(count));
            }
        }
        return out;
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String hash = Json.text(in, "usernameHash").toLowerCase(Locale.ROOT);
        GuestRecord guest = GuestStore.find(tx, network.networkId(), hash).orElseThrow(() -> ServiceException.notFound(
                "Guest user " + hash + " has not communicated with network " + network.networkId()));
        boolean block = in.get("block").asBoolean();
        if (block) {
            boolean changed = GuestStore.block(tx, network.networkId(), guest.usernameHash(), call.accessKeyId(),
                    clock.instant().getEpochSecond());
            if (!changed) {
                // AWS example UpdateGuestUser#3; the first block stays as it was.
                throw ServiceException.badRequest("This user is already blocked in your network");
            }
        } else {
            // Unblocking a guest who is not blocked succeeds too (our choice: the state asked for holds).
            GuestStore.unblock(tx, network.networkId(), guest.usernameHash());
        }
        return Json.message("success");
    }

    private ObjectNode listBlocked(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        GuestBlockFilter filter = new GuestBlockFilter(Json.text(in, "username"), Json.text(in, "admin"));
        Listing listing = Listing.of(in, BLOCK_SORT, List.of(SortColumn.BLOCK_MODIFIED), SortColumn.BLOCK_HASH,
                "ListBlockedGuestUsers|" + network.networkId() + "|" + Json.canonical(Json.MAPPER.valueToTree(filter)));
        Page<GuestBlockRecord> page = GuestStore.blocks(tx, network.networkId(), filter, listing.request());
        return listing.answer("blocklist", page, GuestOperations::blockView);
    }

    private static ObjectNode guestView(GuestActivityRecord g) {
        ObjectNode out = Json.object();
        out.put("billingPeriod", g.billingPeriod());
        out.put("username", g.username());
        out.put("usernameHash", g.usernameHash());
        return out;
    }

    private static ObjectNode blockView(GuestBlockRecord b) {
        ObjectNode out = Json.object();
        out.put("username", b.username());
        out.put("admin", b.admin());
        out.put("modified", BLOCK_TIME.format(Instant.ofEpochSecond(b.modifiedAt()).atOffset(ZoneOffset.UTC)));
        out.put("usernameHash", b.usernameHash());
        return out;
    }
}
