package io.wickrlocal;

import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.DatabaseUrl;
import io.wickrlocal.store.PoolSettings;
import io.wickrlocal.store.PostgresDatabase;
import io.wickrlocal.store.SqliteDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: starts a Wickr Local server and runs it until SIGTERM or Ctrl-C. */
@Command(name = "wickr-local", mixinStandardHelpOptions = true, version = "Wickr Local 0.1.0",
        description = "Runs a local, wire-compatible AWS Wickr Admin API (service 'wickr', API 2024-02-01)."
                + " Point the AWS CLI or an AWS SDK at it with --endpoint-url.",
        sortOptions = false)
public final class Main implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "TCP port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = ServerSettings.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of the embedded SQLite store; created when absent (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("wickr-local-data");

    @Option(names = "--in-memory", description = "Keep all state in memory; nothing is written to disk.")
    boolean inMemory;

    @Option(names = "--database", paramLabel = "URL",
            description = "Use PostgreSQL instead of the embedded store, e.g. postgresql://host:5432/wickr?user=wickr&password=secret"
                    + " (or a jdbc:postgresql:// URL). Several nodes on one database serve one consistent state.")
    String database;

    @Option(names = "--db-pool-size", paramLabel = "N",
            description = "Most connections this node opens to PostgreSQL (default: ${DEFAULT-VALUE}).")
    int dbPoolSize = PoolSettings.defaults().maxConnections();

    @Option(names = "--credential", paramLabel = "ACCESS_KEY:SECRET:ACCOUNT_ID",
            description = "A credential the server accepts (repeatable). When given, only these are valid;"
                    + " otherwise the access key 'test' with secret 'test' works, for account 000000000000.")
    List<String> credentials = new ArrayList<>();

    @Option(names = "--max-body-bytes", paramLabel = "N",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}); larger ones get 400 BadRequestError.")
    int maxBodyBytes = ServerSettings.DEFAULT_MAX_BODY_BYTES;

    @Option(names = "--warm-up", hidden = true,
            description = "Start in memory on a free port, serve a few requests, and exit. The build runs this once"
                    + " to record the class-data-sharing archive that makes later starts faster.")
    boolean warmUp;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Credential> parsed = new ArrayList<>();
        for (String c : credentials) {
            parsed.add(parseCredential(c));
        }
        ServerSettings settings = ServerSettings.defaults().withHost(host).withPort(port).withCredentials(parsed)
                .withMaxBodyBytes(maxBodyBytes);
        if (warmUp) {
            WarmUp.run(settings.withPort(0));
            return 0;
        }
        Supplier<Database> store = store();
        WickrLocalServer server = WickrLocalServer.start(settings, store);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "wickr-shutdown"));
        System.out.println("Wickr Local listening on " + server.endpoint() + " (store: " + server.storeDescription()
                + ", credentials: " + (parsed.isEmpty() ? "test/test for account 000000000000" : parsed.size() + " given")
                + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Supplier<Database> store() {
        if (database != null) {
            if (inMemory) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--in-memory and --database exclude each other");
            }
            DatabaseUrl url;
            try {
                url = DatabaseUrl.parse(database);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--database: " + e.getMessage());
            }
            PoolSettings pool = PoolSettings.defaults().withMaxConnections(dbPoolSize);
            return () -> PostgresDatabase.open(url, pool);
        }
        Path dir = dataDir;
        return inMemory ? SqliteDatabase::inMemory : () -> SqliteDatabase.open(dir);
    }

    static Credential parseCredential(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1) {
            throw new CommandLine.TypeConversionException("--credential must look like ACCESS_KEY:SECRET:ACCOUNT_ID");
        }
        String account = text.substring(last + 1);
        if (!account.matches("\\d{12}")) {
            throw new CommandLine.TypeConversionException("the account id of --credential must be 12 digits");
        }
        String secret = text.substring(first + 1, last);
        if (secret.isEmpty()) {
            throw new CommandLine.TypeConversionException("the secret of --credential must not be empty");
        }
        return new Credential(text.substring(0, first), secret, account);
    }
}
