package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.DeviceRecord;
import io.wickrlocal.store.DeviceStore;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
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
    static final int MAX_USERNAME_LENGTH = 256;
    static final int MAX_NAME_LENGTH = 128;

    private static final Map<String, SortColumn> USER_SORT = Map.of("username", SortColumn.USERNAME,
            "firstName", SortColumn.FIRST_NAME, "lastName", SortColumn.LAST_NAME, "status", SortColumn.STATUS,
            "groupId", SortColumn.USER_GROUPS);
    private static final Map<String, SortColumn> DEVICE_SORT = Map.of("lastlogin", SortColumn.DEVICE_LAST_LOGIN,
            "type", SortColumn.DEVICE_TYPE, "suspend", SortColumn.DEVICE_SUSPENDED, "created", SortColumn.DEVICE_CREATED);

    private final Clock clock;

    UserOperations(Clock clock) {
        this.clock = clock;
    }

    void register(Map<String, OperationHandler> into) {
        into.put("BatchCreateUser", this::batchCreate);
        into.put("GetUser", this::get);
        into.put("ListUsers", this::list);
        into.put("UpdateUser", this::update);
        into.put("BatchDeleteUser", this::batchDelete);
        into.put("GetUsersCount", this::count);
        into.put("BatchReinviteUser", this::batchReinvite);
        into.put("BatchLookupUserUname", this::batchLookup);
        into.put("ListDevicesForUser", this::listDevices);
        into.put("BatchResetDevicesForUser", this::batchResetDevices);
    }

    private static final String TAKEN = "is already in use in this network";

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
        names.removeIf(n -> lengthProblem(n) != null);
        Set<String> takenNames = new HashSet<>(UserStore.takenUsernames(tx, networkId, names));
        takenNames.addAll(BotStore.takenUsernames(tx, networkId, names));
        Set<String> existingGroups = GroupStore.existing(tx, networkId, groupIds);

        long now = now();
        Batch batch = new Batch();
        Set<String> namesInBatch = new HashSet<>();
        List<NewUser> accepted = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            NewUser item = items.get(index);
            String where = "users[" + index + "]";
            String username = item.username();
            String key = username.toLowerCase(Locale.ROOT);
            String problem = lengthProblem(username);
            if (problem == null && takenNames.contains(key)) {
                problem = TAKEN;
            }
            if (problem == null && !namesInBatch.add(key)) {
                problem = "appears more than once in this batch";
            }
            if (problem != null) {
                batch.failed(null, null, where + ".username", "Username '" + username + "' " + problem);
                continue;
            }
            String groupProblem = groupsProblem(networkId, item.groups(), existingGroups);
            if (groupProblem != null) {
                batch.failed(null, null, where + ".securityGroupIds", groupProblem);
                continue;
            }
            String nameProblem = nameProblem(item.json());
            if (nameProblem != null) {
                batch.failed(null, null, where + "." + nameProblem, nameProblem + " must be at most "
                        + MAX_NAME_LENGTH + " characters long");
                continue;
            }
            if (item.ttl() != null && (item.ttl() < 1 || item.ttl() > 365)) {
                batch.failed(null, null, where + ".inviteCodeTtl", "must be between 1 and 365 days");
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
        users.forEach(u -> batch.succeeded(Users.view(u, now)));
        return batch.answer("Created", "user");
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
        ObjectNode out = Json.object();
        out.put("userId", Long.toString(u.userId()));
        out.put("firstName", u.firstName());
        out.put("lastName", u.lastName());
        out.put("username", u.username());
        out.put("isAdmin", u.isAdmin());
        out.put("suspended", u.suspended());
        out.put("status", u.status());
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
        return listing.answer("users", page, u -> Users.view(u, now));
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
                throw ServiceException.invalid("userDetails.username", "Username '" + username + "' " + problem);
            }
        }
        List<String> groups = before.groupIds();
        if (d.has("securityGroupIds")) {
            groups = new ArrayList<>(new LinkedHashSet<>(Json.texts(d, "securityGroupIds")));
            String problem = groupsProblem(tx, network.networkId(), groups);
            if (problem != null) {
                throw ServiceException.invalid("userDetails.securityGroupIds", problem);
            }
        }
        String nameProblem = nameProblem(d);
        if (nameProblem != null) {
            throw ServiceException.invalid("userDetails." + nameProblem, "must be at most " + MAX_NAME_LENGTH
                    + " characters long");
        }
        String invite = before.inviteCode();
        Long inviteExpiry = before.inviteExpiresAt();
        if (d.has("inviteCode") || d.has("inviteCodeTtl")) {
            if (before.status() != UserRecord.PENDING) {
                throw ServiceException.invalid("userDetails.inviteCode", "Only a pending user has an invitation");
            }
            Integer ttl = d.has("inviteCodeTtl") ? d.get("inviteCodeTtl").asInt() : null;
            if (ttl != null && (ttl < 1 || ttl > 365)) {
                throw ServiceException.invalid("userDetails.inviteCodeTtl", "must be between 1 and 365 days");
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
        out.set("securityGroupIds", Users.strings(after));
        out.put("firstName", after.firstName());
        out.put("lastName", after.lastName());
        out.put("suspended", after.suspended());
        out.put("modified", now);
        out.put("status", after.status());
        if (after.inviteCode() != null) {
            out.put("inviteCode", after.inviteCode());
        }
        if (after.inviteExpiresAt() != null) {
            out.put("inviteExpiration", after.inviteExpiresAt());
        }
        out.put("codeValidation", after.codeValidation());
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
                batch.failed("userId", text, "userIds", notFound(text, network));
            }
        });
        UserStore.delete(tx, network.networkId(), found.keySet());
        return batch.answer("Deleted", "user");
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
                batch.failed("userId", text, "userIds", notFound(text, network));
            } else if (u.status() != UserRecord.PENDING) {
                batch.failed("userId", text, "userIds", "User " + text + " has already accepted the invitation");
            } else {
                UserRecord renewed = new UserRecord(u.userId(), u.networkId(), u.username(), u.uname(), u.firstName(),
                        u.lastName(), u.status(), u.suspended(), u.isAdmin(), u.groupIds(), Ids.inviteCode(),
                        inviteExpiry(now, null), u.codeValidation(), u.lastLoginAt(), u.createdAt(), now);
                UserStore.update(tx, u, renewed);
                batch.succeeded("userId", text);
            }
        });
        return batch.answer("Reinvited", "user");
    }

    private ObjectNode batchLookup(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Set<String> unames = new LinkedHashSet<>(Json.texts(in, "unames"));
        Map<String, UserRecord> found = UserStore.findByUnames(tx, network.networkId(), unames);
        Batch batch = new Batch();
        for (String uname : unames) {
            UserRecord u = found.get(uname);
            if (u == null) {
                batch.failed("uname", uname, "unames", "No user of network " + network.networkId() + " has this uname");
            } else {
                ObjectNode item = Json.object();
                item.put("uname", uname);
                item.put("username", u.username());
                batch.succeeded(item);
            }
        }
        return batch.answer("Found", "uname");
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
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        UserRecord u = Users.require(tx, network.networkId(), Json.text(in, "userId"));
        long now = now();
        Batch batch = new Batch();
        for (String appId : new LinkedHashSet<>(Json.texts(in, "appIds"))) {
            if (DeviceStore.find(tx, u.userId(), appId).isEmpty()) {
                batch.failed("appId", appId, "appIds", "Device " + appId + " is not a device of user " + u.userId());
                continue;
            }
            DeviceStore.reset(tx, appId);
            SessionStore.endOnDevice(tx, appId, "reset", now);
            batch.succeeded("appId", appId);
        }
        return batch.answer("Reset", "device");
    }

    static ObjectNode deviceView(DeviceRecord d) {
        ObjectNode out = Json.object();
        out.put("appId", d.appId());
        out.put("type", d.type());
        out.put("created", Instant.ofEpochSecond(d.createdAt()).toString());
        out.put("lastLogin", Instant.ofEpochSecond(d.lastLoginAt()).toString());
        out.put("statusText", d.statusText());
        out.put("suspend", d.suspended());
        return out;
    }

    private static String notFound(String userId, NetworkRecord network) {
        return "User " + userId + " was not found in network " + network.networkId();
    }

    private static long inviteExpiry(long now, Integer ttlDays) {
        return now + (ttlDays == null ? DEFAULT_INVITE_TTL.toSeconds() : Duration.ofDays(ttlDays).toSeconds());
    }

    /** Why the username cannot be used, or null when it can. */
    private static String usernameProblem(Tx tx, String networkId, String username, long exceptUserId) {
        String problem = lengthProblem(username);
        if (problem != null) {
            return problem;
        }
        boolean takenByUser = UserStore.findByUsername(tx, networkId, username)
                .filter(u -> u.userId() != exceptUserId).isPresent();
        if (takenByUser || BotStore.findByUsername(tx, networkId, username).isPresent()) {
            return TAKEN;
        }
        return null;
    }

    private static String lengthProblem(String username) {
        if (username.isEmpty()) {
            return "must not be empty";
        }
        if (username.length() > MAX_USERNAME_LENGTH) {
            return "is longer than " + MAX_USERNAME_LENGTH + " characters";
        }
        return null;
    }

    private static String groupsProblem(Tx tx, String networkId, List<String> groups) {
        return groupsProblem(networkId, groups, GroupStore.existing(tx, networkId, new LinkedHashSet<>(groups)));
    }

    private static String groupsProblem(String networkId, List<String> groups, Set<String> existing) {
        if (groups.isEmpty()) {
            return "must name at least one security group";
        }
        for (String g : groups) {
            if (!existing.contains(g)) {
                return "Security group " + g + " does not exist in network " + networkId;
            }
        }
        return null;
    }

    /** The name member that is too long, or null. */
    private static String nameProblem(JsonNode details) {
        for (String member : List.of("firstName", "lastName")) {
            if (details.path(member).asText("").length() > MAX_NAME_LENGTH) {
                return member;
            }
        }
        return null;
    }
}
