package io.wickrlocal.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.service.Call;
import io.wickrlocal.service.Json;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import io.wickrlocal.store.SqliteDatabase;
import io.wickrlocal.store.StateTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seed files: applied through the operations, idempotent, and exact about where an error is. */
class SeedTest {
    static final ServiceContract CONTRACT = ServiceContract.load();
    static final Call DEFAULT = new Call("000000000000", "us-east-1", "test", "t");
    static final Call OTHER = new Call("111111111111", "eu-west-1", "test", "t");

    /** The YAML seed example of docs/local-api.md ("Seed files"), as written there. */
    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of("docs/local-api.md"));
        int section = readme.indexOf("\n## Seed files\n");
        assertThat(section).isPositive();
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(section));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static ObjectNode in(String networkId) {
        ObjectNode in = Json.object();
        in.put("networkId", networkId);
        in.put("maxResults", 100);
        return in;
    }

    @EveryStore
    void theReadmeExampleAppliesOnceAndThenChangesNothing(Supplier<Database> store) throws Exception {
        try (Database db = store.get()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            Seed seed = Seed.parse(readmeExample(), "seed.yaml");
            SeedResult first = seed.applyTo(service, CONTRACT);
            assertThat(first).isEqualTo(new SeedResult("seed.yaml", 2, 1, 2, 1, 0));

            JsonNode networks = service.invoke("ListNetworks", DEFAULT, Json.object(), null, null).get("networks");
            assertThat(networks).hasSize(1);
            String net = networks.get(0).get("networkId").asText();
            assertThat(networks.get(0).get("networkName").asText()).isEqualTo("Incident drill");
            assertThat(networks.get(0).get("accessLevel").asText()).isEqualTo("PREMIUM");
            Map<String, JsonNode> users = new TreeMap<>();
            service.invoke("ListUsers", DEFAULT, in(net), null, null).get("users")
                    .forEach(u -> users.put(u.get("username").asText(), u));
            assertThat(users.keySet()).containsExactly("alice@example.com", "bob@example.com");
            assertThat(users.get("bob@example.com").get("suspended").asBoolean()).isTrue();
            assertThat(users.get("alice@example.com").get("suspended").asBoolean()).isFalse();
            assertThat(users.get("alice@example.com").get("firstName").asText()).isEqualTo("Alice");
            Map<String, String> groups = new TreeMap<>();
            service.invoke("ListSecurityGroups", DEFAULT, in(net), null, null).get("securityGroups")
                    .forEach(g -> groups.put(g.get("name").asText(), g.get("id").asText()));
            assertThat(groups.keySet()).containsExactlyInAnyOrder("default", "Responders");
            assertThat(groupsOf(service, net, users.get("alice@example.com")))
                    .containsExactly(groups.get("Responders"));
            assertThat(groupsOf(service, net, users.get("bob@example.com")))
                    .containsExactly(groups.get("default"));
            ObjectNode group = in(net);
            group.remove("maxResults");
            group.put("groupId", groups.get("Responders"));
            assertThat(service.invoke("GetSecurityGroup", DEFAULT, group, null, null)
                    .at("/securityGroup/securityGroupSettings/lockoutThreshold").asInt()).isEqualTo(5);
            JsonNode bot = service.invoke("ListBots", DEFAULT, in(net), null, null).get("bots").get(0);
            assertThat(bot.get("username").asText()).isEqualTo("alertbot");
            assertThat(bot.get("displayName").asText()).isEqualTo("Alert bot");
            assertThat(bot.get("groupId").asText()).isEqualTo(groups.get("Responders"));
            ObjectNode signIn = in(net);
            signIn.remove("maxResults");
            signIn.put("botId", bot.get("botId").asText());
            signIn.put("challenge", "Alert-bot-password-1");
            assertThat(service.invoke("LocalBotSignIn", DEFAULT, signIn, null, null).get("sessionId").asText())
                    .isNotBlank();
            assertThat(service.invoke("ListNetworks", OTHER, Json.object(), null, null).get("networks"))
                    .extracting(n -> n.get("networkName").asText()).containsExactly("Other team");

            Map<String, List<String>> before = rows(service);
            SeedResult again = Seed.parse(readmeExample(), "seed.yaml").applyTo(service, CONTRACT);
            assertThat(again.changed()).isFalse();
            assertThat(again.alreadyPresent()).isEqualTo(6);
            assertThat(rows(service)).isEqualTo(before);
        }
    }

    @Test
    void aChangedFileAddsWhatIsNewAndLeavesTheRest() {
        try (Database db = SqliteDatabase.inMemory()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            Seed.parse("{\"networks\": [{\"name\": \"Ops\", \"users\": [{\"username\": \"a@example.com\"}]}]}", "s.json")
                    .applyTo(service, CONTRACT);
            SeedResult second = Seed.parse("networks:\n  - name: Ops\n    accessLevel: PREMIUM\n    users:\n"
                    + "      - username: A@example.com\n      - username: b@example.com\n", "s.yaml")
                    .applyTo(service, CONTRACT);
            assertThat(second).isEqualTo(new SeedResult("s.yaml", 0, 0, 1, 0, 2));
            JsonNode network = service.invoke("ListNetworks", DEFAULT, Json.object(), null, null).get("networks").get(0);
            assertThat(network.get("accessLevel").asText()).as("an existing item is not changed").isEqualTo("STANDARD");
        }
    }

    @Test
    void twoNetworksOfTheSeedsNameAreAmbiguous() {
        try (Database db = SqliteDatabase.inMemory()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            for (int i = 0; i < 2; i++) {
                ObjectNode create = Json.object();
                create.put("networkName", "Ops");
                create.put("accessLevel", "STANDARD");
                service.invoke("CreateNetwork", DEFAULT, create, null, null);
            }
            assertThatThrownBy(() -> Seed.parse("networks:\n  - name: Ops\n", "s.yaml").applyTo(service, CONTRACT))
                    .hasMessage("s.yaml line 2, column 11: networks[0].name: 2 networks named 'Ops' exist in account"
                            + " 000000000000 (us-east-1); the seed cannot tell which one it declares");
        }
    }

    @Test
    void aGroupsSessionLimitIsSetThoughCreateSecurityGroupDoesNotTakeIt() {
        try (Database db = SqliteDatabase.inMemory()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            SeedResult result = Seed.parse("networks:\n  - name: Ops\n    securityGroups:\n      - name: Timed\n"
                    + "        settings:\n          lockoutThreshold: 12\n          maxNonSsoSessionMinutes: 90\n", "s.yaml")
                    .applyTo(service, CONTRACT);
            assertThat(result.changed()).isTrue();
            String net = service.invoke("ListNetworks", DEFAULT, Json.object(), null, null).at("/networks/0/networkId")
                    .asText();
            JsonNode timed = null;
            for (JsonNode g : service.invoke("ListSecurityGroups", DEFAULT, in(net), null, null).get("securityGroups")) {
                if (g.get("name").asText().equals("Timed")) {
                    timed = g.get("securityGroupSettings");
                }
            }
            assertThat(timed).isNotNull();
            // as a client receives it: shaped by the contract
            ObjectNode answer = Json.object();
            answer.putObject("securityGroup").set("securityGroupSettings", timed);
            timed = io.wickrlocal.protocol.contract.OutputShaper.shape(CONTRACT.operation("GetSecurityGroup").output(),
                    answer).at("/securityGroup/securityGroupSettings");
            assertThat(timed.path("maxNonSsoSessionMinutes").asInt()).isEqualTo(90);
            assertThat(timed.get("lockoutThreshold").asInt()).isEqualTo(12);
        }
    }

    static List<Object[]> badSeeds() {
        List<Object[]> cases = new ArrayList<>();
        // YAML
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    users:\n      - username: ok@example.com\n"
                + "      - username: \"\"\n",
                "s.yaml line 5, column 19: networks[0].users[1].username: username must not be empty"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: This name is far too long\n",
                "s.yaml line 2, column 11: networks[0].name: Network name must be between 1 and 20 characters"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    acessLevel: PREMIUM\n",
                "s.yaml line 3, column 5: networks[0].acessLevel: unknown field 'acessLevel'; expected one of"
                        + " accessLevel, bots, encryptionKeyArn, name, securityGroups, users"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    accessLevel: GOLD\n",
                "s.yaml line 3, column 18: networks[0].accessLevel: accessLevel must be one of STANDARD, PREMIUM"});
        cases.add(new Object[] {"s.yaml", "accounts:\n  - accountId: \"111111111111\"\n    region: US-East-1\n",
                "s.yaml line 3, column 13: accounts[0].region: must be a region name such as us-east-1 (1 to 32"
                        + " lower-case letters, digits or hyphens)"});
        cases.add(new Object[] {"s.yaml", "accounts:\n  - accountId: 111111111111\n",
                "s.yaml line 2, column 16: accounts[0].accountId: must be a string (quote it: \"111111111111\")"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    users:\n      - username: a@example.com\n"
                + "        groups: [Nobody]\n",
                "s.yaml line 5, column 18: networks[0].users[0].groups[0]: no security group named 'Nobody' in this"
                        + " network; declare it under securityGroups (every network also has its default group)"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    bots:\n      - username: helper\n"
                + "        password: pw-123456\n",
                "s.yaml line 4, column 19: networks[0].bots[0].username: Invalid username format"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    users:\n      - username: a@example.com\n"
                + "        suspended: yes please\n",
                "s.yaml line 5, column 20: networks[0].users[0].suspended: must be true or false"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    securityGroups:\n      - name: Team\n"
                + "        settings:\n          maxNonSsoSessionMinutes: 600000\n",
                "s.yaml line 6, column 36: networks[0].securityGroups[0].settings.maxNonSsoSessionMinutes:"
                        + " securityGroupSettings.maxNonSsoSessionMinutes must be between 0 and 525600"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    securityGroups:\n      - name: Team\n"
                + "        settings:\n          federationMode: 9\n",
                "s.yaml line 6, column 27: networks[0].securityGroups[0].settings.federationMode: securityGroupSettings.federationMode must be 1 (restricted)"
                        + " or 2 (global)"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n  - name: Ops\n",
                "s.yaml line 3, column 11: networks[1].name: declares network 'Ops' a second time"});
        cases.add(new Object[] {"s.yaml", "networks:\n  - name: Ops\n    name: Again\n",
                "s.yaml line 3, column 9: not valid YAML: Duplicate field 'name'"});
        cases.add(new Object[] {"s.yaml", "networks: [\n", null});
        cases.add(new Object[] {"s.yaml", "", "s.yaml: the file is empty"});
        // JSON
        cases.add(new Object[] {"s.json", "{\n  \"networks\": [\n    {\"name\": \"Ops\",\n     \"users\": [\n"
                + "       {\"username\": \"a@example.com\", \"firstName\": 7}\n     ]}\n  ]\n}\n",
                "s.json line 5, column 51: networks[0].users[0].firstName: must be a string (quote it: \"7\")"});
        cases.add(new Object[] {"s.json", "{\"networks\": [{\"name\": \"Ops\", \"bots\": [{\"username\": \"abot\"}]}]}",
                "s.json line 1, column 40: networks[0].bots[0].password: is required"});
        cases.add(new Object[] {"s.json", "{\"networks\": [{\"name\": \"Ops\",}]}", null});
        cases.add(new Object[] {"s.json", "{\"networks\": {\"name\": \"Ops\"}}",
                "s.json line 1, column 14: networks: must be a list"});
        cases.add(new Object[] {"s.json", "{\"networks\": [{\"name\": \"Ops\", \"encryptionKeyArn\": \"nope\"}]}",
                null});
        return cases;
    }

    @ParameterizedTest
    @MethodSource("badSeeds")
    void errorsNameTheLineAndFieldAndWriteNothing(String name, String text, String message) {
        try (Database db = SqliteDatabase.inMemory()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            Map<String, List<String>> before = rows(service);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> Seed.parse(text, name).applyTo(service, CONTRACT));
            assertThat(thrown).isInstanceOf(SeedException.class);
            SeedException e = (SeedException) thrown;
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            } else {
                assertThat(e.getMessage()).startsWith(name + " line ");
                assertThat(e.line()).isPositive();
            }
            assertThat(rows(service)).isEqualTo(before);
        }
    }

    @Test
    void aFileIsReadByItsExtension(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("seed.yml");
        Files.writeString(yaml, "networks:\n  - name: Ops\n    users:\n      - username: \"\"\n");
        assertThatThrownBy(() -> {
            try (Database db = SqliteDatabase.inMemory()) {
                Seed.read(yaml).applyTo(new WickrService(db, Clock.systemUTC()), CONTRACT);
            }
        }).hasMessage("seed.yml line 4, column 19: networks[0].users[0].username: username must not be empty");
        Path json = dir.resolve("seed.json");
        Files.writeString(json, "networks: []\n");
        assertThatThrownBy(() -> Seed.read(json)).isInstanceOf(SeedException.class)
                .hasMessageStartingWith("seed.json line 1, column 1: not valid JSON");
        assertThatThrownBy(() -> Seed.read(dir.resolve("missing.yaml"))).isInstanceOf(SeedException.class)
                .hasMessageStartingWith("missing.yaml: cannot be read");
    }

    static Map<String, List<String>> rows(WickrService service) {
        Map<String, List<String>> out = new TreeMap<>();
        service.transaction(tx -> {
            for (String table : StateTables.names()) {
                if (table.equals("user_counts")) {
                    continue;
                }
                List<String> rows = new ArrayList<>(tx.list("SELECT * FROM " + table, rs -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        b.append(rs.getString(i)).append('|');
                    }
                    return b.toString();
                }));
                rows.sort(null);
                out.put(table, rows);
            }
            return null;
        });
        return out;
    }

    /** A listed user's security groups, read with GetUser (ListUsers does not show them). */
    private static java.util.List<String> groupsOf(WickrService service, String net, JsonNode listed) {
        ObjectNode q = in(net);
        q.put("userId", listed.get("userId").asText());
        java.util.List<String> out = new java.util.ArrayList<>();
        service.invoke("GetUser", DEFAULT, q, null, null).get("securityGroupIds").forEach(g -> out.add(g.asText()));
        return out;
    }
}
