package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.BotRecord;
import io.wickrlocal.store.BotSessionStore;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.DataRetentionBotRecord;
import io.wickrlocal.store.DataRetentionBotStore;
import io.wickrlocal.store.DeviceRecord;
import io.wickrlocal.store.DeviceStore;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.GuestRecord;
import io.wickrlocal.store.GuestStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.NetworkStore;
import io.wickrlocal.store.OidcConfigRecord;
import io.wickrlocal.store.OidcConfigStore;
import io.wickrlocal.store.OpenTdfConfigRecord;
import io.wickrlocal.store.OpenTdfConfigStore;
import io.wickrlocal.store.SessionStore;
import io.wickrlocal.store.SettingStore;
import io.wickrlocal.store.SnapshotStore;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Brings a snapshot document back into an empty account (or an empty server). The protocol layer
 * has checked the document against the contract's LocalSnapshot shapes (types, id patterns,
 * lengths, enums); this class checks what a shape cannot say by calling the rules the operations
 * call ({@link UserRules}, {@link BotRules}, {@link GroupRules}, {@link GuestRules}, the network's
 * KMS ARN, network settings, SSO and OpenTDF settings, ...), so a value is refused for the reason
 * the API gives, plus what only a document can get wrong: names not stored as the API keeps them
 * (with surrounding white space), unique ids and names, memberships of existing groups, sessions on
 * known devices. Any problem is a 4xx naming the document path, and, as the whole import is one
 * transaction, nothing is written. Rows are written by each table's own store, through the INSERT
 * the operations use.
 */
final class SnapshotImporter {
    private final Tx tx;
    private final SnapshotSecrets secrets;
    /** Ids must be unique across the whole store, so across the whole document too. */
    private final Set<String> networkIds = new HashSet<>();
    private final Set<Long> memberIds = new HashSet<>();
    private final Set<String> appIds = new HashSet<>();
    private final Set<String> sessionIds = new HashSet<>();
    private final Set<String> botSessionIds = new HashSet<>();
    private long users;
    private long bots;

    private SnapshotImporter(Tx tx, SnapshotSecrets secrets) {
        this.tx = tx;
        this.secrets = secrets;
    }

    /**
     * @param allAccounts whether the caller asked to import every account of the document (the
     *                    server must then be empty); otherwise the document may hold only the
     *                    caller's account, which must be empty; only an operator may ask
     * @param passphrase  opens the document's sealed secrets; may be null when it has none
     * @param opened      the secrets opened with it before the transaction (the key derivation is slow), or
     *                    null when the document has none or its {@code secrets} header is wrong
     */
    static ObjectNode importDocument(Tx tx, Call call, ObjectNode doc, boolean allAccounts, String passphrase,
                                     SnapshotSecrets opened) {
        if (allAccounts) {
            call.requireOperator("an import of every account (allAccounts)");
        }
        int version = doc.path("version").asInt();
        if (version != Snapshot.VERSION) {
            throw ServiceException.badRequest("This snapshot is of version " + version + "; this Wickr Local reads"
                    + " version " + Snapshot.VERSION + " only");
        }
        JsonNode accounts = doc.path("accounts");
        Set<String> partitions = new HashSet<>();
        for (int i = 0; i < accounts.size(); i++) {
            JsonNode a = accounts.get(i);
            String accountId = a.path("accountId").asText();
            if (!allAccounts && !accountId.equals(call.accountId())) {
                throw ServiceException.badRequest("The snapshot holds account " + accountId + " (accounts[" + i
                        + "]); a caller of account " + call.accountId() + " imports only its own account (an"
                        + " operator may import the whole document with allAccounts=true)");
            }
            if (!partitions.add(accountId + "/" + a.path("region").asText())) {
                throw ServiceException.invalid("accounts[" + i + "]", "repeats account " + accountId + " in region "
                        + a.path("region").asText());
            }
        }
        long existing = SnapshotStore.networkCount(tx, allAccounts ? null : call.accountId());
        if (existing > 0) {
            throw ServiceException.badRequest("A snapshot is imported only into an empty "
                    + (allAccounts ? "server" : "account") + ", and " + (allAccounts ? "this server" : "account "
                    + call.accountId()) + " has " + existing + " network(s); reset it first with POST /_local/reset"
                    + (allAccounts ? " and {\"allAccounts\": true}" : ""));
        }
        SnapshotSecrets sealing = null;
        if (doc.hasNonNull("secrets")) {
            if (passphrase == null) {
                throw ServiceException.badRequest("This snapshot carries secrets sealed with a passphrase; send the"
                        + " passphrase it was exported with in the X-Wickr-Local-Passphrase header");
            }
            if (opened == null) {
                SnapshotSecrets.checkHeader(doc.get("secrets"), "secrets");
                throw new IllegalStateException("the snapshot's secrets were not opened before the transaction");
            }
            sealing = opened;
        }
        SnapshotImporter importer = new SnapshotImporter(tx, sealing);
        for (int i = 0; i < accounts.size(); i++) {
            JsonNode a = accounts.get(i);
            JsonNode networks = a.path("networks");
            for (int j = 0; j < networks.size(); j++) {
                importer.network("accounts[" + i + "].networks[" + j + "]", a.path("accountId").asText(),
                        a.path("region").asText(), networks.get(j));
            }
        }
        ObjectNode out = Json.object();
        out.put("message", "Imported " + importer.networkIds.size() + " network(s) with " + importer.users
                + " user(s) and " + importer.bots + " bot(s)");
        out.put("networks", importer.networkIds.size());
        out.put("users", importer.users);
        out.put("bots", importer.bots);
        return out;
    }

