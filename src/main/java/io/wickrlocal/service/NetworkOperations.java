package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.NetworkStore;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** CreateNetwork, GetNetwork, ListNetworks, UpdateNetwork, DeleteNetwork. */
final class NetworkOperations {
    static final Duration FREE_TRIAL = Duration.ofDays(90);
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key|alias)/[A-Za-z0-9/_+=,.@:-]+");
    private static final Map<String, SortColumn> SORT_FIELDS =
            Map.of("networkId", SortColumn.NETWORK_ID, "networkName", SortColumn.NETWORK_NAME);

    private final Clock clock;

    NetworkOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("CreateNetwork", this::create));
        into.add(OperationDescriptor.read("GetNetwork", this::get));
        into.add(OperationDescriptor.read("ListNetworks", this::list));
        into.add(OperationDescriptor.change("UpdateNetwork", this::update));
        into.add(OperationDescriptor.change("DeleteNetwork", this::delete));
    }

    private ObjectNode create(Tx tx, Call call, ObjectNode in) {
        String name = Json.text(in, "networkName");
        String keyArn = keyArn(in);
        long now = clock.instant().getEpochSecond();
        boolean trial = in.path("enablePremiumFreeTrial").asBoolean(false);
        // A fresh id is never one a deleted network still answers for (in any account).
        String id = Ids.networkId(candidate -> NetworkStore.idTaken(tx, candidate)
                || NetworkStore.deletedIdKept(tx, candidate));
        NetworkRecord network = new NetworkRecord(id, call.accountId(), call.region(), name,
                Json.text(in, "accessLevel"), keyArn, trial ? now + FREE_TRIAL.toSeconds() : null, now);
        NetworkStore.insert(tx, network);
        GroupStore.insert(tx, new GroupRecord(id, Ids.groupId(), SecurityGroupOperations.DEFAULT_GROUP_NAME, true,
                Json.write(SecurityGroupOperations.defaultSettings()), now, 0, 0));
        ObjectNode out = Json.object();
        out.put("networkId", id);
        out.put("networkName", name);
        // encryptionKeyArn is accepted and kept, never answered (live: SMonaghan/terraform-provider-aws
        // internal/service/wickr/network.go, verified 2026-04-19).
        return out;
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        ObjectNode out = view(Networks.require(tx, call, Json.text(in, "networkId")));
        out.put("migrationState", 0);
        return out;
    }

    private ObjectNode list(Tx tx, Call call, ObjectNode in) {
        Listing listing = Listing.of(in, SORT_FIELDS, List.of(SortColumn.NETWORK_ID), SortColumn.NETWORK_ID,
                "ListNetworks|" + call.accountId() + "|" + call.region());
        Page<NetworkRecord> page = NetworkStore.page(tx, call.accountId(), call.region(), listing.request());
        return listing.answer("networks", page, NetworkOperations::view);
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String keyArn = in.has("encryptionKeyArn") ? keyArn(in) : network.encryptionKeyArn();
        NetworkStore.update(tx, network.networkId(), Json.text(in, "networkName"), keyArn);
        return Json.message("Network updated successfully");
    }

    private ObjectNode delete(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        // Everything in the network goes at once; its id then answers 403 (Networks.require) and it
        // is no longer listed, as the live service shows once a deletion has started.
        NetworkStore.delete(tx, network, clock.instant().getEpochSecond());
        return Json.message("Network deletion initiated successfully");
    }

    private static String keyArn(ObjectNode in) {
        return checkedKeyArn(Json.text(in, "encryptionKeyArn"));
    }

    /** The ARN when it names a KMS key or alias (or is absent); a 422 on encryptionKeyArn otherwise. */
    static String checkedKeyArn(String arn) {
        if (arn != null && !KMS_KEY_ARN.matcher(arn).matches()) {
            throw ServiceException.invalid("encryptionKeyArn", "must be the ARN of a KMS key, such as "
                    + "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        }
        return arn;
    }

    /**
     * A network as ListNetworks shows it (GetNetwork adds migrationState, as AWS's examples show):
     * never the encryptionKeyArn, which the live service does not return either.
     */
    static ObjectNode view(NetworkRecord n) {
        ObjectNode out = Json.object();
        out.put("networkId", n.networkId());
        out.put("networkName", n.name());
        out.put("accessLevel", n.accessLevel());
        out.put("awsAccountId", n.accountId());
        out.put("networkArn", "arn:aws:wickr:" + n.region() + ":" + n.accountId() + ":network/" + n.networkId());
        out.put("standing", 1);
        if (n.freeTrialExpiresAt() != null) {
            out.put("freeTrialExpiration", Instant.ofEpochSecond(n.freeTrialExpiresAt()).toString());
        }
        return out;
    }
}
