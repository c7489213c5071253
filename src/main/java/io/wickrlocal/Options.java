package io.wickrlocal;

import io.wickrlocal.protocol.faults.ThrottleLimit;
import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.service.StateBounds;
import io.wickrlocal.store.PoolSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's command-line options. Parsed by hand rather than with picocli: picocli's classes
 * cannot go into the class-data-sharing archive (they target Java 5) and cost about a tenth of a
 * second at every start, and a server has only these few flags.
 */
final class Options {
    /** "Wickr Local " and the artifact's version (the build fills it into version.properties). */
    static final String VERSION = "Wickr Local " + artifactVersion();
    /** How long a start waits for a PostgreSQL that does not accept connections yet. */
    static final int DEFAULT_DB_WAIT_SECONDS = 60;

    private static String artifactVersion() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Options.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "(version unknown)");
    }

    int port = ServerSettings.DEFAULT_PORT;
    String host = "127.0.0.1";
    Path dataDir = Path.of("wickr-local-data");
    boolean inMemory;
    String database;
    int dbPoolSize = PoolSettings.defaults().maxConnections();
    int dbWaitSeconds = DEFAULT_DB_WAIT_SECONDS;
    final List<Credential> credentials = new ArrayList<>();
    int maxBodyBytes = ServerSettings.DEFAULT_MAX_BODY_BYTES;
    int maxConnections = ServerSettings.DEFAULT_MAX_CONNECTIONS;
    Path faultsFile;
    ThrottleLimit throttle;
    Path seed;
    boolean warmUp;
    boolean help;
    boolean version;
    int maxClientTokens = StateBounds.DEFAULT_MAX_CLIENT_TOKENS;
    int auditRetentionDays = StateBounds.DEFAULT_AUDIT_RETENTION_DAYS;
    int auditMaxEvents = (int) StateBounds.DEFAULT_AUDIT_MAX_EVENTS;
    Path secretsKeyFile;

    /** A command line that cannot be run; the message says why. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    static Options parse(String... args) throws Invalid {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> o.help = true;
                case "-V", "--version" -> o.version = true;
                case "--in-memory" -> o.inMemory = true;
                case "--warm-up" -> o.warmUp = true;
                case "--port" -> o.port = number(name, value(args, ++i, name, inline), 0, 65535);
                case "--host" -> o.host = value(args, ++i, name, inline);
                case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, name, inline));
                case "--database" -> o.database = value(args, ++i, name, inline);
                case "--seed" -> o.seed = Path.of(value(args, ++i, name, inline));
                case "--db-pool-size" -> o.dbPoolSize = number(name, value(args, ++i, name, inline), 1, 1000);
                case "--db-wait" -> o.dbWaitSeconds = number(name, value(args, ++i, name, inline), 0, 86_400);
                case "--credential" -> o.credentials.add(credential(value(args, ++i, name, inline)));
                case "--max-body-bytes" -> o.maxBodyBytes = number(name, value(args, ++i, name, inline), 1024,
                        256 * 1024 * 1024);
                case "--max-connections" -> o.maxConnections = number(name, value(args, ++i, name, inline), 1,
                        1_000_000);
                case "--faults" -> o.faultsFile = Path.of(value(args, ++i, name, inline));
                case "--throttle" -> o.throttle = throttle(value(args, ++i, name, inline));
                case "--max-client-tokens" -> o.maxClientTokens = number(name, value(args, ++i, name, inline), 1,
                        10_000_000);
                case "--audit-retention" -> o.auditRetentionDays = number(name, value(args, ++i, name, inline), 1,
                        36_500);
                case "--audit-max-events" -> o.auditMaxEvents = number(name, value(args, ++i, name, inline), 1,
                        1_000_000_000);
                case "--secrets-key-file" -> o.secretsKeyFile = Path.of(value(args, ++i, name, inline));
                default -> throw new Invalid("unknown option '" + arg + "'");
            }
            if (inline != null && !takesValue(name)) {
                throw new Invalid(name + " takes no value");
            }
            if (inline != null) {
                i--; // the value came with the flag, not as the next argument
            }
        }
        if (o.inMemory && o.database != null) {
            throw new Invalid("--in-memory and --database exclude each other");
        }
        return o;
    }

    private static boolean takesValue(String name) {
        return !List.of("-h", "--help", "-V", "--version", "--in-memory", "--warm-up").contains(name);
    }

    private static String value(String[] args, int i, String name, String inline) throws Invalid {
        if (inline != null) {
            return inline;
        }
        if (i >= args.length || args[i].startsWith("--")) {
            throw new Invalid(name + " needs a value");
        }
        return args[i];
    }

    private static int number(String name, String text, int min, int max) throws Invalid {
        try {
            int n = Integer.parseInt(text);
            if (n < min || n > max) {
                throw new Invalid(name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Invalid(name + " must be a number, not '" + text + "'");
        }
    }

    private static ThrottleLimit throttle(String text) throws Invalid {
        try {
            return ThrottleLimit.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid("--throttle: " + e.getMessage());
        }
    }

    /** The suffix that gives a {@code --credential} the operator role. */
    static final String OPERATOR_SUFFIX = ":operator";

    static Credential credential(String text) throws Invalid {
        boolean operator = text.endsWith(OPERATOR_SUFFIX);
        if (operator) {
            text = text.substring(0, text.length() - OPERATOR_SUFFIX.length());
        }
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1) {
            throw new Invalid("--credential must look like ACCESS_KEY:SECRET:ACCOUNT_ID or"
                    + " ACCESS_KEY:SECRET:ACCOUNT_ID:operator");
        }
        try {
            // The rule the embedding builder follows too (Credential.checked).
            return Credential.checked(text.substring(0, first), text.substring(first + 1, last),
                    text.substring(last + 1), operator);
        } catch (IllegalArgumentException e) {
            throw new Invalid("--credential: " + e.getMessage());
        }
    }

    static String usage() {
        return String.join("\n",
                "Usage: java -jar wickr-local.jar [OPTIONS]",
                "Runs a local, wire-compatible AWS Wickr Admin API (service 'wickr', API 2024-02-01).",
                "Point the AWS CLI or an AWS SDK at it with --endpoint-url.",
                "",
                "      --port N              TCP port to listen on (default: " + ServerSettings.DEFAULT_PORT
                        + "; 0 picks a free one).",
                "      --host ADDRESS        Address to listen on (default: 127.0.0.1).",
                "      --data-dir DIR        Folder of the embedded SQLite store; created when absent",
                "                            (default: wickr-local-data).",
                "      --in-memory           Keep all state in memory; nothing is written to disk.",
                "      --database URL        Use PostgreSQL instead of the embedded store, e.g.",
                "                            postgresql://host:5432/wickr?user=wickr&password=secret",
                "                            (or a jdbc:postgresql:// URL). Several nodes on one database",
                "                            serve one consistent state.",
                "      --db-pool-size N      Most connections this node opens to PostgreSQL (default: "
                        + PoolSettings.defaults().maxConnections() + ").",
                "      --db-wait SECONDS     How long a start waits for PostgreSQL to accept connections",
                "                            (default: " + DEFAULT_DB_WAIT_SECONDS + "; 0 tries once), printing one line per attempt;",
                "                            then the start fails with exit status 2. Meanwhile",
                "                            /_local/health and /_local/ready answer 503 starting.",
                "      --credential ACCESS_KEY:SECRET:ACCOUNT_ID[:operator]",
                "                            A credential the server accepts (repeatable). When given, only",
                "                            these are valid; otherwise the access key 'test' with secret",
                "                            'test' works, for account 000000000000, as the operator.",
                "                            ':operator' gives it the operator role: the server-wide",
                "                            controls (allAccounts, other accounts' fault rules).",
                "      --max-body-bytes N    Largest request body accepted (default: "
                        + ServerSettings.DEFAULT_MAX_BODY_BYTES + "); larger ones get",
                "                            400 BadRequestError.",
                "      --max-connections N   Most connections open at once (default: "
                        + ServerSettings.DEFAULT_MAX_CONNECTIONS + "); past it new ones wait",
                "                            until one closes.",
                "      --faults FILE         Inject faults: a JSON or YAML (.yaml, .yml) fault plan whose rules",
                "                            answer chosen operations with RateLimitError (429) or",
                "                            InternalServerError (500), or delay them, before they run or",
                "                            after they committed. Changeable at run time: /_local/faults.",
                "      --throttle RATE[:BURST]",
                "                            Throttle every account and operation to RATE calls a second,",
                "                            with bursts of up to BURST (default: RATE rounded up); excess",
                "                            calls get 429 RateLimitError. Off by default.",
                "      --seed FILE           Networks, security groups, users and bots to have in place at",
                "                            start-up (JSON or YAML, see docs/local-api.md). Missing items are",
                "                            created before the port opens; existing ones are left as they",
                "                            are. An invalid file stops the start with exit status 2.",
                "      --max-client-tokens N",
                "                            Most client tokens one account holds from the last 24 hours,",
                "                            all regions together (default: " + StateBounds.DEFAULT_MAX_CLIENT_TOKENS
                        + "). A repeat of a stored",
                "                            token is always answered; a new token beyond the bound gets",
                "                            429 RateLimitError until older ones expire.",
                "      --audit-retention DAYS",
                "                            Audit events older than this are deleted (default: "
                        + StateBounds.DEFAULT_AUDIT_RETENTION_DAYS + " days).",
                "      --audit-max-events N  Most audit events one account keeps, all regions together; the",
                "                            oldest beyond are deleted (default: " + StateBounds.DEFAULT_AUDIT_MAX_EVENTS
                        + ").",
                "                            Both audit bounds apply at start and every 10 minutes.",
                "      --secrets-key-file FILE",
                "                            The key (32 bytes, raw or base64) that encrypts the stored",
                "                            SSO and OpenTDF client secrets; created 0600 when absent at",
                "                            the first start (default: DIR/secrets.key of --data-dir, also",
                "                            with --database; random with --in-memory). Every node of one",
                "                            database needs the same key; a different one stops the start.",
                "  -h, --help                Show this help and exit.",
                "  -V, --version             Print the version and exit.",
                "");
    }
}