    private void network(String path, String accountId, String region, JsonNode n) {
        String id = n.path("networkId").asText();
        if (!networkIds.add(id)) {
            throw invalid(path + ".networkId", "repeats network " + id);
        }
        if (NetworkStore.idTaken(tx, id)) {
            throw ServiceException.badRequest("Network id " + id + " (" + path + ".networkId) is already used in this"
                    + " server by another account; network ids are unique across the server");
        }
        String keyArn = within(path, () -> NetworkOperations.checkedKeyArn(Json.text(n, "encryptionKeyArn")));
        NetworkStore.insert(tx, new NetworkRecord(id, accountId, region, n.path("networkName").asText(),
                n.path("accessLevel").asText(), keyArn, optionalLong(n, "freeTrialExpiresAt"),
                n.path("createdAt").asLong()));
        Set<String> groupIds = groups(path, id, n.path("securityGroups"));
        Set<String> usernames = new HashSet<>();
        users(path, id, n.path("users"), groupIds, usernames);
        bots(path, id, n.path("bots"), groupIds, usernames);
        if (n.hasNonNull("dataRetentionBot")) {
            dataRetentionBot(path + ".dataRetentionBot", id, n.get("dataRetentionBot"));
        }
        guests(path, id, n.path("guests"));
        settings(path, id, n.path("settings"));
        if (n.hasNonNull("oidc")) {
            oidc(path + ".oidc", id, n.get("oidc"));
        }
        if (n.hasNonNull("openTdf")) {
            openTdf(path + ".openTdf", id, n.get("openTdf"));
        }
    }

