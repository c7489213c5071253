package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserFilter;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The security group operations, and the settings every new group starts with. The default group
 * cannot be deleted, and neither can a group that still has members: deleting it would leave users
 * or bots without the settings that govern them, so they must be moved first.
 */
final class SecurityGroupOperations {
    /** The default group's name, as AWS's examples show it (GetSecurityGroup#1, ListSecurityGroups#1). */
    static final String DEFAULT_GROUP_NAME = "default";
    /** The limit of a non-SSO session's age, in minutes; 0 is no limit. Set only by UpdateSecurityGroup. */
    static final String MAX_NON_SSO_SESSION_MINUTES = "maxNonSsoSessionMinutes";
    /** What a group gets for federationMode when 0 (no value) is sent, as the live service does. */
    static final int DEFAULT_FEDERATION_MODE = 1;
    /** The smallest lockoutThreshold a STANDARD network accepts, and every group's default. */
    static final int STANDARD_MIN_LOCKOUT_THRESHOLD = 10;
    static final String PREMIUM = "PREMIUM";
    /** Settings only a PREMIUM network may change (the live service's plan rule, as the Terraform provider lists them). */
    static final List<String> PREMIUM_ONLY = List.of("alwaysReauthenticate", "atakPackageValues", "calling",
            "checkForUpdates", "enableAtak", "enableFileDownload", "enableGuestFederation", "enableNotificationPreview",
            "enableOpenAccessOption", "filesEnabled", "forceDeviceLockout", "forceOpenAccess", "forceReadReceipts",
            "isAtoEnabled", "maxAutoDownloadSize", "maxBor", "maxTtl", "showMasterRecoveryKey", "ssoMaxIdleMinutes");
    private static final Map<String, SortColumn> SORT_FIELDS =
            Map.of("id", SortColumn.GROUP_ID, "name", SortColumn.GROUP_NAME);
    private static final Map<String, SortColumn> MEMBER_SORT = Map.of("username", SortColumn.USERNAME,
            "firstName", SortColumn.FIRST_NAME, "lastName", SortColumn.LAST_NAME);

    private final Clock clock;

    SecurityGroupOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.read("ListSecurityGroups", this::list));
        into.add(OperationDescriptor.read("GetSecurityGroup", this::get));
        into.add(OperationDescriptor.change("CreateSecurityGroup", this::create));
        into.add(OperationDescriptor.change("UpdateSecurityGroup", this::update));
        into.add(OperationDescriptor.change("DeleteSecurityGroup", this::delete));
        into.add(OperationDescriptor.read("ListSecurityGroupUsers", this::listUsers));
    }

    private ObjectNode create(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String name = checkedName(tx, network.networkId(), Json.text(in, "name"), null);
        ObjectNode settings = defaultSettings();
        JsonNode requested = in.path("securityGroupSettings");
        JsonNode updateOnly = requested.get(MAX_NON_SSO_SESSION_MINUTES);
        if (updateOnly != null && !updateOnly.isNull()) {
            // CreateSecurityGroup's settings shape (SecurityGroupSettingsRequest) has no such member.
            throw ServiceException.invalid("securityGroupSettings." + MAX_NON_SSO_SESSION_MINUTES,
                    "is not taken by CreateSecurityGroup; set it with UpdateSecurityGroup once the group exists");
        }
        if (requested.isObject() && requested.path("federationMode").isIntegralNumber()
                && requested.path("federationMode").asLong() == 0) {
            // The live service takes 0 for "no value" and gives the default instead.
            requested = ((ObjectNode) requested).deepCopy().put("federationMode", DEFAULT_FEDERATION_MODE);
        }
        checkPlan(network, settings, requested);
        merge(settings, requested);
        GroupRules.checkSettings(settings, "securityGroupSettings");
        checkRules(network, settings, requested);
        long now = clock.instant().getEpochSecond();
        GroupRecord group = new GroupRecord(network.networkId(), Ids.groupId(), name, false, Json.write(settings), now, 0, 0);
        GroupStore.insert(tx, group);
        ObjectNode out = Json.object();
        out.set("securityGroup", view(group));
        return out;
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        GroupRecord group = require(tx, network, Json.text(in, "groupId"), "Security group not found.");
        String name = in.has("name") ? checkedName(tx, network.networkId(), Json.text(in, "name"), group.groupId())
                : group.name();
        ObjectNode settings = settings(group);
        long before = settings.path(MAX_NON_SSO_SESSION_MINUTES).asLong();
        JsonNode requested = in.path("securityGroupSettings");
        if (requested.path("federationMode").isIntegralNumber() && requested.path("federationMode").asLong() == 0) {
            throw ServiceException.badRequest("federationMode 0 cannot be requested: use 1 (restricted) or 2 (global)");
        }
        checkPlan(network, settings, requested);
        merge(settings, requested);
        GroupRules.checkSettings(settings, "securityGroupSettings");
        checkRules(network, settings, requested);
        long now = clock.instant().getEpochSecond();
        long after = settings.path(MAX_NON_SSO_SESSION_MINUTES).asLong();
        if (before != 0 || after != 0) {
            // Sessions that ran out under the old limit ended then; those the new one cuts short end now.
            SessionLimits.expireMembers(tx, network.networkId(), group.groupId(), now, false);
        }
        GroupStore.update(tx, network.networkId(), group.groupId(), name, Json.write(settings), now);
        if (after != 0) {
            SessionLimits.expireMembers(tx, network.networkId(), group.groupId(), now, true);
        }
        ObjectNode out = Json.object();
        out.set("securityGroup", view(require(tx, network, group.groupId(), "Security group not found.")));
        return out;
    }

    private ObjectNode delete(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        GroupRecord group = require(tx, network, Json.text(in, "groupId"), "Security group not found");
        if (group.isDefault()) {
            throw ServiceException.badRequest("The default security group of a network cannot be deleted");
        }
        long members = GroupStore.memberCount(tx, network.networkId(), group.groupId());
        if (members > 0) {
            throw ServiceException.badRequest("Security group " + group.groupId() + " still has " + members
                    + " member(s); move its users and bots to other groups before deleting it");
        }
        GroupStore.delete(tx, network.networkId(), group.groupId());
        ObjectNode out = Json.object();
        out.put("message", "success");
        out.put("networkId", network.networkId());
        out.put("groupId", group.groupId());
        return out;
    }

    private ObjectNode listUsers(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        GroupRecord group = require(tx, network, Json.text(in, "groupId"), "Security group not found");
        Listing listing = Listing.of(in, MEMBER_SORT, List.of(SortColumn.USERNAME), SortColumn.USER_ID,
                "ListSecurityGroupUsers|" + network.networkId() + "|" + group.groupId());
        UserFilter members = new UserFilter(null, null, null, null, group.groupId());
        Page<UserRecord> page = UserStore.page(tx, network.networkId(), members, listing.request());
        long now = clock.instant().getEpochSecond();
        return listing.answer("users", page, u -> Users.view(u, now));
    }

    /** The group, or ResourceNotFoundError with {@code message}: AWS's examples word it per operation. */
    private static GroupRecord require(Tx tx, NetworkRecord network, String groupId, String message) {
        return GroupStore.find(tx, network.networkId(), groupId).orElseThrow(() -> ServiceException.notFound(message));
    }

    private static String checkedName(Tx tx, String networkId, String name, String exceptGroupId) {
        String trimmed = name == null ? "" : name.strip();
        String problem = GroupRules.nameProblem(trimmed);
        if (problem != null) {
            throw ServiceException.invalid("name", problem);
        }
        if (GroupStore.nameTaken(tx, networkId, trimmed, exceptGroupId)) {
            throw ServiceException.badRequest(GroupRules.nameTaken(trimmed, networkId));
        }
        return trimmed;
    }

    /** Members sent replace the stored ones; nested objects merge the same way; lists are replaced whole. */
    static void merge(ObjectNode target, JsonNode changes) {
        if (changes == null || !changes.isObject()) {
            return;
        }
        changes.properties().forEach(e -> {
            JsonNode current = target.get(e.getKey());
            if (e.getValue().isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, e.getValue());
            } else if (!e.getValue().isNull()) {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    /**
     * A STANDARD network may not change a PREMIUM-only setting: sending one with the value the group
     * already has is fine, any other value is refused, naming the setting.
     */
    static void checkPlan(NetworkRecord network, ObjectNode current, JsonNode requested) {
        if (PREMIUM.equals(network.accessLevel()) || !requested.isObject()) {
            return;
        }
        for (String member : PREMIUM_ONLY) {
            JsonNode sent = requested.get(member);
            if (sent != null && !sent.isNull() && changes(current.get(member), sent)) {
                throw ServiceException.forbidden("this feature requires a different level plan: " + member
                        + " can only be changed on a PREMIUM network");
            }
        }
    }

    private static boolean changes(JsonNode current, JsonNode sent) {
        if (sent.isObject() && current != null && current.isObject()) {
            for (var e : sent.properties()) {
                if (!e.getValue().isNull() && changes(current.get(e.getKey()), e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (current == null) {
            return true;
        }
        if (current.isNumber() && sent.isNumber()) {
            return current.decimalValue().compareTo(sent.decimalValue()) != 0;
        }
        return !current.equals(sent);
    }

    /** The rules between settings the live service enforces, checked where the request touches them. */
    static void checkRules(NetworkRecord network, ObjectNode settings, JsonNode requested) {
        if ((requested.has("enableRestrictedGlobalFederation") || requested.has("globalFederation"))
                && settings.path("enableRestrictedGlobalFederation").asBoolean(false)
                && !settings.path("globalFederation").asBoolean(false)) {
            throw ServiceException.badRequest("RestrictedGlobalFederation is not supported when globalFederation is disabled");
        }
        JsonNode lockout = requested.get("lockoutThreshold");
        if (lockout != null && lockout.isNumber() && !PREMIUM.equals(network.accessLevel())
                && lockout.asLong() < STANDARD_MIN_LOCKOUT_THRESHOLD) {
            String field = "securityGroupSettings.lockoutThreshold";
            throw new ServiceException(ErrorKind.VALIDATION, "Invalid value for " + field, List.of(new FieldProblem(field,
                    "invalid lockoutThreshold setting for network: a STANDARD network needs at least "
                            + STANDARD_MIN_LOCKOUT_THRESHOLD)));
        }
    }

    private ObjectNode list(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Listing listing = Listing.of(in, SORT_FIELDS, List.of(SortColumn.GROUP_ID), SortColumn.GROUP_ID,
                "ListSecurityGroups|" + network.networkId());
        Page<GroupRecord> page = GroupStore.page(tx, network.networkId(), listing.request());
        return listing.answer("securityGroups", page, SecurityGroupOperations::view);
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        GroupRecord group = require(tx, network, Json.text(in, "groupId"), "Security group not found");
        ObjectNode out = Json.object();
        out.set("securityGroup", view(group));
        return out;
    }

    static ObjectNode view(GroupRecord g) {
        ObjectNode out = Json.object();
        out.put("id", g.groupId());
        out.put("name", g.name());
        out.put("isDefault", g.isDefault());
        out.put("activeMembers", g.activeMembers());
        out.put("botMembers", g.botMembers());
        out.put("modified", g.modifiedAt());
        out.set("securityGroupSettings", settings(g));
        return out;
    }

    /**
     * The group's settings: the stored document over the defaults, so a group stored before a setting
     * existed (such as maxNonSsoSessionMinutes) shows that setting's default.
     */
    static ObjectNode settings(GroupRecord g) {
        ObjectNode s = defaultSettings();
        merge(s, Json.read(g.settings()));
        return s;
    }

    /** What a new group allows until an administrator changes it: the permissive choices. */
    static ObjectNode defaultSettings() {
        ObjectNode s = Json.object();
        s.put("alwaysReauthenticate", false);
        s.putArray("atakPackageValues");
        ObjectNode calling = s.putObject("calling");
        calling.put("canStart11Call", true);
        calling.put("canVideoCall", true);
        calling.put("forceTcpCall", false);
        s.put("checkForUpdates", true);
        s.put("enableAtak", false);
        s.put("enableCrashReports", true);
        s.put("enableFileDownload", true);
        s.put("enableGuestFederation", false);
        s.put("enableNotificationPreview", true);
        s.put("enableOpenAccessOption", false);
        s.put("enableRestrictedGlobalFederation", false);
        s.put("filesEnabled", true);
        s.put("forceDeviceLockout", 0);
        s.put("forceOpenAccess", false);
        s.put("forceReadReceipts", false);
        s.put("globalFederation", false);
        s.put("isAtoEnabled", false);
        s.put("isLinkPreviewEnabled", true);
        s.put("locationAllowMaps", true);
        s.put("locationEnabled", true);
        s.put("maxAutoDownloadSize", 0L);
        s.put("maxBor", 0);
        s.put("maxTtl", 0L);
        s.put("messageForwardingEnabled", true);
        ObjectNode password = s.putObject("passwordRequirements");
        password.put("lowercase", 0);
        password.put("minLength", 6);
        password.put("numbers", 0);
        password.put("symbols", 0);
        password.put("uppercase", 0);
        s.put("presenceEnabled", true);
        s.putArray("quickResponses");
        s.put("showMasterRecoveryKey", true);
        ObjectNode shredder = s.putObject("shredder");
        shredder.put("canProcessManually", true);
        shredder.put("intensity", 0);
        s.put("ssoMaxIdleMinutes", 0);
        s.put(MAX_NON_SSO_SESSION_MINUTES, 0);
        s.put("federationMode", DEFAULT_FEDERATION_MODE);
        s.put("lockoutThreshold", STANDARD_MIN_LOCKOUT_THRESHOLD);
        s.putArray("permittedNetworks");
        s.putArray("permittedWickrAwsNetworks");
        s.putArray("permittedWickrEnterpriseNetworks");
        return s;
    }
}
