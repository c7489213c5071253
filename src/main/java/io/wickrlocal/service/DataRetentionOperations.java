package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.DataRetentionBotRecord;
import io.wickrlocal.store.DataRetentionBotStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.Map;

/**
 * The data retention bot: at most one per network, moving through created → challenge issued →
 * registered (it signed in through /_local with its current challenge) → service enabled or
 * disabled, with the public key message acknowledged once it is registered.
 */
final class DataRetentionOperations {
    static final int CHALLENGE_LENGTH = 32;
    /** UpdateDataRetention's refusal without a registered bot (live #49: SMonaghan/terraform-provider-aws). */
    static final String NOT_REGISTERED = "Data retention bot not found or not registered";

    private final Clock clock;

    DataRetentionOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("CreateDataRetentionBot", this::create));
        // Hashing and verifying passwords are slow on purpose: they run before the transaction.
        into.add(OperationDescriptor.change("CreateDataRetentionBotChallenge", OperationHandler.withWorkBefore(
                (reads, call, in) -> PasswordHash.NewHash.of(Ids.token(CHALLENGE_LENGTH)), this::challenge)));
        into.add(OperationDescriptor.read("GetDataRetentionBot", this::get));
        into.add(OperationDescriptor.change("UpdateDataRetention", this::update));
        into.add(OperationDescriptor.change("DeleteDataRetentionBot", this::delete));
        into.add(OperationDescriptor.change("LocalDataRetentionBotSignIn", OperationHandler.withWorkBefore(
                DataRetentionOperations::verifyChallenge, this::signIn)).local());
    }

    /** The username the network's data retention bot gets; no other bot may take it. */
    static String botName(String networkId) {
        return "compliance_" + networkId + "_bot";
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private ObjectNode create(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        // Live #46 (SMonaghan/terraform-provider-aws data_retention_bot_test.go): only PREMIUM networks
        // (free trials included) may have one. The error kind is our choice; the live record has the text.
        if (!"PREMIUM".equals(network.accessLevel())) {
            throw ServiceException.forbidden("Action not permitted with current access level");
        }
        // AWS example CreateDataRetentionBot#2: the service's answer when the bot's account already exists.
        if (DataRetentionBotStore.find(tx, network.networkId()).isPresent()) {
            throw ServiceException.badRequest("Users already exist in this network.");
        }
        long now = now();
        String name = botName(network.networkId());
        DataRetentionBotStore.insert(tx, new DataRetentionBotRecord(network.networkId(), name, null, false, false,
                false, null, now, now));
        return Json.message("successfully provisioned data retention bot");
    }

    /**
     * Each call replaces the password: only the newest one signs the bot in. The new password and its
     * hash were made before the transaction.
     */
    private ObjectNode challenge(Tx tx, Call call, ObjectNode in, PasswordHash.NewHash fresh) {
        DataRetentionBotRecord bot = require(tx, call, in);
        DataRetentionBotStore.update(tx, new DataRetentionBotRecord(bot.networkId(), bot.botName(),
                fresh.hash(), bot.registered(), bot.serviceEnabled(), bot.pubkeyAcked(),
                bot.lastLoginAt(), bot.createdAt(), now()));
        ObjectNode out = Json.object();
        out.put("challenge", fresh.password());
        return out;
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        var found = DataRetentionBotStore.find(tx, network.networkId());
        ObjectNode out = Json.object();
        // The name the bot has, or would have once created (AWS example GetDataRetentionBot#2).
        out.put("botName", botName(network.networkId()));
        out.put("botExists", found.isPresent());
        out.put("isBotActive", found.map(DataRetentionBotRecord::registered).orElse(false));
        out.put("isDataRetentionBotRegistered", found.map(DataRetentionBotRecord::registered).orElse(false));
        out.put("isDataRetentionServiceEnabled", found.map(DataRetentionBotRecord::serviceEnabled).orElse(false));
        out.put("isPubkeyMsgAcked", found.map(DataRetentionBotRecord::pubkeyAcked).orElse(false));
        return out;
    }

    /**
     * Every action needs the bot registered (live #49); a repeat succeeds with the same message. The
     * messages are AWS examples UpdateDataRetention#1-#3.
     */
    private ObjectNode update(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        String action = Json.text(in, "actionType");
        if (!"ENABLE".equals(action) && !"DISABLE".equals(action) && !"PUBKEY_MSG_ACK".equals(action)) {
            throw ServiceException.invalid("actionType", "must be ENABLE, DISABLE or PUBKEY_MSG_ACK");
        }
        DataRetentionBotRecord bot = DataRetentionBotStore.find(tx, network.networkId())
                .orElseThrow(() -> ServiceException.notFound(NOT_REGISTERED));
        if (!bot.registered()) {
            throw ServiceException.badRequest(NOT_REGISTERED);
        }
        boolean enabled = bot.serviceEnabled();
        boolean acked = bot.pubkeyAcked();
        String message;
        switch (action) {
            case "ENABLE" -> {
                message = "data retention service enabled";
                enabled = true;
            }
            case "DISABLE" -> {
                message = "data retention service disabled";
                enabled = false;
            }
            default -> {
                message = "pubkey message was acknowledged";
                acked = true;
            }
        }
        DataRetentionBotStore.update(tx, new DataRetentionBotRecord(bot.networkId(), bot.botName(), bot.challengeHash(),
                bot.registered(), enabled, acked, bot.lastLoginAt(), bot.createdAt(), now()));
        return Json.message(message);
    }

    private ObjectNode delete(Tx tx, Call call, ObjectNode in) {
        DataRetentionBotRecord bot = require(tx, call, in);
        DataRetentionBotStore.delete(tx, bot.networkId());
        return Json.message("deleted data retention bot and all associated data from the database");
    }

    /**
     * The step before LocalDataRetentionBotSignIn: reads the stored hash in a short transaction and
     * verifies the challenge against it with none open; answers the hash it was verified against.
     */
    private static String verifyChallenge(OperationHandler.Reads reads, Call call, ObjectNode in) {
        DataRetentionBotRecord bot = reads.read(tx -> require(tx, call, in));
        if (bot.challengeHash() == null) {
            throw ServiceException.forbidden("Data retention bot " + bot.botName()
                    + " has no challenge yet; create one with CreateDataRetentionBotChallenge");
        }
        if (!PasswordHash.verifiable(bot.challengeHash())) {
            throw ServiceException.forbidden("Data retention bot " + bot.botName() + " could not sign in: its stored"
                    + " challenge hash asks for more than " + PasswordHash.MAX_ITERATIONS + " PBKDF2 iterations;"
                    + " create a new challenge with CreateDataRetentionBotChallenge");
        }
        if (!PasswordHash.matches(bot.challengeHash(), Json.text(in, "challenge"))) {
            throw ServiceException.forbidden("Data retention bot " + bot.botName()
                    + " could not sign in: the challenge is wrong or was replaced by a newer one");
        }
        return bot.challengeHash();
    }

    private ObjectNode signIn(Tx tx, Call call, ObjectNode in, String verifiedHash) {
        DataRetentionBotRecord bot = require(tx, call, in);
        if (!verifiedHash.equals(bot.challengeHash())) {
            throw new OperationHandler.StaleWork(ServiceException.forbidden("Data retention bot " + bot.botName()
                    + " could not sign in: its challenge was replaced while the sign-in was being checked; sign in"
                    + " with the newest challenge"));
        }
        long now = now();
        DataRetentionBotStore.update(tx, new DataRetentionBotRecord(bot.networkId(), bot.botName(), bot.challengeHash(),
                true, bot.serviceEnabled(), bot.pubkeyAcked(), now, bot.createdAt(), now));
        ObjectNode out = Json.object();
        out.put("sessionId", Ids.token(32));
        return out;
    }

    private static DataRetentionBotRecord require(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        return DataRetentionBotStore.find(tx, network.networkId()).orElseThrow(() -> ServiceException.notFound(
                "Network " + network.networkId() + " has no data retention bot; create one first"));
    }
}
