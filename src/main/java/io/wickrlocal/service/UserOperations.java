package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.DeviceRecord;
import io.wickrlocal.store.DeviceStore;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.NetworkStore;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.SessionStore;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserFilter;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The user operations: BatchCreateUser, GetUser, ListUsers, UpdateUser, BatchDeleteUser,
 * GetUsersCount, BatchReinviteUser, BatchLookupUserUname and ListDevicesForUser.
 */
final class UserOperations {
    /** How long an invitation lasts when the caller gives no inviteCodeTtl. */
    static final Duration DEFAULT_INVITE_TTL = Duration.ofDays(30);
    /** A premium free trial counts this many users; GetUsersCount reports how many are left. */
    static final int FREE_TRIAL_USER_LIMIT = 30;

    private static final Map<String, SortColumn> USER_SORT = Map.of("username", SortColumn.USERNAME,
            "firstName", SortColumn.FIRST_NAME, "lastName", SortColumn.LAST_NAME, "status", SortColumn.STATUS,
            "groupId", SortColumn.USER_GROUPS);
    private static final Map<String, SortColumn> DEVICE_SORT = Map.of("lastlogin", SortColumn.DEVICE_LAST_LOGIN,
            "type", SortColumn.DEVICE_TYPE, "suspend", SortColumn.DEVICE_SUSPENDED, "created", SortColumn.DEVICE_CREATED,
            "appId", SortColumn.DEVICE_ID);

    private final Clock clock;

    UserOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("BatchCreateUser", this::batchCreate).queuedPerAccount().auditPerUser());
        into.add(OperationDescriptor.read("GetUser", this::get));
        into.add(OperationDescriptor.read("ListUsers", this::list));
        into.add(OperationDescriptor.change("UpdateUser", this::update));
        into.add(OperationDescriptor.change("BatchDeleteUser", this::batchDelete).auditPerUser());
        into.add(OperationDescriptor.read("GetUsersCount", this::count));
        into.add(OperationDescriptor.change("BatchReinviteUser", this::batchReinvite).auditPerUser());
        into.add(OperationDescriptor.change("BatchLookupUserUname", this::batchLookup));
        into.add(OperationDescriptor.read("ListDevicesForUser", this::listDevices));
        into.add(OperationDescriptor.change("BatchResetDevicesForUser", this::batchResetDevices));
    }

    /** The userId of a failed BatchCreateUser item: the user has none (AWS example BatchCreateUser#2). */
    static final String NO_USER_ID = "0";

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /**
     * Checks every item against what the store holds, read up front in one query per kind (usernames of users
     * and bots, security groups, free ids), then inserts the accepted users together: a few statements a
     * call instead of several a user, which is what a call costs on PostgreSQL. The new users get consecutive ids.
     */
    private ObjectNode batchCreate(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String networkId = network.networkId();
        List<NewUser> items = new ArrayList<>();
        in.get("users").forEach(item -> items.add(NewUser.of(item)));
        Set<String> names = new HashSet<>();
        Set<String> groupIds = new LinkedHashSet<>();
        for (NewUser item : items) {
            names.add(item.username());
            groupIds.addAll(item.groups());
        }
        names.removeIf(n -> UserRules.usernameProblem(n) != null);
        Set<String> takenNames = new HashSet<>(UserStore.takenUsernames(tx, networkId, names));
        takenNames.addAll(BotStore.takenUsernames(tx, networkId, names));
        Set<String> existingGroups = GroupStore.existing(tx, networkId, groupIds);

        long now = now();
        Batch batch = new Batch();
        Set<String> namesInBatch = new HashSet<>();
        List<NewUser> accepted = new ArrayList<>();
        for (NewUser item : items) {
            String username = item.username();
            String key = username.toLowerCase(Locale.ROOT);
            String problem = UserRules.usernameProblem(username);
            if (problem != null) {
                createFailed(batch, "username", UserRules.naming("username", problem));
                continue;
            }
            if (takenNames.contains(key) || !namesInBatch.add(key)) {
                createFailed(batch, "username", UserRules.TAKEN);
                continue;
            }
            String groupProblem = UserRules.groupsProblem(item.groups(), existingGroups);
            if (groupProblem != null) {
                createFailed(batch, "securityGroupIds", groupProblem);
                continue;
            }
            String tooLong = tooLongName(item.json());
            if (tooLong != null) {
                createFailed(batch, tooLong, UserRules.naming(tooLong, UserRules.nameProblem(
                        item.json().path(tooLong).asText(""))));
                continue;
            }
            String ttlProblem = UserRules.inviteTtlProblem(item.ttl());
            if (ttlProblem != null) {
                createFailed(batch, "inviteCodeTtl", ttlProblem);
                continue;
            }
            accepted.add(item);
        }
        long firstId = Ids.freeUserIdRange(accepted.size(),
                (from, to) -> UserStore.anyIdBetween(tx, from, to) || BotStore.anyIdBetween(tx, from, to));
        List<UserRecord> users = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            NewUser item = accepted.get(i);
            JsonNode json = item.json();
            String invite = json.hasNonNull("inviteCode") && !json.get("inviteCode").asText().isBlank()
                    ? json.get("inviteCode").asText() : Ids.inviteCode();
            users.add(new UserRecord(firstId + i, networkId, item.username(), Users.uname(item.username()),
                    json.path("firstName").asText(""), json.path("lastName").asText(""), UserRecord.PENDING, false,
                    false, new ArrayList<>(new LinkedHashSet<>(item.groups())), invite,
                    inviteExpiry(now, item.ttl()), json.path("codeValidation").asBoolean(false), null, now, now));
        }
        UserStore.insertAll(tx, users);
        users.forEach(u -> batch.succeeded(Users.created(u, now)));
        return batch.answerWithoutMessage();
    }

    /**
     * A failed BatchCreateUser item: userId "0" (there is no user), the member at fault and why (AWS example
     * BatchCreateUser#2). Failed items come in the order of the request's users.
     */
    private static void createFailed(Batch batch, String field, String reason) {
        batch.failed("userId", NO_USER_ID, field, reason);
    }

    /** One item of BatchCreateUser, with the members its checks and its row use read once. */
    private record NewUser(JsonNode json, String username, List<String> groups, Integer ttl) {
        static NewUser of(JsonNode item) {
            return new NewUser(item, item.path("username").asText().strip(), Json.texts(item, "securityGroupIds"),
                    item.has("inviteCodeTtl") ? item.get("inviteCodeTtl").asInt() : null);
        }
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        UserRecord u = Users.require(tx, network.networkId(), Json.text(in, "userId"));
        Long from = in.has("startTime") ? in.get("startTime").asLong() : null;
        Long to = in.has("endTime") ? in.get("endTime").asLong() : null;
        if (from != null && to != null && from > to) {
            throw ServiceException.invalid("startTime", "must not be later than endTime");
        }
        ObjectNode out = Users.summary(u);
        SessionStore.lastActivity(tx, u.userId(), from, to).ifPresent(t -> out.put("lastActivity", t));
        if (u.lastLoginAt() != null) {
            out.put("lastLogin", u.lastLoginAt());
        }
        out.set("securityGroupIds", Users.strings(u));
        return out;
    }

    private ObjectNode list(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Integer status = in.has("status") ? in.get("status").asInt() : null;
        if (status != null && status != UserRecord.PENDING && status != UserRecord.ACTIVE) {
            throw ServiceException.invalid("status", "must be 1 (pending) or 2 (active)");
        }
        UserFilter filter = new UserFilter(Json.text(in, "username"), Json.text(in, "firstName"),
                Json.text(in, "lastName"), status, Json.text(in, "groupId"));
        Listing listing = Listing.of(in, USER_SORT, List.of(SortColumn.USERNAME), SortColumn.USER_ID,
                "ListUsers|" + network.networkId() + "|" + Json.canonical(Json.MAPPER.valueToTree(filter)));
        Page<UserRecord> page = UserStore.page(tx, network.networkId(), filter, listing.request());
        long now = now();
        return listing.answer("users", page, u -> Users.listed(u, now));
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String userId = Json.text(in, "userId");
        if (userId == null) {
            throw ServiceException.invalid("userId", "is required");
        }
        UserRecord before = Users.require(tx, network.networkId(), userId);
        JsonNode d = in.path("userDetails");
        long now = now();
        String username = before.username();
        if (d.hasNonNull("username")) {
            username = d.get("username").asText().strip();
            String problem = usernameProblem(tx, network.networkId(), username, before.userId());
            if (problem != null) {
                throw ServiceException.invalid("userDetails.username", problem);
            }
        }
        List<String> groups = before.groupIds();
        if (d.has("securityGroupIds")) {
            groups = new ArrayList<>(new LinkedHashSet<>(Json.texts(d, "securityGroupIds")));
            String problem = UserRules.groupsProblem(groups, GroupStore.existing(tx, network.networkId(),
                    new LinkedHashSet<>(groups)));
            if (problem != null) {
                throw ServiceException.invalid("userDetails.securityGroupIds", problem);
            }
        }
        String tooLong = tooLongName(d);
        if (tooLong != null) {
            throw ServiceException.invalid("userDetails." + tooLong, UserRules.nameProblem(d.path(tooLong).asText("")));
        }
        String invite = before.inviteCode();
        Long inviteExpiry = before.inviteExpiresAt();
        boolean invitation = d.has("inviteCode") || d.has("inviteCodeTtl");
        if (invitation) {
            Integer ttl = d.has("inviteCodeTtl") ? d.get("inviteCodeTtl").asInt() : null;
            String ttlProblem = UserRules.inviteTtlProblem(ttl);
            if (ttlProblem != null) {
                throw ServiceException.invalid("userDetails.inviteCodeTtl", ttlProblem);
            }
            if (d.hasNonNull("inviteCode") && !d.get("inviteCode").asText().isBlank()) {
                invite = d.get("inviteCode").asText();
            }
            inviteExpiry = inviteExpiry(now, ttl);
        }
        UserRecord after = new UserRecord(before.userId(), before.networkId(), username, Users.uname(username),
                d.has("firstName") ? d.get("firstName").asText() : before.firstName(),
                d.has("lastName") ? d.get("lastName").asText() : before.lastName(), before.status(),
                before.suspended(), before.isAdmin(), groups, invite, inviteExpiry,
                d.has("codeValidation") ? d.get("codeValidation").asBoolean() : before.codeValidation(),
                before.lastLoginAt(), before.createdAt(), now);
        if (!groups.equals(before.groupIds())) {
            // The session limit follows the groups: what ran out under the old ones ended then,
            // what the new ones cut short ends now.
            Map<String, Long> limits = SessionLimits.limits(tx, network.networkId());
            SessionLimits.expire(tx, before, limits, now, false);
            SessionLimits.expire(tx, after, limits, now, true);
        }
        UserStore.update(tx, before, after);
        ObjectNode out = Json.object();
        out.put("userId", Long.toString(after.userId()));
        out.put("networkId", network.networkId());
        // The groups and the invitation are shown when the call sent them (AWS examples UpdateUser#1/#2).
        if (d.has("securityGroupIds")) {
            out.set("securityGroupIds", Users.strings(after));
        }
        out.put("firstName", after.firstName());
        out.put("lastName", after.lastName());
        out.put("suspended", after.suspended());
        out.put("modified", now);
        out.put("status", after.status());
        if (invitation) {
            out.put("inviteCode", after.inviteCode());
            out.put("inviteExpiration", after.inviteExpiresAt());
        }
        if (invitation || d.has("codeValidation")) {
            out.put("codeValidation", after.codeValidation());
        }
        return out;
    }

    private ObjectNode batchDelete(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Map<Long, String> ids = Batch.distinctUserIds(Json.texts(in, "userIds"));
        Map<Long, UserRecord> found = UserStore.findAll(tx, network.networkId(), ids.keySet());
        Batch batch = new Batch();
        ids.forEach((id, text) -> {
            if (found.containsKey(id)) {
                batch.succeeded("userId", text);
            } else {
                batch.failed("userId", text, "username", Users.NOT_FOUND);
            }
        });
        UserStore.delete(tx, network.networkId(), found.keySet());
        return batch.answer();
    }

    private ObjectNode count(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        long[] byStatus = UserStore.countByStatus(tx, network.networkId());
        long total = byStatus[0] + byStatus[1];
        boolean onTrial = network.freeTrialExpiresAt() != null && network.freeTrialExpiresAt() > now();
        ObjectNode out = Json.object();
        out.put("pending", byStatus[0]);
        out.put("active", byStatus[1]);
        out.put("rejected", 0);
        out.put("remaining", onTrial ? Math.max(0, FREE_TRIAL_USER_LIMIT - total) : 0);
        out.put("total", total);
        return out;
    }

    private ObjectNode batchReinvite(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Map<Long, String> ids = Batch.distinctUserIds(Json.texts(in, "userIds"));
        Map<Long, UserRecord> found = UserStore.findAll(tx, network.networkId(), ids.keySet());
        long now = now();
        Batch batch = new Batch();
        ids.forEach((id, text) -> {
            UserRecord u = found.get(id);
            if (u == null) {
                batch.failed("userId", text, null, REINVITE_NOT_FOUND);
            } else if (u.status() != UserRecord.PENDING) {
                batch.failed("userId", text, null, REINVITE_REFUSED);
            } else {
                UserRecord renewed = new UserRecord(u.userId(), u.networkId(), u.username(), u.uname(), u.firstName(),
                        u.lastName(), u.status(), u.suspended(), u.isAdmin(), u.groupIds(), Ids.inviteCode(),
                        inviteExpiry(now, null), u.codeValidation(), u.lastLoginAt(), u.createdAt(), now);
                UserStore.update(tx, u, renewed);
                batch.succeeded("userId", text);
            }
        });
        return batch.answerWithoutMessage();
    }

    private ObjectNode batchLookup(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Set<String> unames = new LinkedHashSet<>(Json.texts(in, "unames"));
        Map<String, UserRecord> found = UserStore.findByUnames(tx, network.networkId(), unames);
        Batch batch = new Batch();
        for (String uname : unames) {
            UserRecord u = found.get(uname);
            if (u == null) {
                batch.failed("uname", uname, "uname", "Uname not found");
            } else {
                ObjectNode item = Json.object();
                item.put("uname", uname);
                item.put("username", u.username());
                batch.succeeded(item);
            }
        }
        return batch.answer();
    }

    private ObjectNode listDevices(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        UserRecord u = Users.require(tx, network.networkId(), Json.text(in, "userId"));
        Listing listing = Listing.of(in, DEVICE_SORT, List.of(SortColumn.DEVICE_LAST_LOGIN), SortColumn.DEVICE_ID,
                "ListDevicesForUser|" + network.networkId() + "|" + u.userId());
        Page<DeviceRecord> page = DeviceStore.page(tx, u.userId(), listing.request());
        return listing.answer("devices", page, UserOperations::deviceView);
    }

    /** Signs the user out of the named devices; they show "Reset" until the user signs in on them again. */
    private ObjectNode batchResetDevices(Tx tx, Call call, ObjectNode in) {
        // AWS example BatchResetDevicesForUser#3 answers this operation's unknown network so.
        NetworkRecord network = NetworkStore.find(tx, call.accountId(), call.region(), Json.text(in, "networkId"))
                .orElseThrow(() -> ServiceException.forbidden(INVALID_NETWORK_ID));
        UserRecord u = Users.require(tx, network.networkId(), Json.text(in, "userId"));
        long now = now();
        Batch batch = new Batch();
        for (String appId : new LinkedHashSet<>(Json.texts(in, "appIds"))) {
            if (DeviceStore.find(tx, u.userId(), appId).isEmpty()) {
                batch.failed("appId", appId, "appId", INVALID_APP_ID);
                continue;
            }
            DeviceStore.reset(tx, appId);
            SessionStore.endOnDevice(tx, appId, "reset", now);
            batch.succeeded("appId", appId);
        }
        return batch.answer();
    }

    /** A device as ListDevicesForUser shows it (AWS examples ListDevicesForUser#1/#2). */
    static ObjectNode deviceView(DeviceRecord d) {
        ObjectNode out = Json.object();
        out.put("appId", d.appId());
        out.put("type", deviceKind(d.type()));
        out.put("suspend", d.suspended());
        out.put("statusText", d.statusText());
        out.put("created", deviceTime(d.createdAt()));
        out.put("lastLogin", deviceTime(d.lastLoginAt()));
        return out;
    }

    /** The kind of device AWS's examples show ("mobile", "desktop") for the platform a device signed in from. */
    static String deviceKind(String platform) {
        return switch (platform) {
            case "iOS", "Android" -> "mobile";
            case "MacOSX", "Windows", "Linux" -> "desktop";
            default -> platform;
        };
    }

    private static final DateTimeFormatter DEVICE_TIME = DateTimeFormatter.ofPattern("h:mm:ss", Locale.ROOT);

    /** A device's time as AWS's examples write it, in UTC: "January 15th 2024, 2:30:45 pm". */
    static String deviceTime(long epochSeconds) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
        int day = t.getDayOfMonth();
        String suffix = day >= 11 && day <= 13 ? "th" : switch (day % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        String month = t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        return month + " " + day + suffix + " " + t.getYear() + ", " + DEVICE_TIME.format(t) + " "
                + (t.getHour() < 12 ? "am" : "pm");
    }

    /** BatchReinviteUser's reason for a user the network does not have (AWS example BatchReinviteUser#2). */
    static final String REINVITE_NOT_FOUND = "user not found in current network";
    /** BatchReinviteUser's reason for a user who is no longer pending (AWS example BatchReinviteUser#3). */
    static final String REINVITE_REFUSED = "user cannot be reinvited";
    /** BatchResetDevicesForUser's reason for an appId that is not one of the user's devices (AWS example #2). */
    static final String INVALID_APP_ID = "Invalid app ID.";
    /** BatchResetDevicesForUser's ForbiddenError for a network the caller does not have (AWS example #3). */
    static final String INVALID_NETWORK_ID = "Invalid networkId.";

    private static long inviteExpiry(long now, Integer ttlDays) {
        return now + (ttlDays == null ? DEFAULT_INVITE_TTL.toSeconds() : Duration.ofDays(ttlDays).toSeconds());
    }

    /** Why the username cannot be used, or null when it can. */
    private static String usernameProblem(Tx tx, String networkId, String username, long exceptUserId) {
        String problem = UserRules.usernameProblem(username);
        if (problem != null) {
            return problem;
        }
        boolean takenByUser = UserStore.findByUsername(tx, networkId, username)
                .filter(u -> u.userId() != exceptUserId).isPresent();
        if (takenByUser || BotStore.findByUsername(tx, networkId, username).isPresent()) {
            return UserRules.IN_USE;
        }
        return null;
    }

    /** The name member ({@link UserRules#NAMES}) whose value {@link UserRules#nameProblem} refuses, or null. */
    private static String tooLongName(JsonNode details) {
        for (String member : UserRules.NAMES) {
            if (UserRules.nameProblem(details.path(member).asText("")) != null) {
                return member;
            }
        }
        return null;
    }
}
