package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import java.util.List;
import java.util.Map;

/** ListSecurityGroups and GetSecurityGroup, and the settings every new group starts with. */
final class SecurityGroupOperations {
    static final String DEFAULT_GROUP_NAME = "Default";
    private static final Map<String, SortColumn> SORT_FIELDS =
            Map.of("id", SortColumn.GROUP_ID, "name", SortColumn.GROUP_NAME);

    void register(Map<String, OperationHandler> into) {
        into.put("ListSecurityGroups", this::list);
        into.put("GetSecurityGroup", this::get);
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
        String groupId = Json.text(in, "groupId");
        GroupRecord group = GroupStore.find(tx, network.networkId(), groupId)
                .orElseThrow(() -> ServiceException.notFound("Security group " + groupId + " was not found in network "
                        + network.networkId()));
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
        out.put("botMembers", 0);
        out.put("modified", g.modifiedAt());
        out.set("securityGroupSettings", Json.read(g.settings()));
        return out;
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
        s.put("federationMode", 0);
        s.put("lockoutThreshold", 0);
        s.putArray("permittedNetworks");
        s.putArray("permittedWickrAwsNetworks");
        s.putArray("permittedWickrEnterpriseNetworks");
        return s;
    }
}
