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

    private static String server() {
        if (serverUrl != null) {
            return serverUrl;
        }
        String given = System.getenv("WICKR_TEST_POSTGRES_URL");
        if (given != null && !given.isBlank()) {
            serverUrl = given;
            return serverUrl;
        }
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
