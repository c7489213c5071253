package io.wickrlocal.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.InputValidator;
import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.service.Call;
import io.wickrlocal.service.FieldProblem;
import io.wickrlocal.service.Json;
import io.wickrlocal.service.ServiceException;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.BotStore;
import io.wickrlocal.store.GroupRecord;
import io.wickrlocal.store.GroupStore;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.SnapshotStore;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.UserStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies a read seed in one transaction, through the operations themselves: every item that is
 * missing is created by CreateNetwork, CreateSecurityGroup (and UpdateSecurityGroup for the settings
 * only it takes), BatchCreateUser (and
 * BatchToggleUserSuspendStatus), CreateBot, with its input checked against the contract first, so
 * a seed meets exactly the rules an API call meets. Items are found by natural key (a network by
 * its exact name in its account and region, a group by name ignoring case, a user or bot by
 * username ignoring case); one that exists is left as it is.
 */
final class SeedApplier {
    /** Group settings the contract lets UpdateSecurityGroup set but not CreateSecurityGroup. */
    static final List<String> UPDATE_ONLY_SETTINGS = List.of("maxNonSsoSessionMinutes");

    private final WickrService service;
    private final ServiceContract contract;
    private final LocatedTree tree;
    private final String source;

    private int networks;
    private int groups;
    private int users;
    private int bots;
    private int present;
    /** CreateBot's work before the transaction, done for each bot of the seed (by identity: two may be alike). */
    private final Map<SeedModel.Bot, WickrService.Prepared> hashed = new IdentityHashMap<>();

    SeedApplier(WickrService service, ServiceContract contract, LocatedTree tree, String source) {
        this.service = service;
        this.contract = contract;
        this.tree = tree;
        this.source = source;
    }

    SeedResult apply(List<SeedModel.Account> accounts) {
        // CreateBot hashes the password, which takes a while on purpose: for every bot of the seed it is done
        // here, before the transaction (a bot found to exist already just leaves its hash unused).
        for (SeedModel.Account a : accounts) {
            Call call = new Call(a.accountId(), a.region(), "seed", "seed " + source);
            for (SeedModel.Network n : a.networks()) {
                for (SeedModel.Bot b : n.bots()) {
                    hashed.put(b, service.prepare("CreateBot", call, botInput(b)));
                }
            }
        }
        return service.transaction(tx -> {
            // The store may run the transaction again after a conflict: count from zero each time.
            networks = groups = users = bots = present = 0;
            for (SeedModel.Account a : accounts) {
                Call call = new Call(a.accountId(), a.region(), "seed", "seed " + source);
                for (SeedModel.Network n : a.networks()) {
                    network(tx, call, n);
                }
            }
            return new SeedResult(source, networks, groups, users, bots, present);
        });
    }

    private void network(Tx tx, Call call, SeedModel.Network n) {
        List<NetworkRecord> named = SnapshotStore.networks(tx, call.accountId()).stream()
                .filter(r -> r.region().equals(call.region()) && r.name().equals(n.name())).toList();
        if (named.size() > 1) {
            throw tree.error(n.path() + ".name", named.size() + " networks named '" + n.name() + "' exist in account "
                    + call.accountId() + " (" + call.region() + "); the seed cannot tell which one it declares");
        }
        String networkId;
        if (named.isEmpty()) {
            ObjectNode in = Json.object();
            in.put("networkName", n.name());
            in.put("accessLevel", n.accessLevel());
            if (n.encryptionKeyArn() != null) {
                in.put("encryptionKeyArn", n.encryptionKeyArn());
            }
            networkId = invoke(tx, call, "CreateNetwork", in, Map.of("networkName", n.path() + ".name",
                    "accessLevel", n.path() + ".accessLevel", "encryptionKeyArn", n.path() + ".encryptionKeyArn"),
                    n.path()).get("networkId").asText();
            networks++;
        } else {
            networkId = named.get(0).networkId();
            present++;
        }
        Map<String, String> groupIds = new HashMap<>();
        List<GroupRecord> existing = GroupStore.all(tx, networkId);
        for (GroupRecord g : existing) {
            groupIds.put(key(g.name()), g.groupId());
        }
        String defaultGroup = existing.stream().filter(GroupRecord::isDefault)
                .map(GroupRecord::groupId).findFirst().orElseThrow();
        for (SeedModel.Group g : n.groups()) {
            if (groupIds.containsKey(key(g.name()))) {
                present++;
                continue;
            }
            ObjectNode in = Json.object();
            in.put("networkId", networkId);
            in.put("name", g.name());
            ObjectNode settings = g.settings() == null ? Json.object() : g.settings().deepCopy();
            // Settings CreateSecurityGroup does not take are set right after by UpdateSecurityGroup.
            ObjectNode later = Json.object();
            for (String name : UPDATE_ONLY_SETTINGS) {
                JsonNode value = settings.remove(name);
                if (value != null) {
                    later.set(name, value);
                }
            }
            in.set("securityGroupSettings", settings);
            JsonNode created = invoke(tx, call, "CreateSecurityGroup", in, Map.of("name", g.path() + ".name",
                    "securityGroupSettings", g.path() + ".settings"), g.path());
            String groupId = created.path("securityGroup").path("id").asText();
            if (!later.isEmpty()) {
                ObjectNode update = Json.object();
                update.put("networkId", networkId);
                update.put("groupId", groupId);
                update.set("securityGroupSettings", later);
                invoke(tx, call, "UpdateSecurityGroup", update, Map.of("securityGroupSettings", g.path() + ".settings"),
                        g.path());
            }
            groupIds.put(key(g.name()), groupId);
            groups++;
        }
        for (SeedModel.User u : n.users()) {
            user(tx, call, networkId, u, groupIds, defaultGroup);
        }
        for (SeedModel.Bot b : n.bots()) {
            bot(tx, call, networkId, b, groupIds, defaultGroup);
        }
    }

