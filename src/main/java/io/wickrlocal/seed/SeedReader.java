package io.wickrlocal.seed;

import com.fasterxml.jackson.databind.JsonNode;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the seed format from a located tree: known fields only (a typo is an error, not a silent
 * default), the right JSON type for each, and no item declared twice. Values are checked later,
 * by the operations that create them.
 */
final class SeedReader {
    static final String DEFAULT_ACCOUNT = "000000000000";
    static final String DEFAULT_REGION = "us-east-1";
    static final String DEFAULT_ACCESS_LEVEL = "STANDARD";

    private static final Set<String> ROOT = Set.of("accounts", "networks");
    private static final Set<String> ACCOUNT = Set.of("accountId", "region", "networks");
    private static final Set<String> NETWORK = Set.of("name", "accessLevel", "encryptionKeyArn", "securityGroups",
            "users", "bots");
    private static final Set<String> GROUP = Set.of("name", "settings");
    private static final Set<String> USER = Set.of("username", "firstName", "lastName", "groups", "suspended");
    private static final Set<String> BOT = Set.of("username", "displayName", "group", "password");

    private final LocatedTree tree;
    private final String defaultAccount;
    private final String defaultRegion;

    SeedReader(LocatedTree tree) {
        this(tree, DEFAULT_ACCOUNT, DEFAULT_REGION);
    }

    /** A reader that puts the top-level {@code networks} in the given account and region. */
    SeedReader(LocatedTree tree, String defaultAccount, String defaultRegion) {
        this.tree = tree;
        this.defaultAccount = defaultAccount;
        this.defaultRegion = defaultRegion;
    }

    List<SeedModel.Account> read() {
        JsonNode root = tree.root;
        object("", root, ROOT);
        List<SeedModel.Account> accounts = new ArrayList<>();
        Set<String> partitions = new HashSet<>();
        if (root.has("networks")) {
            accounts.add(new SeedModel.Account("", defaultAccount, defaultRegion, networks("networks", root)));
            partitions.add(defaultAccount + "/" + defaultRegion);
        }
        List<JsonNode> items = list("accounts", root);
        for (int i = 0; i < items.size(); i++) {
            String path = "accounts[" + i + "]";
            JsonNode a = items.get(i);
            object(path, a, ACCOUNT);
            String accountId = string(path, a, "accountId", true);
            if (!accountId.matches("[0-9]{12}")) {
                throw tree.error(path + ".accountId", "must be 12 digits, written as a string (\"000000000000\")");
            }
            String region = string(path, a, "region", false);
            region = region == null ? DEFAULT_REGION : region;
            if (!SigV4Verifier.isRegionName(region)) {
                throw tree.error(path + ".region", "must be a region name such as us-east-1 (1 to 32 lower-case"
                        + " letters, digits or hyphens)");
            }
            if (!partitions.add(accountId + "/" + region)) {
                throw tree.error(path, "declares account " + accountId + " in " + region + " a second time");
            }
            accounts.add(new SeedModel.Account(path, accountId, region, networks(path + ".networks", a)));
        }
        return accounts;
    }

    private List<SeedModel.Network> networks(String path, JsonNode owner) {
        List<SeedModel.Network> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<JsonNode> items = list(path, owner);
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode n = items.get(i);
            object(at, n, NETWORK);
            String name = string(at, n, "name", true);
            if (!names.add(name)) {
                throw tree.error(at + ".name", "declares network '" + name + "' a second time");
            }
            String level = string(at, n, "accessLevel", false);
            out.add(new SeedModel.Network(at, name, level == null ? DEFAULT_ACCESS_LEVEL : level,
                    string(at, n, "encryptionKeyArn", false), groups(at + ".securityGroups", n),
                    users(at + ".users", n), bots(at + ".bots", n)));
        }
        return out;
    }

    private List<SeedModel.Group> groups(String path, JsonNode network) {
        List<SeedModel.Group> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<JsonNode> items = list(path, network);
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode g = items.get(i);
            object(at, g, GROUP);
            String name = string(at, g, "name", true);
            if (!names.add(name.strip().toLowerCase(Locale.ROOT))) {
                throw tree.error(at + ".name", "declares security group '" + name + "' a second time"
                        + " (names are compared ignoring case)");
            }
            JsonNode settings = g.get("settings");
            if (settings != null && !settings.isNull()) {
                object(at + ".settings", settings, null);
            }
            out.add(new SeedModel.Group(at, name, settings == null || settings.isNull() ? null : settings));
        }
        return out;
    }

    private List<SeedModel.User> users(String path, JsonNode network) {
        List<SeedModel.User> out = new ArrayList<>();
        List<JsonNode> items = list(path, network);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode u = items.get(i);
            object(at, u, USER);
            String username = string(at, u, "username", true);
            if (!names.add(username.strip().toLowerCase(Locale.ROOT))) {
                throw tree.error(at + ".username", "declares user '" + username + "' a second time"
                        + " (usernames are compared ignoring case)");
            }
            List<String> groups = new ArrayList<>();
            List<JsonNode> names0 = list(at + ".groups", u);
            for (int g = 0; g < names0.size(); g++) {
                if (!names0.get(g).isTextual()) {
                    throw tree.error(at + ".groups[" + g + "]", "must be the name of a security group (a string)");
                }
                groups.add(names0.get(g).textValue());
            }
            out.add(new SeedModel.User(at, username, string(at, u, "firstName", false),
                    string(at, u, "lastName", false), groups, bool(at, u, "suspended")));
        }
        return out;
    }

    private List<SeedModel.Bot> bots(String path, JsonNode network) {
        List<SeedModel.Bot> out = new ArrayList<>();
        List<JsonNode> items = list(path, network);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode b = items.get(i);
            object(at, b, BOT);
            String username = string(at, b, "username", true);
            if (!names.add(username.strip().toLowerCase(Locale.ROOT))) {
                throw tree.error(at + ".username", "declares bot '" + username + "' a second time");
            }
            out.add(new SeedModel.Bot(at, username, string(at, b, "displayName", false),
                    string(at, b, "group", false), string(at, b, "password", true)));
        }
        return out;
    }

    /** Checks the value is an object with only the allowed fields (any field when allowed is null). */
    private void object(String path, JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            throw tree.error(path, "must be " + (path.isEmpty() ? "a document with networks or accounts"
                    : "an object (a mapping of fields)"));
        }
        if (allowed == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                throw tree.nameError(field, "unknown field '" + e.getKey() + "'; expected one of "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    private List<JsonNode> list(String path, JsonNode owner) {
        String member = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = owner.get(member);
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw tree.error(path, "must be a list");
        }
        v.forEach(out::add);
        return out;
    }

    private String string(String path, JsonNode owner, String member, boolean required) {
        String field = path.isEmpty() ? member : path + "." + member;
        JsonNode v = owner.get(member);
        if (v == null || v.isNull()) {
            if (required) {
                throw tree.error(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw tree.error(field, "must be a string" + (v.isNumber() ? " (quote it: \"" + v.asText() + "\")" : ""));
        }
        return v.textValue();
    }

    private boolean bool(String path, JsonNode owner, String member) {
        JsonNode v = owner.get(member);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw tree.error(path + "." + member, "must be true or false");
        }
        return v.booleanValue();
    }
}
