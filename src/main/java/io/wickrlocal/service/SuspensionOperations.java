package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.SessionStore;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * BatchToggleUserSuspendStatus. Suspending a user signs them out everywhere at once and keeps
 * them out (their devices show as suspended) until they are unsuspended. Users already in the
 * requested state count as successful; unknown ids fail without revealing whether they exist
 * elsewhere: {"userId", "field": "username", "reason": "User not found"}, as AWS example
 * BatchToggleUserSuspendStatus#2 shows for a user of another network.
 */
final class SuspensionOperations {
    static final String SUSPENDED_REASON = "suspended";

    private final Clock clock;

    SuspensionOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("BatchToggleUserSuspendStatus", this::toggle).rowLocking().auditPerUser());
    }

    private ObjectNode toggle(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        boolean suspend = in.get("suspend").booleanValue();
        Map<Long, String> ids = Batch.distinctUserIds(Json.texts(in, "userIds"));
        Map<Long, Boolean> found = UserStore.suspensionStates(tx, network.networkId(), ids.keySet());
        long now = clock.instant().getEpochSecond();
        List<Long> changed = new ArrayList<>();
        Batch batch = new Batch();
        ids.forEach((id, text) -> {
            Boolean suspended = found.get(id);
            if (suspended == null) {
                batch.failed("userId", text, "username", Users.NOT_FOUND);
                return;
            }
            if (suspended != suspend) {
                changed.add(id);
            }
            call.audit().userState(id, "suspended", suspended, suspend);
            batch.succeeded("userId", text);
        });
        UserStore.setSuspended(tx, network.networkId(), changed, suspend, now);
        if (suspend) {
            SessionStore.endAll(tx, network.networkId(), found.keySet(), SUSPENDED_REASON, now);
        }
        return batch.answer();
    }
}
