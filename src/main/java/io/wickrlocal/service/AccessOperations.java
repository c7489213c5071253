package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.DeviceRecord;
import io.wickrlocal.store.DeviceStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.SessionRecord;
import io.wickrlocal.store.SessionStore;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;

/**
 * Wickr Local's stand-in for the Wickr client app (the /_local sign-in extension), so the effect
 * of suspension is observable: pending users accept their invitation by signing in with its code,
 * active users sign in on new or known devices, suspended users are refused.
 */
final class AccessOperations {
    private final Clock clock;

    AccessOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("LocalSignIn", this::signIn).local());
        into.add(OperationDescriptor.read("LocalListSessions", this::sessions).local());
    }

    private ObjectNode signIn(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        UserRecord user = Users.require(tx, network.networkId(), Json.text(in, "userId"));
        long now = clock.instant().getEpochSecond();
        if (user.suspended()) {
            throw ServiceException.forbidden("User " + user.userId() + " is suspended and cannot access network "
                    + network.networkId() + " until an administrator unsuspends them");
        }
        if (user.status() == UserRecord.PENDING) {
            String code = Json.text(in, "inviteCode");
            if (code == null || user.inviteCode() == null || !MessageDigest.isEqual(
                    code.getBytes(StandardCharsets.UTF_8), user.inviteCode().getBytes(StandardCharsets.UTF_8))) {
                throw ServiceException.forbidden("User " + user.userId() + " has not accepted the invitation yet;"
                        + " sign in with the invite code to accept it");
            }
            if (Users.inviteExpired(user, now)) {
                throw ServiceException.forbidden("The invitation of user " + user.userId()
                        + " has expired; ask an administrator to reinvite the user");
            }
        }
        UserRecord signedIn = new UserRecord(user.userId(), user.networkId(), user.username(), user.uname(), user.firstName(),
                user.lastName(), UserRecord.ACTIVE, false, user.isAdmin(), user.groupIds(),
                user.status() == UserRecord.PENDING ? null : user.inviteCode(),
                user.status() == UserRecord.PENDING ? null : user.inviteExpiresAt(), user.codeValidation(), now,
                user.createdAt(), now);
        UserStore.update(tx, user, signedIn);

        String deviceId = Json.text(in, "deviceId");
        if (deviceId != null) {
            String known = deviceId;
            DeviceRecord device = DeviceStore.find(tx, user.userId(), known).orElseThrow(() ->
                    ServiceException.notFound("Device " + known + " is not a device of user " + user.userId()));
            DeviceStore.signedIn(tx, device.appId(), now);
        } else {
            String newId = Ids.deviceId();
            DeviceStore.insert(tx, new DeviceRecord(newId, network.networkId(), user.userId(),
                    Json.text(in, "deviceType"), "Active", now, now, false));
            deviceId = newId;
        }
        SessionLimits.expire(tx, signedIn, now);
        String sessionId = Ids.token(32);
        SessionStore.start(tx, new SessionRecord(sessionId, network.networkId(), user.userId(), deviceId, null, now,
                null));
        ObjectNode out = Json.object();
        out.put("sessionId", sessionId);
        out.put("deviceId", deviceId);
        return out;
    }

    private ObjectNode sessions(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        UserRecord user = Users.require(tx, network.networkId(), Json.text(in, "userId"));
        SessionLimits.expire(tx, user, clock.instant().getEpochSecond());
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("sessions");
        for (SessionRecord s : SessionStore.active(tx, user.userId())) {
            ObjectNode item = list.addObject();
            item.put("sessionId", s.sessionId());
            item.put("deviceId", s.appId());
            item.put("deviceType", s.deviceType());
            item.put("started", s.startedAt());
        }
        return out;
    }
}
