package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A network with something in every table, made through the operations: groups with custom
 * settings, pending, active and suspended users with devices and sessions, an active and a
 * suspended bot, a registered data retention bot, guests (one blocked), changed settings, SSO
 * with a client secret, OpenTDF, and a client token. And every read of the API over an account,
 * to compare two servers.
 */
final class RichState {
    static final String BOT_PASSWORD = "Bot-password-1";

    private RichState() {}

    static ObjectNode in(String networkId) {
        ObjectNode in = Json.object();
        if (networkId != null) {
            in.put("networkId", networkId);
        }
        return in;
    }

    /** Builds the network in the caller's account and region; returns its id. */
    static String populate(ServiceFixture f, Call call, String tag) {
        ObjectNode create = in(null);
        create.put("networkName", "rich-" + tag);
        create.put("accessLevel", "PREMIUM");
        create.put("enablePremiumFreeTrial", true);
        create.put("encryptionKeyArn", "arn:aws:kms:us-east-1:111122223333:key/abcd-" + tag);
        String net = f.invoke("CreateNetwork", call, create).get("networkId").asText();
        f.clock.advance(Duration.ofMinutes(1));
        String def = null;
        for (JsonNode g : f.invoke("ListSecurityGroups", call, in(net)).get("securityGroups")) {
            def = g.get("id").asText();
        }
        ObjectNode group = in(net);
        group.put("name", "Responders");
        ObjectNode settings = group.putObject("securityGroupSettings");
        settings.put("federationMode", 1);
        settings.put("lockoutThreshold", 3);
        settings.putArray("permittedNetworks").add("12345678");
        settings.put("enableGuestFederation", true);
        String responders = f.invoke("CreateSecurityGroup", call, group).path("securityGroup").path("id").asText();
        f.clock.advance(Duration.ofMinutes(1));

        ObjectNode users = in(net);
        ArrayNode list = users.putArray("users");
        for (int i = 0; i < 4; i++) {
            ObjectNode u = list.addObject();
            u.put("username", "user" + i + "-" + tag + "@example.com");
            u.put("firstName", "First" + i);
            u.put("lastName", "Last" + i);
            ArrayNode groups = u.putArray("securityGroupIds");
            if (i != 2) {
                groups.add(def);
            }
            if (i >= 1) {
                groups.add(responders);
            }
        }
        ((ObjectNode) list.get(3)).put("inviteCode", "CUSTOM-" + tag);
        ((ObjectNode) list.get(3)).put("codeValidation", true);
        List<String> ids = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (JsonNode u : f.invoke("BatchCreateUser", call, users).get("successful")) {
            ids.add(u.get("userId").asText());
            codes.add(u.get("inviteCode").asText());
        }
        f.clock.advance(Duration.ofMinutes(1));
        signIn(f, call, net, ids.get(1), codes.get(1), "iOS");
        f.clock.advance(Duration.ofMinutes(1));
        String second = signIn(f, call, net, ids.get(1), null, "Android");
        ObjectNode reset = in(net);
        reset.put("userId", ids.get(1));
        reset.putArray("appIds").add(second);
        f.invoke("BatchResetDevicesForUser", call, reset);
        signIn(f, call, net, ids.get(2), codes.get(2), "Windows");
        f.clock.advance(Duration.ofMinutes(1));
        ObjectNode toggle = in(net);
        toggle.put("suspend", true);
        toggle.putArray("userIds").add(ids.get(2)).add(ids.get(0));
        toggle.put("clientToken", "tok-" + tag);
        f.service.invoke("BatchToggleUserSuspendStatus", call, toggle, "tok-" + tag, "clientToken");
        ObjectNode update = in(net);
        update.put("userId", ids.get(3));
        update.putObject("userDetails").put("firstName", "Renamed");
        f.invoke("UpdateUser", call, update);
        f.clock.advance(Duration.ofMinutes(1));

        ObjectNode bot = in(net);
        bot.put("username", "alert" + tag + "bot");
        bot.put("displayName", "Alerts");
        bot.put("groupId", responders);
        bot.put("challenge", BOT_PASSWORD);
        String botId = f.invoke("CreateBot", call, bot).get("botId").asText();
        ObjectNode botSignIn = in(net);
        botSignIn.put("botId", botId);
        botSignIn.put("challenge", BOT_PASSWORD);
        f.invoke("LocalBotSignIn", call, botSignIn);
        ObjectNode idle = in(net);
        idle.put("username", "idle" + tag + "bot");
        idle.put("groupId", def);
        idle.put("challenge", "Other-password-2");
        String idleId = f.invoke("CreateBot", call, idle).get("botId").asText();
        ObjectNode idleIn = in(net);
        idleIn.put("botId", idleId);
        idleIn.put("challenge", "Other-password-2");
        f.invoke("LocalBotSignIn", call, idleIn);
        f.clock.advance(Duration.ofMinutes(1));
        ObjectNode suspendBot = in(net);
        suspendBot.put("botId", idleId);
        suspendBot.put("suspend", true);
        f.invoke("UpdateBot", call, suspendBot);

        f.invoke("CreateDataRetentionBot", call, in(net));
        String challenge = f.invoke("CreateDataRetentionBotChallenge", call, in(net)).get("challenge").asText();
        ObjectNode drSignIn = in(net);
        drSignIn.put("challenge", challenge);
        f.invoke("LocalDataRetentionBotSignIn", call, drSignIn);
        for (String action : List.of("ENABLE", "PUBKEY_MSG_ACK")) {
            ObjectNode dr = in(net);
            dr.put("actionType", action);
            f.invoke("UpdateDataRetention", call, dr);
        }

        long now = f.clock.instant().getEpochSecond();
        guest(f, call, net, "guest-one@elsewhere.example", now - Duration.ofDays(40).toSeconds());
        guest(f, call, net, "Guest-One@elsewhere.example", now);
        String blocked = guest(f, call, net, "guest-two@elsewhere.example", now);
        ObjectNode block = in(net);
        block.put("usernameHash", blocked);
        block.put("block", true);
        f.invoke("UpdateGuestUser", call, block);

        ObjectNode net1 = in(net);
        ObjectNode s = net1.putObject("settings");
        s.put("enableClientMetrics", true);
        s.putObject("readReceiptConfig").put("status", "FORCE_ENABLED");
        f.invoke("UpdateNetworkSettings", call, net1);

        ObjectNode oidc = in(net);
        oidc.put("companyId", "UE1-acme-" + tag);
        oidc.put("issuer", "https://idp.example.com/realms/" + tag);
        oidc.put("scopes", "openid profile email");
        oidc.put("userId", "client-" + tag);
        oidc.put("secret", "oidc-secret-" + tag);
        oidc.put("customUsername", "email");
        oidc.put("ssoTokenBufferMinutes", 10);
        f.invoke("RegisterOidcConfig", call, oidc);
        ObjectNode tdf = in(net);
        tdf.put("clientId", "tdf-client");
        tdf.put("clientSecret", "tdf-secret-" + tag);
        tdf.put("domain", "tdf.example.com");
        tdf.put("provider", "Virtru");
        f.invoke("RegisterOpentdfConfig", call, tdf);
        f.clock.advance(Duration.ofMinutes(1));
        return net;
    }

