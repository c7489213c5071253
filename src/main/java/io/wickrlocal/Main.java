package io.wickrlocal;

import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.FaultPlanException;
import io.wickrlocal.seed.Seed;
import io.wickrlocal.seed.SeedException;
import io.wickrlocal.service.StateBounds;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DatabaseUnavailableException;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SecretsKey;
import io.wickrlocal.store.SqliteDatabase;
import io.wickrlocal.store.StoreException;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** The command line: starts a Wickr Local server and runs it until SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.Invalid e) {
            System.err.println("wickr-local: " + e.getMessage());
            System.err.print(Options.usage());
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(Options.usage());
            return;
        }
        if (options.version) {
            System.out.println(Options.VERSION);
            return;
        }
        run(options);
    }

    private static void run(Options o) throws Exception {
        ServerSettings settings = ServerSettings.defaults().withHost(o.host).withPort(o.port)
                .withCredentials(o.credentials).withMaxBodyBytes(o.maxBodyBytes).withThrottle(o.throttle)
                .withMaxConnections(o.maxConnections);
        settings = settings.withBounds(new StateBounds(o.maxClientTokens, Duration.ofDays(o.auditRetentionDays),
                o.auditMaxEvents));
        if (o.warmUp) {
            WarmUp.run(settings.withPort(0));
            return;
        }
        Supplier<Database> store = store(o);
        WickrLocalServer server;
        try {
            if (o.faultsFile != null) {
                settings = settings.withFaults(FaultPlan.read(o.faultsFile));
            }
            // Read before the store opens, so a malformed file costs nothing; applied before the port opens.
            Seed seed = o.seed == null ? null : Seed.read(o.seed);
            server = WickrLocalServer.start(settings, store, seed);
        } catch (FaultPlanException e) {
            // Also thrown at start, when the plan names an operation the contract does not have.
            System.err.println("wickr-local: --faults: " + e.getMessage());
            System.exit(2);
            return;
        } catch (SeedException e) {
            System.err.println("wickr-local: --seed: " + e.getMessage());
            System.exit(2);
            return;
        } catch (DatabaseUnavailableException e) {
            System.err.println("wickr-local: " + e.getMessage() + " (--db-wait " + o.dbWaitSeconds + ")");
            System.exit(2);
            return;
        } catch (StoreException e) {
            // The store could not be opened (a wrong password, a missing database, a failed migration, a
            // secrets key that is not the database's: SecretsKeyException, a data folder another server holds).
            System.err.println("wickr-local: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            if (!(rootCause(e) instanceof BindException)) {
                throw e;
            }
            System.err.println("wickr-local: cannot listen on " + o.host + ":" + o.port + ": the port is in use (by"
                    + " another Wickr Local?); choose another with --port N, or --port 0 for any free port");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "wickr-shutdown"));
        System.out.println("Wickr Local listening on " + server.listenUrl() + (server.loopbackOnly() ? ""
                : " (reachable from other machines)") + " (store: " + server.storeDescription()
                + ", credentials: " + credentialsSummary(o) + faultsSummary(server, o) + ")");
        System.out.flush();
        if (!server.loopbackOnly() && o.credentials.isEmpty()) {
            System.err.println("wickr-local: WARNING: listening on " + server.listenUrl() + ", which other machines"
                    + " can reach, with the public default credentials test/test: anyone who can reach this port"
                    + " has full access, the operator role included. Give your own --credential (see the"
                    + " docs/security.md), or listen on 127.0.0.1.");
            System.err.flush();
        }
        stopped.await();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String credentialsSummary(Options o) {
        if (o.credentials.isEmpty()) {
            return "test/test for account 000000000000, operator";
        }
        long operators = o.credentials.stream().filter(c -> c.operator()).count();
        return o.credentials.size() + " given, " + (operators == 0 ? "no operator" : operators + " operator"
                + (operators == 1 ? "" : "s"));
    }

    private static String faultsSummary(WickrLocalServer server, Options o) {
        int rules = server.faults().rules().size();
        String out = rules == 0 ? "" : ", faults: " + rules + (rules == 1 ? " rule" : " rules") + " (seed "
                + server.faults().seed() + ")";
        return o.throttle == null ? out : out + ", throttle: " + o.throttle + " per account and operation";
    }

    private static Supplier<Database> store(Options o) {
        if (o.database != null) {
            DatabaseUrl url;
            try {
                url = DatabaseUrl.parse(o.database);
            } catch (IllegalArgumentException e) {
                System.err.println("wickr-local: --database: " + e.getMessage());
                System.exit(2);
                return null;
            }
            PoolSettings pool = PoolSettings.defaults().withMaxConnections(o.dbPoolSize);
            SecretsKey key = secretsKey(o);
            Duration wait = Duration.ofSeconds(o.dbWaitSeconds);
            return () -> PostgresDatabase.open(url, pool, key, wait, line -> {
                System.err.println("wickr-local: " + line);
                System.err.flush();
            });
        }
        Path dir = o.dataDir;
        SecretsKey key = secretsKey(o);
        return o.inMemory ? () -> SqliteDatabase.inMemory(key) : () -> SqliteDatabase.open(dir, key);
    }

    /** --secrets-key-file, else the data folder's key file (with --database too), else random in memory. */
    private static SecretsKey secretsKey(Options o) {
        if (o.secretsKeyFile != null) {
            return SecretsKey.file(o.secretsKeyFile);
        }
        return o.inMemory ? SecretsKey.random() : SecretsKey.inFolder(o.dataDir);
    }
}
