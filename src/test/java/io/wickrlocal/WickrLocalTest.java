package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.FaultPlanException;
import io.wickrlocal.protocol.faults.FaultRule;
import io.wickrlocal.seed.SeedException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API: what the builder starts, what reset() restores, and the mistakes it refuses. */
class WickrLocalTest {
    /** Alice, and Bob suspended, in network Drill; the extension's test uses it too. */
    static final String SEED = """
            networks:
              - name: Drill
                users:
                  - username: alice@example.com
                  - username: bob@example.com
                    suspended: true
            """;

    private static JsonNode networks(SignedClient c) throws Exception {
        return SignedClient.ok(c.send("GET", "/networks", null)).get("networks");
    }

    @Test
    void startsWithTheDefaultsOnAFreeLoopbackPort() throws Exception {
        try (WickrLocal wickr = WickrLocal.start(); WickrLocal other = WickrLocal.start()) {
            assertThat(wickr.port()).isPositive().isNotEqualTo(other.port());
            assertThat(wickr.endpoint()).hasToString("http://127.0.0.1:" + wickr.port());
            assertThat(List.of(wickr.accessKeyId(), wickr.secretAccessKey(), wickr.accountId(), wickr.region()))
                    .containsExactly("test", "test", "000000000000", "us-east-1");
            assertThat(networks(SignedClient.of(wickr))).isEmpty();
            SignedClient.ok(SignedClient.of(wickr).send("POST", "/networks", "{\"networkName\":\"Mine\",\"accessLevel\":\"STANDARD\"}"));
            assertThat(networks(SignedClient.of(wickr))).hasSize(1);
            assertThat(networks(SignedClient.of(other))).as("each server has its own memory").isEmpty();
            assertThat(wickr.toString()).contains(wickr.endpoint().toString()).doesNotContain("secret");
        }
    }

