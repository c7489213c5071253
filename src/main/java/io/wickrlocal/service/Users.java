package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserRecord;
import io.wickrlocal.store.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Shared rules about users: lookup, unames, and how a user is shown. */
final class Users {
    private Users() {}

    /** The reason of a batch item naming a user the network does not have (AWS example BatchToggleUserSuspendStatus#2). */
    static final String NOT_FOUND = "User not found";
    /**
     * The message of the BadRequestError for a user id the network does not have, on the operations about one
     * user (AWS examples GetUser#4, UpdateUser#4, ListDevicesForUser#3).
     */
    static final String INVALID_USER_ID = "Invalid userId.";

    /**
     * The user of the network, or BadRequestError "Invalid userId.": AWS's examples contradict each other here
     * (GetUser#3 and UpdateUser#3 answer ResourceNotFoundError "User not found." for the same id), and we follow
     * the three that agree, so that every operation about one user answers an unknown id alike.
     */
    static UserRecord require(Tx tx, String networkId, String userId) {
        return UserStore.find(tx, networkId, Long.parseLong(userId))
                .orElseThrow(() -> ServiceException.badRequest(INVALID_USER_ID));
    }

    /** A user's uname: a hash of the username that identifies the user without revealing it. */
    static String uname(String username) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean inviteExpired(UserRecord u, long now) {
        return u.status() == UserRecord.PENDING && u.inviteExpiresAt() != null && u.inviteExpiresAt() <= now;
    }

    /** The User shape of the contract. */
    static ObjectNode view(UserRecord u, long now) {
        ObjectNode out = Json.object();
        out.put("userId", Long.toString(u.userId()));
        out.put("username", u.username());
        out.put("firstName", u.firstName());
        out.put("lastName", u.lastName());
        out.set("securityGroups", strings(u));
        out.put("isAdmin", u.isAdmin());
        out.put("suspended", u.suspended());
        out.put("status", u.status());
        out.put("otpEnabled", false);
        out.put("type", "user");
        out.put("isUser", true);
        out.put("challengeFailures", 0);
        out.put("isInviteExpired", inviteExpired(u, now));
        if (u.inviteCode() != null) {
            out.put("inviteCode", u.inviteCode());
        }
        out.put("codeValidation", u.codeValidation());
        out.put("uname", u.uname());
        return out;
    }

    /** The members GetUser and ListUsers both begin with (AWS examples GetUser#1, ListUsers#1), in their order. */
    static ObjectNode summary(UserRecord u) {
        ObjectNode out = Json.object();
        out.put("userId", Long.toString(u.userId()));
        out.put("firstName", u.firstName());
        out.put("lastName", u.lastName());
        out.put("username", u.username());
        out.put("isAdmin", u.isAdmin());
        out.put("suspended", u.suspended());
        out.put("status", u.status());
        return out;
    }

    /** An item of BatchCreateUser's {@code successful}, with the members AWS examples BatchCreateUser#1/#2 show. */
    static ObjectNode created(UserRecord u, long now) {
        ObjectNode out = Json.object();
        out.put("userId", Long.toString(u.userId()));
        out.put("username", u.username());
        out.put("firstName", u.firstName());
        out.put("lastName", u.lastName());
        out.put("status", u.status());
        out.put("inviteCode", u.inviteCode());
        out.put("isInviteExpired", inviteExpired(u, now));
        out.put("codeValidation", u.codeValidation());
        return out;
    }

    /**
     * An item of ListUsers, with the members AWS examples ListUsers#1/#2 show (the invitation only for a pending
     * user), and the userId, which those examples leave out but every other user operation needs.
     */
    static ObjectNode listed(UserRecord u, long now) {
        ObjectNode out = summary(u);
        out.put("type", "user");
        if (u.status() == UserRecord.PENDING) {
            if (u.inviteCode() != null) {
                out.put("inviteCode", u.inviteCode());
            }
            out.put("isInviteExpired", inviteExpired(u, now));
        }
        return out;
    }

    static com.fasterxml.jackson.databind.node.ArrayNode strings(UserRecord u) {
        var list = Json.array();
        u.groupIds().forEach(list::add);
        return list;
    }
}