    private void user(Tx tx, Call call, String networkId, SeedModel.User u, Map<String, String> groupIds,
                      String defaultGroup) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < u.groups().size(); i++) {
            ids.add(group(groupIds, u.groups().get(i), u.path() + ".groups[" + i + "]"));
        }
        if (ids.isEmpty()) {
            ids.add(defaultGroup);
        }
        if (UserStore.findByUsername(tx, networkId, u.username().strip()).isPresent()) {
            present++;
            return;
        }
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        ObjectNode item = in.putArray("users").addObject();
        item.put("username", u.username());
        if (u.firstName() != null) {
            item.put("firstName", u.firstName());
        }
        if (u.lastName() != null) {
            item.put("lastName", u.lastName());
        }
        ArrayNode list = item.putArray("securityGroupIds");
        ids.forEach(list::add);
        Map<String, String> fields = Map.of("users[0].username", u.path() + ".username",
                "users[0].firstName", u.path() + ".firstName", "users[0].lastName", u.path() + ".lastName",
                "users[0].securityGroupIds", u.path() + ".groups", "users", u.path(),
                // A failed item of BatchCreateUser names the member alone (AWS example BatchCreateUser#2).
                "username", u.path() + ".username", "firstName", u.path() + ".firstName",
                "lastName", u.path() + ".lastName", "securityGroupIds", u.path() + ".groups");
        ObjectNode out = invoke(tx, call, "BatchCreateUser", in, fields, u.path());
        JsonNode failed = out.path("failed");
        if (failed.size() > 0) {
            JsonNode f = failed.get(0);
            throw problem(new FieldProblem(f.path("field").asText(), f.path("reason").asText()), fields, u.path());
        }
        users++;
        if (u.suspended()) {
            ObjectNode toggle = Json.object();
            toggle.put("networkId", networkId);
            toggle.put("suspend", true);
            toggle.putArray("userIds").add(out.path("successful").get(0).path("userId").asText());
            invoke(tx, call, "BatchToggleUserSuspendStatus", toggle, Map.of(), u.path() + ".suspended");
        }
    }

    private void bot(Tx tx, Call call, String networkId, SeedModel.Bot b, Map<String, String> groupIds,
                     String defaultGroup) {
        String groupId = b.group() == null ? defaultGroup : group(groupIds, b.group(), b.path() + ".group");
        if (BotStore.findByUsername(tx, networkId, b.username().strip()).isPresent()) {
            present++;
            return;
        }
        ObjectNode in = botInput(b);
        in.put("networkId", networkId);
        in.put("groupId", groupId);
        invoke(tx, call, "CreateBot", in, Map.of("username", b.path() + ".username", "displayName",
                b.path() + ".displayName", "groupId", b.path() + ".group", "challenge", b.path() + ".password"),
                b.path() + ".username", hashed.get(b));
        bots++;
    }

    /** CreateBot's input for the bot, but its network and group, which are known only in the transaction. */
    private static ObjectNode botInput(SeedModel.Bot b) {
        ObjectNode in = Json.object();
        in.put("username", b.username());
        if (b.displayName() != null) {
            in.put("displayName", b.displayName());
        }
        in.put("challenge", b.password());
        return in;
    }

    private String group(Map<String, String> groupIds, String name, String path) {
        String id = groupIds.get(key(name));
        if (id == null) {
            throw tree.error(path, "no security group named '" + name + "' in this network; declare it under"
                    + " securityGroups (every network also has its default group)");
        }
        return id;
    }

    /**
     * Runs one operation inside the seed's transaction after checking its input against the
     * contract, as a request would be; a problem is reported at the seed field it came from.
     *
     * @param fields  operation input member paths and the seed fields they were taken from
     * @param subject the seed field to blame for a problem that names no member
     */
    private ObjectNode invoke(Tx tx, Call call, String operation, ObjectNode input, Map<String, String> fields,
                              String subject) {
        return invoke(tx, call, operation, input, fields, subject, null);
    }

    /** @param prepared the operation's work before the transaction, done by {@link WickrService#prepare} */
    private ObjectNode invoke(Tx tx, Call call, String operation, ObjectNode input, Map<String, String> fields,
                              String subject, WickrService.Prepared prepared) {
        Operation op = contract.operation(operation);
        List<FieldProblem> problems = InputValidator.validate(op.input(), input);
        if (!problems.isEmpty()) {
            throw problem(problems.get(0), fields, subject);
        }
        try {
            return service.invokeWithin(tx, operation, call, input, prepared);
        } catch (ServiceException e) {
            if (!e.problems().isEmpty()) {
                throw problem(e.problems().get(0), fields, subject);
            }
            throw tree.error(subject, e.getMessage());
        }
    }

    private SeedException problem(FieldProblem p, Map<String, String> fields, String subject) {
        String field = p.field();
        String best = fields.keySet().stream()
                .filter(k -> field.equals(k) || field.startsWith(k + ".") || field.startsWith(k + "["))
                .max(Comparator.comparingInt(String::length)).orElse(null);
        String at = best == null ? subject : fields.get(best) + field.substring(best.length());
        return tree.error(at, p.reason());
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