    @Test
    void theSeedGoesToTheCredentialsAccountAndRegion() throws Exception {
        try (WickrLocal wickr = WickrLocal.builder().credentials("AKIAEMBEDDED0001", "s3cret/key", "123456789012")
                .region("eu-west-1").seed(SEED).start()) {
            assertThat(wickr.accountId()).isEqualTo("123456789012");
            assertThat(wickr.region()).isEqualTo("eu-west-1");
            JsonNode seeded = networks(SignedClient.of(wickr));
            assertThat(seeded).hasSize(1);
            assertThat(seeded.get(0).get("networkName").asText()).isEqualTo("Drill");
            SignedClient otherRegion = new SignedClient(wickr.endpoint().toString(), wickr.accessKeyId(),
                    wickr.secretAccessKey(), "us-east-1");
            assertThat(networks(otherRegion)).isEmpty();
            HttpResponse<String> defaults = new SignedClient(wickr.endpoint().toString(), "test", "test", "eu-west-1")
                    .send("GET", "/networks", null);
            assertThat(defaults.statusCode()).as("only the given credentials are accepted").isEqualTo(403);
            assertThat(wickr.toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void resetBringsBackTheSeedAndTheFaultPlanAndEmptiesTheRest() throws Exception {
        FaultPlan plan = FaultPlan.of(FaultRule.on("GetUsersCount").withError(FaultError.INTERNAL_SERVER_ERROR)
                .withCount(1));
        try (WickrLocal wickr = WickrLocal.builder().seed(SEED).faults(plan).start()) {
            SignedClient c = SignedClient.of(wickr);
            String seededNetwork = networks(c).get(0).get("networkId").asText();
            SignedClient.ok(c.send("POST", "/networks", "{\"networkName\":\"Scratch\",\"accessLevel\":\"STANDARD\"}"));
            SignedClient.ok(c.send("POST", "/networks/" + seededNetwork + "/users/batch-delete", "{\"userIds\":["
                    + SignedClient.ok(c.send("GET", "/networks/" + seededNetwork + "/users", null)).at("/users/0/userId")
                    + "]}"));
            assertThat(c.send("GET", "/networks/" + seededNetwork + "/users/count", null).statusCode()).isEqualTo(500);
            wickr.faults().add(List.of(FaultRule.on("ListNetworks").withError(FaultError.RATE_LIMIT)));
            assertThat(c.send("GET", "/networks", null).statusCode()).isEqualTo(429);
            assertThat(SignedClient.ok(c.send("GET", "/_local/audit", null)).get("events")).isNotEmpty();

            wickr.reset();

            JsonNode after = networks(c);
            assertThat(after).hasSize(1);
            assertThat(after.get(0).get("networkName").asText()).isEqualTo("Drill");
            String network = after.get(0).get("networkId").asText();
            JsonNode users = SignedClient.ok(c.send("GET", "/networks/" + network + "/users?sortFields=username", null))
                    .get("users");
            assertThat(users).extracting(u -> u.get("username").asText() + " " + u.get("suspended").asBoolean())
                    .containsExactlyInAnyOrder("alice@example.com false", "bob@example.com true");
            assertThat(wickr.faults().rules()).extracting(r -> r.rule().operation(), r -> r.remaining())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("GetUsersCount", 1));
            assertThat(c.send("GET", "/networks/" + network + "/users/count", null).statusCode())
                    .as("the plan's count starts afresh").isEqualTo(500);
            SignedClient.ok(c.send("GET", "/networks/" + network + "/users/count", null));
            assertThat(SignedClient.ok(c.send("GET", "/_local/audit", null)).get("events")).isEmpty();
        }
    }

    @Test
    void resetRemovesTheRulesAccountsSetForThemselves() throws Exception {
        try (WickrLocal wickr = WickrLocal.builder().alsoAccept("AKOTHER", "other-secret", "111111111111").start()) {
            SignedClient other = new SignedClient(wickr.endpoint().toString(), "AKOTHER", "other-secret", wickr.region());
            SignedClient.ok(other.send("PUT", "/_local/faults",
                    "{\"rules\": [{\"operation\": \"ListNetworks\", \"error\": \"RateLimitError\"}]}"));
            assertThat(other.send("GET", "/networks", null).statusCode()).isEqualTo(429);
            assertThat(SignedClient.of(wickr).send("GET", "/networks", null).statusCode())
                    .as("the builder's account").isEqualTo(200);

            wickr.reset();

            assertThat(other.send("GET", "/networks", null).statusCode()).isEqualTo(200);
            assertThat(SignedClient.ok(other.send("GET", "/_local/faults", null)).get("rules")).isEmpty();
        }
    }

    @Test
    void aDataFolderKeepsStateAcrossStartsAndTheSeedIsNotAppliedTwice(@TempDir Path dir) throws Exception {
        try (WickrLocal wickr = WickrLocal.builder().dataDir(dir).seed(SEED).start()) {
            SignedClient.ok(SignedClient.of(wickr).send("POST", "/networks", "{\"networkName\":\"Kept\",\"accessLevel\":\"STANDARD\"}"));
        }
        try (WickrLocal wickr = WickrLocal.builder().dataDir(dir).seed(SEED).start()) {
            assertThat(networks(SignedClient.of(wickr))).extracting(n -> n.get("networkName").asText())
                    .containsExactlyInAnyOrder("Drill", "Kept");
        }
        assertThat(dir.resolve("wickr-local.db")).exists();
    }

    @Test
    void theSecretsKeyIsTheDataFoldersOwnOrTheFileTheBuilderNames(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (WickrLocal wickr = WickrLocal.builder().dataDir(data).start()) {
            assertThat(wickr.port()).isPositive();
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("secrets.key")))).isEqualTo("rw-------");
        Path elsewhere = dir.resolve("keys").resolve("wickr.key");
        Path other = dir.resolve("other");
        try (WickrLocal wickr = WickrLocal.builder().dataDir(other).secretsKeyFile(elsewhere).start()) {
            assertThat(wickr.port()).isPositive();
        }
        assertThat(elsewhere).exists();
        assertThat(other.resolve("secrets.key")).doesNotExist();
        // the first folder's database was used with its own key: another one is refused at start
        assertThatThrownBy(() -> WickrLocal.builder().dataDir(data).secretsKeyFile(elsewhere).start())
                .isInstanceOf(io.wickrlocal.store.SecretsKeyException.class)
                .hasMessageContaining("is not the key this database was first used with");
        assertThatThrownBy(() -> WickrLocal.builder().secretsKeyFile(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("secretsKeyFile");
    }

    @Test
    void closeStopsTheServerAndMayBeRepeated() throws Exception {
        WickrLocal wickr = WickrLocal.start();
        SignedClient c = SignedClient.of(wickr);
        SignedClient.ok(c.send("GET", "/networks", null));
        wickr.close();
        wickr.close();
        assertThatThrownBy(() -> c.send("GET", "/networks", null)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(wickr::reset).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aBuilderStartsAServerEachTimeFromItsSettings() throws Exception {
        WickrLocal.Builder builder = WickrLocal.builder().seed(SEED);
        try (WickrLocal one = builder.start(); WickrLocal two = builder.start()) {
            assertThat(networks(SignedClient.of(one))).hasSize(1);
            assertThat(networks(SignedClient.of(two))).hasSize(1);
            assertThat(networks(SignedClient.of(one)).get(0).get("networkId"))
                    .isNotEqualTo(networks(SignedClient.of(two)).get(0).get("networkId"));
        }
    }

    @Test
    void builderMistakesAreRefusedAtOnceSayingWhatIsWrong() {
        WickrLocal.Builder b = WickrLocal.builder();
        assertThatThrownBy(() -> b.port(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port must be between 0 and 65535");
        assertThatThrownBy(() -> b.port(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.host(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host");
        assertThatThrownBy(() -> b.credentials("test", "test", "123")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accountId must be 12 digits");
        assertThatThrownBy(() -> b.credentials("a key", "test", "000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessKeyId");
        assertThatThrownBy(() -> b.credentials("test", "", "000000000000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secretAccessKey");
        assertThatThrownBy(() -> b.region("US East")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region must be a region name");
        // Longer than a signature may name: no client could reach the seed's networks.
        assertThatThrownBy(() -> b.region("a".repeat(33))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region must be a region name");
        assertThatThrownBy(() -> b.database("mysql://db:3306/wickr")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> b.dataDir(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataDir");
        assertThatThrownBy(() -> b.faults("{\"rules\": [{\"operation\": \"ListUsers\", \"phase\": \"during\"}]}"))
                .isInstanceOf(FaultPlanException.class).hasMessageContaining("rules[0].phase");
    }

    @Test
    void aMalformedSeedIsRefusedWhenGivenWithItsLineAndField(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> WickrLocal.builder().seed("networks:\n  - name: Drill\n    userz: []\n"))
                .isInstanceOf(SeedException.class)
                .hasMessageContaining("line 3").hasMessageContaining("networks[0].userz");
        Path file = Files.writeString(dir.resolve("world.yaml"), "networks:\n  - nam: Drill\n");
        assertThatThrownBy(() -> WickrLocal.builder().seed(file)).isInstanceOf(SeedException.class)
                .hasMessageStartingWith("world.yaml line 2").hasMessageContaining("networks[0]");
        assertThatThrownBy(() -> WickrLocal.builder().seed(dir.resolve("missing.yaml")))
                .isInstanceOf(SeedException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void aSeedThatBreaksARuleStopsTheStart() {
        WickrLocal.Builder b = WickrLocal.builder().seed("networks:\n  - name: Drill\n    users:\n"
                + "      - username: alice@example.com\n        groups: [Nowhere]\n");
        assertThatThrownBy(b::start).isInstanceOf(SeedException.class)
                .hasMessageContaining("line 5").hasMessageContaining("networks[0].users[0].groups")
                .hasMessageContaining("Nowhere");
    }

    @Test
    void aFaultPlanNamingAnUnknownOperationStopsTheStart() {
        WickrLocal.Builder b = WickrLocal.builder().faults(FaultPlan.of(FaultRule.on("ListUser")
                .withError(FaultError.RATE_LIMIT)));
        assertThatThrownBy(b::start).isInstanceOf(FaultPlanException.class).hasMessageContaining("ListUsers");
    }

    @Test
    void aTakenPortIsAnUncheckedIoException() {
        try (WickrLocal wickr = WickrLocal.start()) {
            assertThatThrownBy(() -> WickrLocal.builder().port(wickr.port()).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + wickr.port());
        }
    }
}
