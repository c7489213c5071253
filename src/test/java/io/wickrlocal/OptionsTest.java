package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wickrlocal.protocol.faults.ThrottleLimit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsNeedNoFlags() throws Exception {
        Options o = Options.parse();
        assertThat(o.port).isEqualTo(8484);
        assertThat(o.host).isEqualTo("127.0.0.1");
        assertThat(o.dataDir).isEqualTo(Path.of("wickr-local-data"));
        assertThat(o.inMemory).isFalse();
        assertThat(o.credentials).isEmpty();
        assertThat(o.secretsKeyFile).isNull();
    }

    @Test
    void everyFlagIsRead() throws Exception {
        Options o = Options.parse("--port", "0", "--host=0.0.0.0", "--data-dir", "/tmp/x", "--credential",
                "AK:se:cr:et:123456789012", "--credential=B:s:111111111111", "--max-body-bytes", "4096",
                "--db-pool-size", "3", "--database", "postgresql://h/db", "--seed", "seed.yaml");
        assertThat(o.port).isZero();
        assertThat(o.host).isEqualTo("0.0.0.0");
        assertThat(o.dataDir).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.credentials).extracting(c -> c.accessKeyId() + "/" + c.secretKey() + "/" + c.accountId())
                .containsExactly("AK/se:cr:et/123456789012", "B/s/111111111111");
        assertThat(o.maxBodyBytes).isEqualTo(4096);
        assertThat(o.dbPoolSize).isEqualTo(3);
        assertThat(o.database).isEqualTo("postgresql://h/db");
        assertThat(o.faultsFile).isNull();
        assertThat(o.throttle).isNull();
        Options faulty = Options.parse("--faults", "plan.yaml", "--throttle=2.5:10");
        assertThat(faulty.faultsFile).isEqualTo(Path.of("plan.yaml"));
        assertThat(faulty.throttle).isEqualTo(new ThrottleLimit(2.5, 10));
        assertThat(Options.parse("--throttle", "5").throttle).isEqualTo(new ThrottleLimit(5, 5));
        assertThat(o.seed).isEqualTo(Path.of("seed.yaml"));
        assertThat(Options.parse("--seed=s.json").seed).isEqualTo(Path.of("s.json"));
        assertThat(Options.parse().seed).isNull();
        assertThat(Options.parse("--secrets-key-file", "/etc/wickr/secrets.key").secretsKeyFile)
                .isEqualTo(Path.of("/etc/wickr/secrets.key"));
        assertThat(Options.parse("--secrets-key-file=k").secretsKeyFile).isEqualTo(Path.of("k"));
        assertThat(Options.parse("--in-memory").inMemory).isTrue();
        assertThat(Options.parse("--help").help).isTrue();
        assertThat(Options.parse("-V").version).isTrue();
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> Options.parse("--port")).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> Options.parse("--port", "http")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Options.parse("--port", "70000")).hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> Options.parse("--nope")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> Options.parse("--in-memory=yes")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> Options.parse("--credential", "a:b")).hasMessageContaining("ACCESS_KEY:SECRET:ACCOUNT_ID");
        assertThatThrownBy(() -> Options.parse("--credential", "a:b:12")).hasMessageContaining("12 digits");
        // The same rule as the embedding builder's (Credential.checked): an access key a signature can carry.
        assertThatThrownBy(() -> Options.parse("--credential", "AK/EY:b:000000000000"))
                .hasMessage("--credential: accessKeyId must be 1 to 128 letters, digits or _+=.@-");
        assertThatThrownBy(() -> Options.parse("--credential", "a:b:12"))
                .hasMessage("--credential: accountId must be 12 digits, such as 000000000000");
        assertThatThrownBy(() -> Options.parse("--throttle", "fast")).hasMessageContaining("--throttle: must look like");
        assertThatThrownBy(() -> Options.parse("--throttle", "5:0")).hasMessageContaining("--throttle: the burst");
        assertThatThrownBy(() -> Options.parse("--faults")).hasMessageContaining("--faults needs a value");
        assertThatThrownBy(() -> Options.parse("--in-memory", "--database", "postgresql://h/db"))
                .hasMessageContaining("exclude each other");
        assertThat(Options.usage()).contains("--port N", "--data-dir DIR", "--in-memory", "--credential",
                "--database URL", "--max-body-bytes N", "--host ADDRESS", "--faults FILE", "--throttle RATE[:BURST]",
                "--seed FILE", "--secrets-key-file FILE");
        assertThatThrownBy(() -> Options.parse("--secrets-key-file")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse("--seed")).hasMessageContaining("--seed needs a value");
    }

    @Test
    void theDatabaseWaitHasADefaultAndLimits() throws Exception {
        assertThat(Options.parse().dbWaitSeconds).isEqualTo(60);
        assertThat(Options.parse("--db-wait", "0").dbWaitSeconds).isZero();
        assertThat(Options.parse("--db-wait=300").dbWaitSeconds).isEqualTo(300);
        assertThatThrownBy(() -> Options.parse("--db-wait", "-1")).hasMessageContaining("between 0 and 86400");
        assertThatThrownBy(() -> Options.parse("--db-wait", "soon")).hasMessageContaining("must be a number");
        assertThat(Options.usage()).contains("--db-wait SECONDS");
    }

    @Test
    void theStateBoundsHaveDefaultsAndLimits() throws Exception {
        Options defaults = Options.parse();
        assertThat(defaults.maxClientTokens).isEqualTo(100_000);
        assertThat(defaults.auditRetentionDays).isEqualTo(30);
        assertThat(defaults.auditMaxEvents).isEqualTo(1_000_000);
        Options o = Options.parse("--max-client-tokens", "3", "--audit-retention=7", "--audit-max-events", "50");
        assertThat(o.maxClientTokens).isEqualTo(3);
        assertThat(o.auditRetentionDays).isEqualTo(7);
        assertThat(o.auditMaxEvents).isEqualTo(50);
        assertThatThrownBy(() -> Options.parse("--max-client-tokens", "0")).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> Options.parse("--audit-retention", "0")).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> Options.parse("--audit-max-events", "many")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Options.parse("--audit-max-events")).hasMessageContaining("needs a value");
        assertThat(Options.usage()).contains("--max-client-tokens N", "--audit-retention DAYS", "--audit-max-events N");
    }
}
