package io.wickrlocal.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL server for the whole test run, started from the machine's binaries by
 * tools/local-postgres.sh (there is no Docker here), and a fresh database for each store a test
 * asks for. Set WICKR_TEST_POSTGRES_URL to use a server that is already running instead.
 */
public final class TestPostgres {
    /** The secrets key of every test store on PostgreSQL: nodes of one database need the same key. */
    public static final SecretsKey KEY = SecretsKey.random();
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String serverUrl;

    private TestPostgres() {}

    /** A new, empty database's URL, e.g. postgresql://127.0.0.1:5432/wickr_test_3?user=wickr. */
    public static synchronized String newDatabaseUrl() {
        String base = server();
        DatabaseUrl parsed = DatabaseUrl.parse(base);
        String name = "wickr_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        String admin = parsed.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection c = DriverManager.getConnection(admin, parsed.user(), parsed.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + parsed.describe(), e);
        }
        return base.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    public static PostgresDatabase newDatabase() {
        return PostgresDatabase.open(DatabaseUrl.parse(newDatabaseUrl()), PoolSettings.defaults().withMaxConnections(8),
                KEY);
    }

    /**
     * A PostgreSQL server of the test's own, which it may stop, crash and start again (the shared one
     * serves every other test): not started yet; {@link Cluster#start()} starts it, creating it the first
     * time. Closing it stops it and deletes its folder.
     */
    public static Cluster cluster() {
        requireBinaries();
        try {
            Path dir = Files.createTempDirectory("wickr-pg-own-");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            return new Cluster(dir, port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** See {@link #cluster()}; every method runs tools/local-postgres.sh. */
    public static final class Cluster implements AutoCloseable {
        private final Path dir;
        private final int port;

        private Cluster(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** The URL of its database {@code wickr}, which {@link #start()} creates. */
        public String url() {
            return "postgresql://127.0.0.1:" + port + "/wickr?user=wickr";
        }

        /** Starts it and returns once it accepts connections. */
        public void start() {
            script("start", dir.toString(), Integer.toString(port));
        }

        /** Stops it: {@code fast} ends the sessions and checkpoints; {@code immediate} leaves recovery to the next start. */
        public void stop(String mode) {
            script("stop", dir.toString(), mode);
        }

        /** Kills the postmaster with SIGKILL; returns once its other processes have exited. */
        public void crash() {
            script("crash", dir.toString());
        }

        /** Ends every client session, the server staying up. */
        public void terminateSessions() {
            script("terminate", dir.toString());
        }

        private static String script(String... args) {
            Path script = Path.of("tools", "local-postgres.sh").toAbsolutePath();
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", script.toString()));
            command.addAll(java.util.List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("local-postgres.sh " + String.join(" ", args) + " failed: " + out);
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                stop("immediate");
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException | RuntimeException e) {
                    // what could not be deleted stays in the temp folder
                }
            }
        }
    }

    /**
     * Without PostgreSQL's server binaries (and no WICKR_TEST_POSTGRES_URL), a test that needs PostgreSQL
     * is skipped, saying why and how to install them; in CI ({@code CI=true}) it fails instead, so that a
     * CI machine without them can never pass by skipping the PostgreSQL store.
     */
    static void requireBinaries() {
        if (binariesPresent()) {
            return;
        }
        String why = "PostgreSQL's server binaries (initdb under /usr/lib/postgresql/*/bin) are not installed;"
                + " install them with: apt-get install -y postgresql (or set WICKR_TEST_POSTGRES_URL)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI runs every test on PostgreSQL too: " + why);
        }
        org.junit.jupiter.api.Assumptions.abort("the PostgreSQL store is skipped: " + why);
    }

    private static boolean binariesPresent() {
        // The property lets a run check the skip (and CI's failure) on a machine that has the binaries.
        try (var versions = Files.list(Path.of(System.getProperty("wickr.test.postgresBinaries", "/usr/lib/postgresql")))) {
            return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")));
        } catch (IOException e) {
            return false;
        }
    }

    private static String server() {
        if (serverUrl != null) {
            return serverUrl;
        }
        String given = System.getenv("WICKR_TEST_POSTGRES_URL");
        if (given != null && !given.isBlank()) {
            serverUrl = given;
            return serverUrl;
        }
        requireBinaries();
        try {
            Path dir = Files.createTempDirectory("wickr-pg-");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path script = Path.of("tools", "local-postgres.sh").toAbsolutePath();
            Process p = new ProcessBuilder("bash", script.toString(), "start", dir.toString(), Integer.toString(port))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("could not start PostgreSQL for the tests: " + out);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder("bash", script.toString(), "stop", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
                    // A cluster takes about a gigabyte; left behind by every run, they filled the disk.
                    try (var files = Files.walk(dir)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // the run is ending; what could not be deleted stays in the temp folder
                }
            }));
            serverUrl = out.lines().reduce((a, b) -> b).orElseThrow();
            return serverUrl;
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL for the tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