    private static String signIn(ServiceFixture f, Call call, String net, String userId, String code, String type) {
        ObjectNode in = in(net);
        in.put("userId", userId);
        in.put("deviceType", type);
        if (code != null) {
            in.put("inviteCode", code);
        }
        return f.invoke("LocalSignIn", call, in).get("deviceId").asText();
    }

    private static String guest(ServiceFixture f, Call call, String net, String username, long at) {
        ObjectNode in = in(net);
        in.put("username", username);
        in.put("time", at);
        return f.invoke("LocalRecordGuestActivity", call, in).get("usernameHash").asText();
    }

    /** Every read the API offers over the caller's account and region, keyed by what was asked. */
    static Map<String, String> reads(ServiceFixture f, Call call) {
        Map<String, String> out = new TreeMap<>();
        ObjectNode page = in(null);
        page.put("maxResults", 100);
        JsonNode networks = read(f, call, out, "ListNetworks", page);
        for (JsonNode n : networks.path("networks")) {
            String net = n.get("networkId").asText();
            read(f, call, out, "GetNetwork", in(net));
            ObjectNode p = in(net);
            p.put("maxResults", 100);
            for (JsonNode g : read(f, call, out, "ListSecurityGroups", p).path("securityGroups")) {
                ObjectNode q = in(net);
                q.put("groupId", g.get("id").asText());
                read(f, call, out, "GetSecurityGroup", q);
                q.put("maxResults", 100);
                read(f, call, out, "ListSecurityGroupUsers", q);
            }
            ObjectNode unames = in(net);
            ArrayNode names = unames.putArray("unames");
            for (JsonNode u : read(f, call, out, "ListUsers", p).path("users")) {
                ObjectNode q = in(net);
                q.put("userId", u.get("userId").asText());
                read(f, call, out, "GetUser", q);
                read(f, call, out, "LocalListSessions", q);
                q.put("maxResults", 100);
                read(f, call, out, "ListDevicesForUser", q);
                names.add(Users.uname(u.get("username").asText()));
            }
            if (!names.isEmpty()) {
                read(f, call, out, "BatchLookupUserUname", unames);
            }
            read(f, call, out, "GetUsersCount", in(net));
            for (JsonNode b : read(f, call, out, "ListBots", p).path("bots")) {
                ObjectNode q = in(net);
                q.put("botId", b.get("botId").asText());
                read(f, call, out, "GetBot", q);
            }
            for (String op : List.of("GetBotsCount", "GetDataRetentionBot", "GetGuestUserHistoryCount",
                    "GetNetworkSettings", "GetOidcInfo", "GetOpentdfConfig")) {
                read(f, call, out, op, in(net));
            }
            read(f, call, out, "ListGuestUsers", p);
            read(f, call, out, "ListBlockedGuestUsers", p);
        }
        return out;
    }

    private static JsonNode read(ServiceFixture f, Call call, Map<String, String> out, String op, ObjectNode in) {
        String key = op + " " + Json.canonical(in);
        try {
            JsonNode answer = f.invoke(op, call, in);
            out.put(key, Json.canonical(answer));
            return answer;
        } catch (ServiceException e) {
            out.put(key, e.kind() + ": " + e.getMessage());
            return Json.object();
        }
    }
}
