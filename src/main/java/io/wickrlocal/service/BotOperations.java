package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.BotFilter;
import io.wickrlocal.store.BotRecord;
import io.wickrlocal.store.BotSessionRecord;
import io.wickrlocal.store.BotSessionStore;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.Page;
import io.wickrlocal.store.SortColumn;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bot operations (CreateBot, GetBot, UpdateBot, DeleteBot, ListBots, GetBotsCount) and the
 * /_local bot sign-in that stands in for a bot client. A bot is pending until it first signs in
 * with its password; suspending it ends its sessions and keeps it out, as for users.
 */
final class BotOperations {
    static final String SUSPENDED_REASON = "suspended";
    static final String CHALLENGE_CHANGED_REASON = "challenge changed";
    /** What the service answers for a bot the network does not have (AWS example GetBot#2; live #39). */
    static final String BOT_NOT_FOUND = "Bot not found";

    /** Bots have no first name; sorting by it sorts by the display name, the nearest thing they have. */
    private static final Map<String, SortColumn> BOT_SORT = Map.of("username", SortColumn.BOT_USERNAME,
            "firstName", SortColumn.BOT_DISPLAY_NAME, "displayName", SortColumn.BOT_DISPLAY_NAME,
            "status", SortColumn.BOT_STATUS, "groupId", SortColumn.BOT_GROUP);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    BotOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        // Hashing and verifying passwords are slow on purpose: they run before the transaction.
        into.add(OperationDescriptor.change("CreateBot", OperationHandler.withWorkBefore(BotOperations::hashChallenge, this::create)));
        into.add(OperationDescriptor.read("GetBot", this::get));
        into.add(OperationDescriptor.change("UpdateBot", OperationHandler.withWorkBefore(BotOperations::hashChallenge, this::update)));
        into.add(OperationDescriptor.change("DeleteBot", this::delete));
        into.add(OperationDescriptor.read("ListBots", this::list));
        into.add(OperationDescriptor.read("GetBotsCount", this::count));
        into.add(OperationDescriptor.change("LocalBotSignIn", OperationHandler.withWorkBefore(BotOperations::verifyPassword, this::signIn)).local());
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /**
     * The step before CreateBot and UpdateBot: the hash of the new password, when one is sent and it is
     * acceptable (otherwise null, and the step inside refuses it in its order of checks).
     */
    static PasswordHash.NewHash hashChallenge(OperationHandler.Reads reads, Call call, ObjectNode in) {
        String challenge = Json.text(in, "challenge");
        return BotRules.challengeProblem(challenge) == null ? PasswordHash.NewHash.of(challenge) : null;
    }

