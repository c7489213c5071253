package io.wickrlocal.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a schema up to date. Each migration is a SQL file run once, in order, inside one
 * transaction together with the row that records it. Hand-written rather than Flyway: the whole
 * runner is this class, and it keeps start-up well under the second the server is allowed.
 */
final class Migrations {
    /** In order. Append new files; never edit one that has shipped. */
    static final List<String> FILES = List.of("V1__baseline.sql", "V2__bots_guests_settings_sso.sql",
            "V3__user_counts.sql", "V4__audit.sql", "V5__users_fillfactor.sql",
            "V6__client_tokens_by_account.sql", "V7__secrets_key_check.sql", "V8__deleted_networks.sql");

    /** The version that brings encrypted secrets and the key check ({@link #secrets}). */
    static final int SECRETS_VERSION = 7;

    /** Begins a statement that only PostgreSQL runs (a storage setting SQLite has no counterpart for). */
    static final String POSTGRESQL_ONLY = "/* postgresql only */";

    private Migrations() {}

    /** Any fixed number: the PostgreSQL advisory lock that keeps nodes from migrating at the same time. */
    static final long MIGRATION_LOCK = 0x5769636b724c6fL;

    /**
     * Runs in one transaction (both engines have transactional DDL): either the store ends up at
     * the latest version, or it is left as it was. The secrets key is checked against the database in
     * the same transaction (on PostgreSQL under the migration lock, so two nodes starting together on a
     * new database do not both write a check value).
     *
     * @return the cipher of the store's secrets
     * @throws SecretsKeyException when the key is missing, malformed, or not the database's
     */
    static SecretCipher apply(Connection c, SecretsKey key) throws SQLException {
        return apply(c, key, FILES.size());
    }

    /**
     * Brings the schema up to version {@code last} only: tests make a database as an earlier version
     * left it. Below {@link #SECRETS_VERSION} no key is needed (null is returned).
     */
    static SecretCipher apply(Connection c, SecretsKey key, int last) throws SQLException {
        boolean auto = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        if (postgres) {
            // Not SERIALIZABLE: its snapshot would be taken before the lock is granted, and a node
            // that waited for another's migration would not see it and run it again.
            if (!auto) {
                c.rollback(); // reading the isolation level above opened a transaction
            }
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (postgres) {
                // Held until the commit, so two nodes starting together do not both migrate.
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            }
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                    + " file TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            int current;
            try (var rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > FILES.size()) {
                throw new IllegalStateException("the store has schema version " + current
                        + " but this Wickr Local knows only up to " + FILES.size() + "; use a newer build");
            }
            SecretCipher cipher = null;
            for (int v = current + 1; v <= last; v++) {
                String file = FILES.get(v - 1);
                for (String sql : statements(read(file))) {
                    if (postgres || !sql.startsWith(POSTGRESQL_ONLY)) {
                        s.execute(sql);
                    }
                }
                if (v == SECRETS_VERSION) {
                    cipher = secrets(c, key);
                    encryptClearSecrets(c, cipher);
                }
                try (var ps = c.prepareStatement("INSERT INTO schema_version (version, file, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, file);
                    ps.setLong(3, System.currentTimeMillis() / 1000);
                    ps.executeUpdate();
                }
            }
            if (cipher == null && last >= SECRETS_VERSION) {
                cipher = secrets(c, key);
            }
            c.commit();
            return cipher;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            if (postgres) {
                c.setTransactionIsolation(isolation);
            }
            c.setAutoCommit(auto);
        }
    }

    /**
     * The cipher of the given key, checked against the database: the first time, the key's check value
     * is stored (a missing key file may be created then); afterwards the key must match it.
     */
    private static SecretCipher secrets(Connection c, SecretsKey key) throws SQLException {
        String stored = null;
        try (var ps = c.prepareStatement("SELECT check_value FROM secrets_key_check WHERE id = 1");
             var rs = ps.executeQuery()) {
            if (rs.next()) {
                stored = rs.getString(1);
            }
        }
        SecretCipher cipher = new SecretCipher(key.bytes(stored == null));
        if (stored == null) {
            try (var ps = c.prepareStatement("INSERT INTO secrets_key_check (id, check_value, created_at) VALUES (1, ?, ?)")) {
                ps.setString(1, cipher.checkValue());
                ps.setLong(2, System.currentTimeMillis() / 1000);
                ps.executeUpdate();
            }
        } else if (!java.security.MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                cipher.checkValue().getBytes(StandardCharsets.US_ASCII))) {
            throw new SecretsKeyException(key.describe() + " is not the key this database was first used with:"
                    + " every node of one database needs the same key (--secrets-key-file)");
        }
        return cipher;
    }

    /**
     * Encrypts the secrets that versions before {@link #SECRETS_VERSION} stored in clear. Runs once, with
     * that migration: from then on every value of these columns is ciphertext.
     */
    private static void encryptClearSecrets(Connection c, SecretCipher cipher) throws SQLException {
        encryptColumn(c, cipher, "oidc_configs", "config", OidcConfigStore.COLUMN);
        encryptColumn(c, cipher, "opentdf_configs", "client_secret", OpenTdfConfigStore.COLUMN);
    }

    private static void encryptColumn(Connection c, SecretCipher cipher, String table, String column, String field)
            throws SQLException {
        java.util.Map<String, String> clear = new java.util.LinkedHashMap<>();
        try (var ps = c.prepareStatement("SELECT network_id, " + column + " FROM " + table);
             var rs = ps.executeQuery()) {
            while (rs.next()) {
                clear.put(rs.getString(1), rs.getString(2));
            }
        }
        try (var ps = c.prepareStatement("UPDATE " + table + " SET " + column + " = ? WHERE network_id = ?")) {
            for (var e : clear.entrySet()) {
                ps.setString(1, cipher.seal(e.getValue(), field, e.getKey()));
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
        }
    }

    /** Splits a migration into statements: ';' at the end of a line ends one; '--' lines are comments. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String read(String file) {
        String resource = "/io/wickrlocal/store/migrations/" + file;
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
