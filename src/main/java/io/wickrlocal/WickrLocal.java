package io.wickrlocal;

import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import io.wickrlocal.seed.Seed;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SecretsKey;
import io.wickrlocal.store.SqliteDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Wickr Local inside a Java program or test: a server on a free loopback port, its state in memory,
 * that clients reach at {@link #endpoint()} and sign for with {@link #accessKeyId()},
 * {@link #secretAccessKey()} and {@link #region()} (signing name {@code wickr}).
 *
 * <pre>{@code
 * try (WickrLocal wickr = WickrLocal.builder()
 *         .seed("networks: [{name: Drill, users: [{username: alice@example.com}]}]")
 *         .start()) {
 *     URI endpoint = wickr.endpoint();   // http://127.0.0.1:<free port>
 *     ...
 *     wickr.reset();                     // back to the seed and the builder's fault plan
 * }
 * }</pre>
 *
 * <p>Every method of the builder checks its input at once and throws {@link IllegalArgumentException}
 * saying what is wrong; a seed is read when given and fails with its line and field
 * ({@link io.wickrlocal.seed.SeedException}). {@code io.wickrlocal.junit.WickrLocalExtension} runs
 * one per JUnit 5 test class.
 */
public final class WickrLocal implements AutoCloseable {
    /** The credentials a server accepts when none are given, as on the command line. */
    public static final String DEFAULT_ACCESS_KEY_ID = "test";
    public static final String DEFAULT_SECRET_ACCESS_KEY = "test";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    private final WickrLocalServer server;
    private final URI endpoint;
    private final int port;
    private final Credential credential;
    private final String region;
    private final Seed seed;
    private final FaultPlan faults;
    private boolean closed;

    private WickrLocal(WickrLocalServer server, Credential credential, String region, Seed seed, FaultPlan faults) {
        this.server = server;
        // Kept, so that they still say where the server was once it is closed.
        this.endpoint = URI.create(server.endpoint());
        this.port = server.port();
        this.credential = credential;
        this.region = region;
        this.seed = seed;
        this.faults = faults;
    }

    /** Starts a server with every default: a free port on 127.0.0.1, in memory, test/test, no seed. */
    public static WickrLocal start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URI of the API, such as {@code http://127.0.0.1:41234}, for {@code --endpoint-url}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The port the server listens on (the one chosen when started on port 0). */
    public int port() {
        return port;
    }

    public String accessKeyId() {
        return credential.accessKeyId();
    }

    public String secretAccessKey() {
        return credential.secretKey();
    }

    /** The account the credentials belong to: the account whose state the calls see. */
    public String accountId() {
        return credential.accountId();
    }

    /**
     * The region clients sign for. The server answers in any region, each with its own state; this
     * one holds the seed's top-level networks.
     */
    public String region() {
        return region;
    }

    /**
     * The fault plan in force, to change from Java while the server runs (as {@code /_local/faults}
     * does for an operator credential): {@code faults().add(List.of(FaultRule.on("ListUsers")
     * .withError(FaultError.RATE_LIMIT).withCount(3)))}. These are the server's rules, which may name
     * any account or none (every account). {@link #reset()} puts back the plan given to the builder.
     */
    public FaultInjector faults() {
        return server.faults();
    }

    /**
     * Puts the server back where it started, so that each test begins in the same known world:
     * the state of every account is deleted (networks with everything in them, client tokens, the
     * audit trail), the seed is applied again, and the fault plan given to the builder replaces the
     * rules in force, with fresh counts (the rules accounts set for themselves are removed). With a data folder or a database the store is emptied as
     * well, whatever else it held. Not for use while calls are in flight: the deletion and the seed
     * are two transactions, and a call between them sees an empty store.
     */
    public synchronized void reset() {
        requireOpen();
        server.resetAll();
        if (seed != null) {
            server.applySeed(seed);
        }
        server.faults().reset(faults);
    }

    /** Stops taking calls, lets those in flight finish, and closes the store. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Wickr Local was closed");
        }
    }

    @Override
    public String toString() {
        return "WickrLocal[" + endpoint + ", accessKeyId=" + credential.accessKeyId() + ", account="
                + credential.accountId() + ", region=" + region + ", store=" + server.storeDescription() + "]";
    }

    /**
     * How to start a {@link WickrLocal}. A builder can start several servers, each from the
     * settings it has then; of {@link #inMemory()}, {@link #dataDir} and {@link #database}, the last
     * one called chooses the store.
     */
    public static final class Builder {

        private String host = "127.0.0.1";
        private int port;
        private Path dataDir;
        private DatabaseUrl database;
        private Path secretsKeyFile;
        private Credential credential = new Credential(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY,
                DEFAULT_ACCOUNT_ID, true);
        private final java.util.Map<String, Credential> others = new java.util.LinkedHashMap<>();
        private String region = DEFAULT_REGION;
        private Seed seed;
        private FaultPlan faults = FaultPlan.none();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The TCP port; 0 (the default) picks a free one, which {@link WickrLocal#port()} tells. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535 (0 picks a free port), not "
                        + value);
            }
            port = value;
            return this;
        }

        /** The address to listen on; 127.0.0.1 by default, so nothing outside the machine can call. */
        public Builder host(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("host must be an address such as 127.0.0.1");
            }
            host = value.strip();
            return this;
        }

        /** Keeps all state in memory, gone when the server closes (the default). */
        public Builder inMemory() {
            dataDir = null;
            database = null;
            return this;
        }

        /** Keeps the state in the embedded SQLite store in this folder (created when absent). */
        public Builder dataDir(Path value) {
            Objects.requireNonNull(value, "dataDir must not be null");
            dataDir = value;
            database = null;
            return this;
        }

        /**
         * Keeps the state in PostgreSQL, such as {@code postgresql://host:5432/wickr?user=u&password=p}
         * or a {@code jdbc:postgresql://} URL. {@link WickrLocal#reset()} empties that database.
         */
        public Builder database(String url) {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("database must be a PostgreSQL URL such as"
                        + " postgresql://host:5432/wickr?user=wickr&password=secret");
            }
            database = DatabaseUrl.parse(url);
            dataDir = null;
            return this;
        }

        /**
         * The file of the key that encrypts the stored SSO and OpenTDF client secrets (32 bytes, raw or
         * base64), created 0600 with 32 random bytes when absent at the first start on a store. Without
         * it: {@code secrets.key} in the {@link #dataDir} folder; with {@link #database}, the command
         * line's default, {@code wickr-local-data/secrets.key} under the working directory; a random key
         * in memory. Every server of one database needs the same key: one started with another key
         * fails at start with {@link io.wickrlocal.store.SecretsKeyException}.
         */
        public Builder secretsKeyFile(Path file) {
            secretsKeyFile = Objects.requireNonNull(file, "secretsKeyFile must not be null");
            return this;
        }

        /**
         * The credentials {@link WickrLocal#accessKeyId()} hands out, instead of {@code test}/{@code test}
         * for account 000000000000, which is the operator. These are an ordinary credential: they reach
         * their own account only (see {@link #operatorCredentials}). The seed's top-level networks go to
         * this account.
         */
        public Builder credentials(String accessKeyId, String secretAccessKey, String accountId) {
            credential = checked(accessKeyId, secretAccessKey, accountId, false);
            return this;
        }

        /**
         * As {@link #credentials}, with the operator role: the server-wide controls of {@code /_local}
         * ({@code allAccounts} on reset and snapshots, fault rules for any account).
         */
        public Builder operatorCredentials(String accessKeyId, String secretAccessKey, String accountId) {
            credential = checked(accessKeyId, secretAccessKey, accountId, true);
            return this;
        }

        /**
         * One more credential the server accepts besides {@link #credentials}, for tests that need a
         * second account; an ordinary one, reaching its own account only. Repeatable.
         */
        public Builder alsoAccept(String accessKeyId, String secretAccessKey, String accountId) {
            Credential c = checked(accessKeyId, secretAccessKey, accountId, false);
            others.put(c.accessKeyId(), c);
            return this;
        }

        private static Credential checked(String accessKeyId, String secretAccessKey, String accountId,
                                          boolean operator) {
            return Credential.checked(accessKeyId, secretAccessKey, accountId, operator);
        }

        /** The region clients sign for, and the seed's top-level networks live in (us-east-1 by default). */
        public Builder region(String value) {
            if (!SigV4Verifier.isRegionName(value)) {
                throw new IllegalArgumentException("region must be a region name such as us-east-1 (1 to 32"
                        + " lower-case letters, digits or hyphens), not " + value);
            }
            region = value;
            return this;
        }

        /**
         * Networks, security groups, users and bots to have in place at start and after every
         * {@link WickrLocal#reset()}: the seed format of docs/local-api.md, in YAML, or JSON when the text
         * starts with '{'. Its top-level {@code networks} belong to the builder's account and region.
         *
         * @throws io.wickrlocal.seed.SeedException when it is not a well-formed seed (line, column, field)
         */
        public Builder seed(String yamlOrJson) {
            Objects.requireNonNull(yamlOrJson, "seed must not be null");
            seed = Seed.parse(yamlOrJson, "seed text");
            return this;
        }

        /** A seed file (.json, .yaml or .yml); see {@link #seed(String)}. Read now. */
        public Builder seed(Path file) {
            Objects.requireNonNull(file, "seed file must not be null");
            seed = Seed.read(file);
            return this;
        }

        /** The fault plan in force at start and after every {@link WickrLocal#reset()}. */
        /**
         * The service's clock (default: the system clock): the time it stamps and expires things by
         * (invitations, sessions and their limits, client tokens, the audit trail). A test that moves it
         * sees time pass without waiting; signatures are still checked against the real time.
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder faults(FaultPlan plan) {
            faults = Objects.requireNonNull(plan, "faults must not be null (FaultPlan.none() for none)");
            return this;
        }

        /**
         * A fault plan written as in a {@code --faults} file: JSON when the text starts with '{',
         * YAML otherwise.
         *
         * @throws io.wickrlocal.protocol.faults.FaultPlanException naming the field that is wrong
         */
        public Builder faults(String planText) {
            Objects.requireNonNull(planText, "faults must not be null");
            faults = FaultPlan.parse(planText);
            return this;
        }

        /**
         * Starts the server: the seed is applied before the port opens.
         *
         * @throws io.wickrlocal.seed.SeedException when the seed breaks a rule of the API (its line and field)
         * @throws io.wickrlocal.protocol.faults.FaultPlanException when the plan names an unknown operation
         * @throws UncheckedIOException when the port cannot be opened (taken, or an unknown host)
         */
        public WickrLocal start() {
            Credential who = credential;
            String where = region;
            Seed forAccount = seed == null ? null : seed.withDefaultAccount(who.accountId(), where);
            List<Credential> accepted = new java.util.ArrayList<>(List.of(who));
            others.values().stream().filter(c -> !c.accessKeyId().equals(who.accessKeyId())).forEach(accepted::add);
            ServerSettings settings = ServerSettings.defaults().withHost(host).withPort(port)
                    .withCredentials(accepted).withFaults(faults).withClock(clock);
            try {
                return new WickrLocal(WickrLocalServer.start(settings, store(), forAccount), who, where, forAccount,
                        faults);
            } catch (RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Wickr Local was starting", e);
            } catch (IOException e) {
                throw new UncheckedIOException("Wickr Local could not listen on " + host + ":" + port + ": " + e, e);
            } catch (Exception e) {
                throw new IllegalStateException("Wickr Local could not start: " + e, e);
            }
        }

        private Supplier<Database> store() {
            Path dir = dataDir;
            DatabaseUrl url = database;
            Path keyFile = secretsKeyFile;
            if (url != null) {
                SecretsKey key = SecretsKey.file(keyFile != null ? keyFile
                        : Path.of("wickr-local-data", SecretsKey.FILE_NAME)); // as the command line without --data-dir
                return () -> PostgresDatabase.open(url, PoolSettings.defaults(), key);
            }
            if (dir != null) {
                SecretsKey key = keyFile != null ? SecretsKey.file(keyFile) : SecretsKey.inFolder(dir);
                return () -> SqliteDatabase.open(dir, key);
            }
            return keyFile != null ? () -> SqliteDatabase.inMemory(SecretsKey.file(keyFile)) : SqliteDatabase::inMemory;
        }
    }
}