    private ObjectNode create(Tx tx, Call call, ObjectNode in, PasswordHash.NewHash hashed) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String networkId = network.networkId();
        String username = Json.text(in, "username").strip();
        String problem = BotRules.usernameReason(networkId, username);
        if (problem != null) {
            throw ServiceException.invalid("username", problem);
        }
        String groupId = Json.text(in, "groupId");
        requireGroup(tx, networkId, groupId);
        String challenge = Json.text(in, "challenge");
        requireChallenge(challenge);
        String displayName = Json.text(in, "displayName");
        displayName = displayName == null || displayName.isBlank() ? username : displayName.strip();
        requireDisplayName(displayName);
        if (BotStore.findByUsername(tx, networkId, username).isPresent()
                || UserStore.findByUsername(tx, networkId, username).isPresent()) {
            // AWS example CreateBot#2: a username a bot or user already has.
            throw ServiceException.invalid("username", BotRules.UNAVAILABLE);
        }
        long botId = Ids.userId(candidate -> UserStore.idTaken(tx, candidate) || BotStore.idTaken(tx, candidate));
        long now = now();
        BotRecord bot = new BotRecord(botId, networkId, username, Users.uname(username), displayName, groupId,
                hashed.hashOf(challenge), BotRecord.PENDING, false, null, null, now, now);
        BotStore.insert(tx, bot);
        // AWS example CreateBot#1 answers these five members, without a message.
        ObjectNode out = Json.object();
        out.put("botId", Long.toString(botId));
        out.put("networkId", networkId);
        out.put("username", username);
        out.put("displayName", displayName);
        out.put("groupId", groupId);
        return out;
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        return view(require(tx, network.networkId(), Json.text(in, "botId")));
    }

    private ObjectNode update(Tx tx, Call call, ObjectNode in, PasswordHash.NewHash hashed) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        BotRecord before = require(tx, network.networkId(), Json.text(in, "botId"));
        String displayName = before.displayName();
        if (in.hasNonNull("displayName")) {
            displayName = Json.text(in, "displayName").strip();
            requireDisplayName(displayName);
        }
        String groupId = before.groupId();
        if (in.hasNonNull("groupId")) {
            groupId = Json.text(in, "groupId");
            requireGroup(tx, network.networkId(), groupId);
        }
        String challengeHash = before.challengeHash();
        if (in.hasNonNull("challenge")) {
            String challenge = Json.text(in, "challenge");
            requireChallenge(challenge);
            challengeHash = hashed.hashOf(challenge);
        }
        boolean suspended = before.suspended();
        if (in.hasNonNull("suspend")) {
            suspended = in.get("suspend").booleanValue();
        }
        long now = now();
        BotStore.update(tx, new BotRecord(before.botId(), before.networkId(), before.username(), before.uname(),
                displayName, groupId, challengeHash, before.status(), suspended, before.pubkey(), before.lastLoginAt(),
                before.createdAt(), now));
        // Ending sessions at once is what makes suspension and a password change take effect
        // for a bot that is already signed in.
        if (suspended && !before.suspended()) {
            BotSessionStore.endAll(tx, before.botId(), SUSPENDED_REASON, now);
        } else if (!challengeHash.equals(before.challengeHash())) {
            BotSessionStore.endAll(tx, before.botId(), CHALLENGE_CHANGED_REASON, now);
        }
        return Json.message("success"); // AWS examples UpdateBot#1, DeleteBot#1
    }

    private ObjectNode delete(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        BotRecord bot = require(tx, network.networkId(), Json.text(in, "botId"));
        BotStore.delete(tx, network.networkId(), bot.botId());
        return Json.message("success"); // AWS examples UpdateBot#1, DeleteBot#1
    }

    private ObjectNode list(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        Integer status = in.hasNonNull("status") ? in.get("status").asInt() : null;
        if (status != null && status != BotRecord.PENDING && status != BotRecord.ACTIVE) {
            throw ServiceException.invalid("status", "must be 1 (pending) or 2 (active)");
        }
        BotFilter filter = new BotFilter(Json.text(in, "username"), Json.text(in, "displayName"), status,
                Json.text(in, "groupId"));
        Listing listing = Listing.of(in, BOT_SORT, List.of(SortColumn.BOT_USERNAME), SortColumn.BOT_ID,
                "ListBots|" + network.networkId() + "|" + Json.canonical(Json.MAPPER.valueToTree(filter)));
        Page<BotRecord> page = BotStore.page(tx, network.networkId(), filter, listing.request());
        return listing.answer("bots", page, BotOperations::view);
    }

    private ObjectNode count(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        long[] counts = BotStore.counts(tx, network.networkId());
        ObjectNode out = Json.object();
        out.put("pending", counts[0]);
        out.put("active", counts[1]);
        out.put("total", counts[2]);
        return out;
    }

    /**
     * The step before LocalBotSignIn: reads the bot's stored hash in a short transaction and verifies the
     * password against it with none open. A wrong password is refused here; a right one answers the hash
     * it was verified against, for the step inside to check it is still the bot's.
     */
    private static String verifyPassword(OperationHandler.Reads reads, Call call, ObjectNode in) {
        BotRecord bot = reads.read(tx -> require(tx, Networks.require(tx, call, Json.text(in, "networkId"))
                .networkId(), Json.text(in, "botId")));
        if (!PasswordHash.verifiable(bot.challengeHash())) {
            throw ServiceException.forbidden("Bot " + bot.botId() + " could not sign in: its stored password hash"
                    + " asks for more than " + PasswordHash.MAX_ITERATIONS + " PBKDF2 iterations; set a new password"
                    + " with UpdateBot");
        }
        if (!PasswordHash.matches(bot.challengeHash(), Json.text(in, "challenge"))) {
            throw ServiceException.forbidden("Bot " + bot.botId() + " could not sign in: wrong password");
        }
        return bot.challengeHash();
    }

    /**
     * The password was checked before (see {@link #verifyPassword}), and before the suspension, so only a
     * caller who knows it learns that the bot is suspended.
     */
    private ObjectNode signIn(Tx tx, Call call, ObjectNode in, String verifiedHash) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        BotRecord bot = require(tx, network.networkId(), Json.text(in, "botId"));
        if (!verifiedHash.equals(bot.challengeHash())) {
            throw new OperationHandler.StaleWork(ServiceException.forbidden("Bot " + bot.botId() + " could not sign"
                    + " in: its password was changed while the sign-in was being checked; sign in again"));
        }
        if (bot.suspended()) {
            throw ServiceException.forbidden("Bot " + bot.botId() + " is suspended and cannot access network "
                    + network.networkId() + " until an administrator unsuspends it");
        }
        long now = now();
        BotStore.update(tx, new BotRecord(bot.botId(), bot.networkId(), bot.username(), bot.uname(),
                bot.displayName(), bot.groupId(), bot.challengeHash(), BotRecord.ACTIVE, false,
                bot.pubkey() != null ? bot.pubkey() : newPubkey(), now, bot.createdAt(), now));
        String sessionId = Ids.token(32);
        BotSessionStore.start(tx, new BotSessionRecord(sessionId, network.networkId(), bot.botId(), now, null));
        ObjectNode out = Json.object();
        out.put("sessionId", sessionId);
        return out;
    }

    /** The Bot shape of the contract, also the answer of GetBot. */
    static ObjectNode view(BotRecord b) {
        ObjectNode out = Json.object();
        out.put("botId", Long.toString(b.botId()));
        out.put("displayName", b.displayName());
        out.put("username", b.username());
        out.put("uname", b.uname());
        if (b.pubkey() != null) {
            out.put("pubkey", b.pubkey());
        }
        out.put("status", b.status());
        out.put("groupId", b.groupId());
        out.put("hasChallenge", b.challengeHash() != null);
        out.put("suspended", b.suspended());
        if (b.lastLoginAt() != null) {
            // Epoch seconds as text, as AWS examples GetBot#1 and ListBots#1 show it.
            out.put("lastLogin", Long.toString(b.lastLoginAt()));
        }
        return out;
    }

    private static BotRecord require(Tx tx, String networkId, String botId) {
        return BotStore.find(tx, networkId, Long.parseLong(botId))
                .orElseThrow(() -> ServiceException.notFound(BOT_NOT_FOUND));
    }

    private static void requireGroup(Tx tx, String networkId, String groupId) {
        if (groupId == null || groupId.isBlank() || GroupStore.existing(tx, networkId, Set.of(groupId)).isEmpty()) {
            throw ServiceException.invalid("groupId", BotRules.groupMissing(networkId, groupId));
        }
    }

    private static void requireChallenge(String challenge) {
        String problem = BotRules.challengeProblem(challenge);
        if (problem != null) {
            throw ServiceException.invalid("challenge", problem);
        }
    }

    private static void requireDisplayName(String displayName) {
        String problem = BotRules.displayNameProblem(displayName);
        if (problem != null) {
            throw ServiceException.invalid("displayName", problem);
        }
    }

    /** A stand-in for the public key a real bot client would publish when it first signs in. */
    private static String newPubkey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