    private Set<String> groups(String path, String networkId, JsonNode list) {
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < list.size(); i++) {
            JsonNode g = list.get(i);
            String at = path + ".securityGroups[" + i + "]";
            String id = g.path("id").asText();
            if (!ids.add(id)) {
                throw invalid(at + ".id", "repeats security group " + id);
            }
            String name = kept(at + ".name", g.path("name").asText(), GroupRules::nameProblem);
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw invalid(at + ".name", GroupRules.nameTaken(name, networkId));
            }
            boolean isDefault = g.path("isDefault").asBoolean();
            defaults += isDefault ? 1 : 0;
            // As CreateSecurityGroup does: the defaults, with what the document says on top.
            ObjectNode settings = SecurityGroupOperations.defaultSettings();
            SecurityGroupOperations.merge(settings, g.path("settings"));
            within(at, () -> {
                GroupRules.checkSettings(settings, "settings");
                return null;
            });
            GroupStore.insert(tx, new GroupRecord(networkId, id, name, isDefault, Json.write(settings),
                    g.path("modifiedAt").asLong(), 0, 0));
        }
        if (defaults != 1) {
            throw invalid(path + ".securityGroups", "must have exactly one default group (isDefault: true), not "
                    + defaults);
        }
        return ids;
    }

    private void users(String path, String networkId, JsonNode list, Set<String> groupIds, Set<String> usernames) {
        List<UserRecord> records = new ArrayList<>();
        List<DeviceRecord> devices = new ArrayList<>();
        List<SnapshotStore.UserSession> sessions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode u = list.get(i);
            String at = path + ".users[" + i + "]";
            long userId = memberId(at + ".userId", u.path("userId").asText());
            String username = kept(at + ".username", u.path("username").asText(), UserRules::usernameProblem);
            unique(at + ".username", username, usernames, UserRules.IN_USE);
            for (String member : UserRules.NAMES) {
                String problem = UserRules.nameProblem(u.path(member).asText());
                if (problem != null) {
                    throw invalid(at + "." + member, problem);
                }
            }
            List<String> groups = new ArrayList<>();
            JsonNode memberOf = u.path("securityGroupIds");
            if (memberOf.isEmpty()) {
                throw invalid(at + ".securityGroupIds", UserRules.groupsProblem(List.of(), groupIds));
            }
            for (int g = 0; g < memberOf.size(); g++) {
                String groupId = memberOf.get(g).asText();
                if (!groupIds.contains(groupId)) {
                    throw invalid(at + ".securityGroupIds[" + g + "]", UserRules.groupMissing(groupId));
                }
                if (groups.contains(groupId)) {
                    throw invalid(at + ".securityGroupIds[" + g + "]", "repeats security group " + groupId);
                }
                groups.add(groupId);
            }
            int status = u.path("status").asInt();
            String inviteCode = Json.text(u, "inviteCode");
            Long inviteExpiresAt = optionalLong(u, "inviteExpiresAt");
            if (status == UserRecord.PENDING && (inviteCode == null || inviteExpiresAt == null)) {
                throw invalid(at + ".inviteCode", "A pending user (status 1) has an invitation: inviteCode and"
                        + " inviteExpiresAt are required");
            }
            if (status == UserRecord.ACTIVE && (inviteCode != null || inviteExpiresAt != null)) {
                throw invalid(at + ".inviteCode", "An active user (status 2) has accepted the invitation and has"
                        + " no invite code");
            }
            boolean suspended = u.path("suspended").asBoolean();
            records.add(new UserRecord(userId, networkId, username, Users.uname(username), u.path("firstName").asText(),
                    u.path("lastName").asText(), status, suspended, u.path("isAdmin").asBoolean(), groups, inviteCode,
                    inviteExpiresAt, u.path("codeValidation").asBoolean(), optionalLong(u, "lastLoginAt"),
                    u.path("createdAt").asLong(), u.path("modifiedAt").asLong()));
            Set<String> ownDevices = new HashSet<>();
            JsonNode ds = u.path("devices");
            if (status == UserRecord.PENDING && ds.size() > 0) {
                throw invalid(at + ".devices", "A pending user (status 1) has not signed in on any device yet");
            }
            for (int d = 0; d < ds.size(); d++) {
                JsonNode device = ds.get(d);
                String appId = device.path("appId").asText();
                if (!appIds.add(appId) || DeviceStore.idTaken(tx, appId)) {
                    throw invalid(at + ".devices[" + d + "].appId", "Device " + appId + " is already used");
                }
                ownDevices.add(appId);
                devices.add(new DeviceRecord(appId, networkId, userId, device.path("type").asText(),
                        device.path("statusText").asText(), device.path("createdAt").asLong(),
                        device.path("lastLoginAt").asLong(), suspended));
            }
            JsonNode ss = u.path("sessions");
            for (int s = 0; s < ss.size(); s++) {
                JsonNode session = ss.get(s);
                String sat = at + ".sessions[" + s + "]";
                String sessionId = session.path("sessionId").asText();
                if (!sessionIds.add(sessionId) || SessionStore.idTaken(tx, sessionId)) {
                    throw invalid(sat + ".sessionId", "Session " + sessionId + " is already used");
                }
                String appId = session.path("appId").asText();
                if (!ownDevices.contains(appId)) {
                    throw invalid(sat + ".appId", "Device " + appId + " is not one of the user's devices");
                }
                Long endedAt = optionalLong(session, "endedAt");
                checkSessionEnd(sat, endedAt, Json.text(session, "endReason"), suspended, "user");
                sessions.add(new SnapshotStore.UserSession(sessionId, userId, appId, session.path("startedAt").asLong(),
                        endedAt, Json.text(session, "endReason")));
            }
        }
        UserStore.insertAll(tx, records);
        DeviceStore.insertAll(tx, devices);
        SessionStore.insertAll(tx, networkId, sessions);
        users += records.size();
    }

    private void bots(String path, String networkId, JsonNode list, Set<String> groupIds, Set<String> usernames) {
        List<SnapshotStore.BotSession> sessions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            String at = path + ".bots[" + i + "]";
            long botId = memberId(at + ".botId", b.path("botId").asText());
            String username = kept(at + ".username", b.path("username").asText(),
                    name -> BotRules.usernameReason(networkId, name));
            unique(at + ".username", username, usernames, BotRules.UNAVAILABLE);
            String displayName = kept(at + ".displayName", b.path("displayName").asText(),
                    BotRules::displayNameProblem);
            String groupId = b.path("groupId").asText();
            if (!groupIds.contains(groupId)) {
                throw invalid(at + ".groupId", BotRules.groupMissing(networkId, groupId));
            }
            String hash = b.path("passwordHash").asText();
            String hashProblem = PasswordHash.importProblem(hash);
            if (hashProblem != null) {
                throw invalid(at + ".passwordHash", hashProblem);
            }
            boolean suspended = b.path("suspended").asBoolean();
            BotStore.insert(tx, new BotRecord(botId, networkId, username, Users.uname(username), displayName, groupId,
                    hash, b.path("status").asInt(), suspended, Json.text(b, "pubkey"), optionalLong(b, "lastLoginAt"),
                    b.path("createdAt").asLong(), b.path("modifiedAt").asLong()));
            JsonNode ss = b.path("sessions");
            for (int s = 0; s < ss.size(); s++) {
                JsonNode session = ss.get(s);
                String sat = at + ".sessions[" + s + "]";
                String sessionId = session.path("sessionId").asText();
                if (!botSessionIds.add(sessionId) || BotSessionStore.idTaken(tx, sessionId)) {
                    throw invalid(sat + ".sessionId", "Session " + sessionId + " is already used");
                }
                Long endedAt = optionalLong(session, "endedAt");
                checkSessionEnd(sat, endedAt, Json.text(session, "endReason"), suspended, "bot");
                sessions.add(new SnapshotStore.BotSession(sessionId, botId, session.path("startedAt").asLong(), endedAt,
                        Json.text(session, "endReason")));
            }
            bots++;
        }
        BotSessionStore.insertAll(tx, networkId, sessions);
    }

    private void dataRetentionBot(String path, String networkId, JsonNode b) {
        String hash = Json.text(b, "challengeHash");
        String hashProblem = hash == null ? null : PasswordHash.importProblem(hash);
        if (hashProblem != null) {
            throw invalid(path + ".challengeHash", hashProblem);
        }
        boolean registered = b.path("registered").asBoolean();
        for (String needsRegistration : List.of("serviceEnabled", "pubkeyAcked")) {
            if (b.path(needsRegistration).asBoolean() && !registered) {
                throw invalid(path + "." + needsRegistration, "can be true only for a registered bot");
            }
        }
        DataRetentionBotStore.insert(tx, new DataRetentionBotRecord(networkId,
                DataRetentionOperations.botName(networkId), hash, registered, b.path("serviceEnabled").asBoolean(),
                b.path("pubkeyAcked").asBoolean(), optionalLong(b, "lastLoginAt"), b.path("createdAt").asLong(),
                b.path("modifiedAt").asLong()));
    }

    private void guests(String path, String networkId, JsonNode list) {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode g = list.get(i);
            String at = path + ".guests[" + i + "]";
            String username = kept(at + ".username", g.path("username").asText(), GuestRules::usernameProblem);
            String hash = Users.uname(username);
            if (!hashes.add(hash)) {
                throw invalid(at + ".username", "repeats guest " + username + " (guests are told apart ignoring case)");
            }
            long first = g.path("firstSeenAt").asLong();
            long last = g.path("lastSeenAt").asLong();
            if (first > last) {
                throw invalid(at + ".firstSeenAt", "must not be later than lastSeenAt");
            }
            GuestStore.insertGuest(tx, new GuestRecord(networkId, hash, username, first, last));
            List<SnapshotStore.GuestActivity> activity = new ArrayList<>();
            Set<String> periods = new HashSet<>();
            JsonNode months = g.path("activity");
            for (int m = 0; m < months.size(); m++) {
                JsonNode a = months.get(m);
                String mat = at + ".activity[" + m + "]";
                String period = a.path("billingPeriod").asText();
                if (!periods.add(period)) {
                    throw invalid(mat + ".billingPeriod", "repeats billing period " + period);
                }
                long firstAt = a.path("firstAt").asLong();
                long lastAt = a.path("lastAt").asLong();
                for (Map.Entry<String, Long> time : Map.of("firstAt", firstAt, "lastAt", lastAt).entrySet()) {
                    if (!period.equals(GuestRules.billingPeriod(time.getValue()))) {
                        throw invalid(mat + "." + time.getKey(), "must be a time in billing period " + period + " (UTC)");
                    }
                }
                if (firstAt > lastAt) {
                    throw invalid(mat + ".firstAt", "must not be later than lastAt");
                }
                activity.add(new SnapshotStore.GuestActivity(hash, period, firstAt, lastAt));
            }
            GuestStore.insertActivity(tx, networkId, activity);
            if (g.hasNonNull("blocked")) {
                JsonNode block = g.get("blocked");
                GuestStore.insertBlock(tx, networkId, new SnapshotStore.GuestBlock(hash,
                        block.path("admin").asText(), block.path("modifiedAt").asLong()));
            }
        }
    }

    private void settings(String path, String networkId, JsonNode list) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String at = path + ".settings[" + i + "]";
            String name = s.path("name").asText();
            if (!names.add(name)) {
                throw invalid(at + ".name", "repeats setting " + name);
            }
            String value = s.path("value").asText();
            String problem = NetworkSettingsOperations.storedValueProblem(name, value);
            if (problem != null) {
                throw invalid(at + ".value", problem);
            }
            SettingStore.put(tx, networkId, name, value, s.path("modifiedAt").asLong());
        }
    }

    private void oidc(String path, String networkId, JsonNode o) {
        // Back through RegisterOidcConfig's own rules, from the members it was saved with.
        ObjectNode in = Json.object();
        for (String member : List.of("companyId", "issuer", "scopes", "customUsername", "extraAuthParams")) {
            if (o.hasNonNull(member)) {
                in.put(member, o.get(member).asText());
            }
        }
        if (o.hasNonNull("clientId")) {
            in.put("userId", o.get("clientId").asText());
        }
        if (o.hasNonNull("ssoTokenBufferMinutes")) {
            in.set("ssoTokenBufferMinutes", o.get("ssoTokenBufferMinutes"));
        }
        if (o.hasNonNull("encryptedSecret")) {
            in.put("secret", unseal(o.get("encryptedSecret").asText(), Snapshot.oidcSecretPlace(networkId),
                    path + ".encryptedSecret"));
        }
        ObjectNode config = within(path, () -> SsoOperations.configuration(networkId, in, null));
        OidcConfigStore.save(tx, new OidcConfigRecord(networkId, Json.write(config), o.path("modifiedAt").asLong()));
    }

    private void openTdf(String path, String networkId, JsonNode o) {
        ObjectNode in = Json.object();
        in.put("clientId", o.path("clientId").asText());
        // Without the passphrase's secrets the configuration comes back without its client secret:
        // an administrator registers it again before using it.
        String secret = o.hasNonNull("encryptedClientSecret") ? unseal(o.get("encryptedClientSecret").asText(),
                Snapshot.openTdfSecretPlace(networkId), path + ".encryptedClientSecret") : "";
        OpenTdfConfigRecord record = within(path, () -> new OpenTdfConfigRecord(networkId,
                OpenTdfOperations.nonBlank(in, "clientId"), secret, OpenTdfOperations.domain(Json.text(o, "domain")),
                OpenTdfOperations.provider(Json.text(o, "provider")), o.path("modifiedAt").asLong()));
        if (!record.provider().equals(o.path("provider").asText())) {
            throw invalid(path + ".provider", "must be written " + record.provider() + ", as Wickr Local stores it");
        }
        OpenTdfConfigStore.save(tx, record);
    }

    // -- shared checks ------------------------------------------------------------------------------

    /** A user or bot id: 10 digits, unique among users and bots of the whole store. */
    private long memberId(String path, String text) {
        long id = Long.parseLong(text);
        if (!memberIds.add(id) || UserStore.idTaken(tx, id) || BotStore.idTaken(tx, id)) {
            throw invalid(path, "Id " + text + " is already used by another user or bot");
        }
        return id;
    }

    /**
     * A name as the API keeps it: the operation's rule ({@code rule}, on the value as it would keep it)
     * accepts it, and it is already stripped of surrounding white space, as the operations store names.
     */
    private static String kept(String path, String value, Function<String, String> rule) {
        String problem = rule.apply(value.strip());
        if (problem != null) {
            throw invalid(path, problem);
        }
        if (!value.equals(value.strip())) {
            throw invalid(path, "must not start or end with white space: the API strips it before keeping a name");
        }
        return value;
    }

    /**
     * A username unique among the users and bots of the network ignoring case, as the API keeps them
     * ({@code reason}: what the operation answers for a taken one).
     */
    private static void unique(String path, String username, Set<String> taken, String reason) {
        if (!taken.add(username.toLowerCase(Locale.ROOT))) {
            throw invalid(path, reason);
        }
    }

    /** Suspension ends every session, so a suspended user or bot has none still open. */
    private static void checkSessionEnd(String path, Long endedAt, String endReason, boolean suspended, String who) {
        if (endedAt == null && endReason != null) {
            throw invalid(path + ".endReason", "is given only for a session that ended (endedAt)");
        }
        if (endedAt == null && suspended) {
            throw invalid(path + ".endedAt", "is required: a suspended " + who + " has no open session");
        }
    }

    private String unseal(String sealed, String place, String path) {
        if (secrets == null) {
            throw invalid(path, "is a sealed secret, but the snapshot has no secrets member to open it with");
        }
        return secrets.unseal(sealed, place, path);
    }

    private static Long optionalLong(JsonNode node, String member) {
        JsonNode v = node.get(member);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static ServiceException invalid(String path, String reason) {
        return ServiceException.invalid(path, reason);
    }

    /** Runs an operation's rule; a 422 it raises names the member under the document path. */
    private static <T> T within(String path, Supplier<T> rule) {
        try {
            return rule.get();
        } catch (ServiceException e) {
            if (e.kind() != ErrorKind.VALIDATION || e.problems().isEmpty()) {
                throw e;
            }
            List<FieldProblem> problems = new ArrayList<>();
            e.problems().forEach(p -> problems.add(new FieldProblem(path + "." + p.field(), p.reason())));
            FieldProblem first = problems.get(0);
            throw new ServiceException(ErrorKind.VALIDATION, "Invalid value for " + first.field() + ": "
                    + first.reason(), problems);
        }
    }
}
