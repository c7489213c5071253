package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store's files are its owner's alone, and the client secrets it keeps are encrypted with a key
 * that lives outside the database (issue #11).
 */
class SecretsAtRestTest {
    private static final String OWNER_FILE = "rw-------";
    private static final String OWNER_FOLDER = "rwx------";
    private static final String OIDC_DOC = "{\"companyId\":\"acme\",\"secret\":\"oidc-hunter2\",\"clientSecret\":\"oidc-hunter2\"}";

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static NetworkRecord network(String id) {
        return new NetworkRecord(id, "000000000000", "us-east-1", "n" + id, "STANDARD", null, null, 1);
    }

    /** A network with both secrets set, written through the stores. */
    private static void configure(Database db, String net, String tdfSecret) {
        db.transaction(tx -> {
            NetworkStore.insert(tx, network(net));
            OidcConfigStore.save(tx, new OidcConfigRecord(net, OIDC_DOC.replace("acme", "acme-" + net), 7));
            OpenTdfConfigStore.save(tx, new OpenTdfConfigRecord(net, "cid", tdfSecret, "tdf.example.com", "virtru", 7));
            return null;
        });
    }

    private static String raw(Database db, String sql, String net) {
        return db.transaction(tx -> tx.one(sql, rs -> rs.getString(1), net).orElseThrow());
    }

    // -- files -------------------------------------------------------------------------------------

    private void assertStoreFilesAreTheOwnersOnly(Path dir) throws IOException {
        try (SqliteDatabase db = SqliteDatabase.open(dir)) {
            configure(db, "11111111", "tdf-secret");
            Path file = dir.resolve(SqliteDatabase.FILE_NAME);
            for (Path p : List.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"), dir.resolve(SecretsKey.FILE_NAME))) {
                assertThat(p).exists();
                assertThat(mode(p)).as(p.getFileName().toString()).isEqualTo(OWNER_FILE);
            }
        }
    }

    @Test
    void theDatabaseItsLogItsSharedMemoryAndTheKeyAreTheOwnersOnlyInAFolderItCreates() throws IOException {
        Path dir = tmp.resolve("made").resolve("data");
        assertStoreFilesAreTheOwnersOnly(dir);
        assertThat(mode(dir)).isEqualTo(OWNER_FOLDER);
        assertThat(mode(dir.getParent())).isEqualTo(OWNER_FOLDER);
    }

    @Test
    void andInAFolderThatExistedWhichKeepsItsMode() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("existing"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertStoreFilesAreTheOwnersOnly(dir);
        assertThat(mode(dir)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void filesAnEarlierVersionLeftReadableByOthersAreNarrowedAtOpen() throws IOException {
        Path file = tmp.resolve(SqliteDatabase.FILE_NAME);
        try (SqliteDatabase db = SqliteDatabase.open(tmp)) {
            configure(db, "11111111", "tdf-secret");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(tmp.resolve(SecretsKey.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
        try (SqliteDatabase db = SqliteDatabase.open(tmp)) {
            assertThat(mode(file)).isEqualTo(OWNER_FILE);
            assertThat(mode(tmp.resolve(SecretsKey.FILE_NAME))).isEqualTo(OWNER_FILE);
            configure(db, "22222222", "tdf-secret");
            // made by SQLite after the narrowing, with the database file's permissions
            assertThat(mode(Path.of(file + "-wal"))).isEqualTo(OWNER_FILE);
            assertThat(mode(Path.of(file + "-shm"))).isEqualTo(OWNER_FILE);
            assertThat(db.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow().clientSecret())
                    .isEqualTo("tdf-secret");
        }
    }

    // -- encryption ---------------------------------------------------------------------------------

    static Stream<Named<Supplier<Database>>> stores() {
        return TestStores.all();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theSecretColumnsHoldCiphertextAndTheStoresGiveTheClearText(Supplier<Database> store) {
        try (Database db = store.get()) {
            configure(db, "11111111", "tdf-hunter2");
            String tdf = raw(db, "SELECT client_secret FROM opentdf_configs WHERE network_id = ?", "11111111");
            String oidc = raw(db, "SELECT config FROM oidc_configs WHERE network_id = ?", "11111111");
            assertThat(tdf).startsWith("v1:").doesNotContain("hunter2");
            assertThat(oidc).startsWith("v1:").doesNotContain("hunter2").doesNotContain("acme");
            // a fresh nonce each time: the same secret written twice is stored differently
            configure(db, "22222222", "tdf-hunter2");
            assertThat(raw(db, "SELECT client_secret FROM opentdf_configs WHERE network_id = ?", "22222222"))
                    .isNotEqualTo(tdf);
            assertThat(db.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow().clientSecret())
                    .isEqualTo("tdf-hunter2");
            assertThat(db.transaction(tx -> OidcConfigStore.find(tx, "11111111")).orElseThrow().config())
                    .isEqualTo(OIDC_DOC.replace("acme", "acme-11111111"));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aCiphertextCopiedToAnotherNetworksRowDoesNotDecrypt(Supplier<Database> store) {
        try (Database db = store.get()) {
            configure(db, "11111111", "tdf-one");
            configure(db, "22222222", "tdf-two");
            db.transaction(tx -> tx.update("UPDATE opentdf_configs SET client_secret ="
                    + " (SELECT client_secret FROM opentdf_configs WHERE network_id = '11111111') WHERE network_id = ?",
                    "22222222"));
            db.transaction(tx -> tx.update("UPDATE oidc_configs SET config ="
                    + " (SELECT config FROM oidc_configs WHERE network_id = '11111111') WHERE network_id = ?",
                    "22222222"));
            assertThatThrownBy(() -> db.transaction(tx -> OpenTdfConfigStore.find(tx, "22222222")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("OpenTDF client secret of network 22222222 cannot be decrypted")
                    .hasMessageNotContaining("tdf-one");
            assertThatThrownBy(() -> db.transaction(tx -> OidcConfigStore.find(tx, "22222222")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("SSO configuration of network 22222222 cannot be decrypted");
            // the original row still reads, and a value moved to the other column does not either
            assertThat(db.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow().clientSecret())
                    .isEqualTo("tdf-one");
            db.transaction(tx -> tx.update("UPDATE oidc_configs SET config ="
                    + " (SELECT client_secret FROM opentdf_configs WHERE network_id = '11111111') WHERE network_id = ?",
                    "11111111"));
            assertThatThrownBy(() -> db.transaction(tx -> OidcConfigStore.find(tx, "11111111")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("cannot be decrypted");
        }
    }

    // -- the key ------------------------------------------------------------------------------------

    /** A key file of 32 random bytes, as an operator would make one. */
    private Path otherKey(String name) throws IOException {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return Files.write(tmp.resolve(name), k);
    }

    @Test
    void aSecondOpenWithAnotherKeyFailsWithOneClearLine() throws IOException {
        Path keyA = tmp.resolve("a.key");
        Path keyB = otherKey("b.key");
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SecretsKey.file(keyA))) {
            configure(db, "11111111", "tdf-secret");
        }
        assertThatThrownBy(() -> SqliteDatabase.open(tmp.resolve("data"), SecretsKey.file(keyB)))
                .isInstanceOf(SecretsKeyException.class)
                .hasMessage("the secrets key file " + tmp.resolve("b.key").toAbsolutePath() + " is not the key this"
                        + " database was first used with: every node of one database needs the same key"
                        + " (--secrets-key-file)");
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("data"), SecretsKey.file(keyA))) {
            assertThat(db.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow().clientSecret())
                    .isEqualTo("tdf-secret");
        }
    }

    @Test
    void aSecondNodeWithAnotherKeyFailsAtStartOnPostgresql() throws IOException {
        String url = TestPostgres.newDatabaseUrl();
        PoolSettings small = PoolSettings.defaults().withMaxConnections(2);
        try (PostgresDatabase first = PostgresDatabase.open(DatabaseUrl.parse(url), small, TestPostgres.KEY)) {
            configure(first, "11111111", "tdf-secret");
            assertThatThrownBy(() -> PostgresDatabase.open(DatabaseUrl.parse(url), small,
                    SecretsKey.file(otherKey("other.key"))))
                    .isInstanceOf(SecretsKeyException.class)
                    .hasMessageContaining("is not the key this database was first used with")
                    .hasMessageNotContaining("\n");
            try (PostgresDatabase second = PostgresDatabase.open(DatabaseUrl.parse(url), small, TestPostgres.KEY)) {
                assertThat(second.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow()
                        .clientSecret()).isEqualTo("tdf-secret");
            }
        }
    }

    @Test
    void aMissingKeyFileIsNotReplacedOnceTheDatabaseHasAKey() throws IOException {
        try (SqliteDatabase db = SqliteDatabase.open(tmp)) {
            configure(db, "11111111", "tdf-secret");
        }
        Path key = tmp.resolve(SecretsKey.FILE_NAME);
        byte[] kept = Files.readAllBytes(key);
        assertThat(kept).hasSize(32);
        Files.delete(key);
        assertThatThrownBy(() -> SqliteDatabase.open(tmp)).isInstanceOf(SecretsKeyException.class)
                .hasMessageContaining(key.toAbsolutePath() + " does not exist, but this database was first used with"
                        + " a secrets key");
        assertThat(key).doesNotExist();
        // base64 text is a key file too
        Files.writeString(key, Base64.getEncoder().encodeToString(kept) + "\n");
        try (SqliteDatabase db = SqliteDatabase.open(tmp)) {
            assertThat(db.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow().clientSecret())
                    .isEqualTo("tdf-secret");
        }
    }

    @Test
    void aMalformedKeyFileIsRefusedWithoutShowingIt() throws IOException {
        Path key = Files.writeString(tmp.resolve("bad.key"), "not-a-key-at-all");
        assertThatThrownBy(() -> SqliteDatabase.open(tmp.resolve("data"), SecretsKey.file(key)))
                .isInstanceOf(SecretsKeyException.class)
                .hasMessageContaining("must hold 32 bytes")
                .hasMessageNotContaining("not-a-key-at-all");
        assertThat(SecretsKey.file(key).toString()).doesNotContain("not-a-key");
    }

    // -- values an earlier version stored in clear ---------------------------------------------------

    /** Writes a network with clear secrets as the schema before SECRETS_VERSION stored them. */
    private static void writeAsVersion5(Connection c) throws SQLException {
        Migrations.apply(c, null, Migrations.SECRETS_VERSION - 1);
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO networks (network_id, account_id, region, name, name_key,"
                + " access_level, created_at) VALUES ('11111111', '000000000000', 'us-east-1', 'old', 'old', 'STANDARD', 1)")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO oidc_configs (network_id, config, modified_at) VALUES ('11111111', ?, 1)")) {
            ps.setString(1, OIDC_DOC);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO opentdf_configs (network_id, client_id,"
                + " client_secret, domain, provider, modified_at) VALUES ('11111111', 'cid', 'v1:legacy-clear', 'd.example.com', 'virtru', 1)")) {
            ps.executeUpdate();
        }
    }

    private static void assertEncryptedAndReadable(Database db) {
        // even a clear secret that looks like the prefix is encrypted: the migration runs once, on every value
        assertThat(raw(db, "SELECT client_secret FROM opentdf_configs WHERE network_id = ?", "11111111"))
                .startsWith("v1:").doesNotContain("legacy-clear");
        assertThat(raw(db, "SELECT config FROM oidc_configs WHERE network_id = ?", "11111111"))
                .startsWith("v1:").doesNotContain("hunter2");
        assertThat(db.transaction(tx -> OpenTdfConfigStore.find(tx, "11111111")).orElseThrow().clientSecret())
                .isEqualTo("v1:legacy-clear");
        assertThat(db.transaction(tx -> OidcConfigStore.find(tx, "11111111")).orElseThrow().config()).isEqualTo(OIDC_DOC);
    }

    @Test
    void secretsAnEarlierVersionStoredInClearAreEncryptedAtOpenOnSqlite() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(SqliteDatabase.FILE_NAME))) {
            writeAsVersion5(c);
        }
        try (SqliteDatabase db = SqliteDatabase.open(tmp)) {
            assertEncryptedAndReadable(db);
        }
        try (SqliteDatabase db = SqliteDatabase.open(tmp)) {
            assertEncryptedAndReadable(db); // and only once
        }
    }

    @Test
    void secretsAnEarlierVersionStoredInClearAreEncryptedAtOpenOnPostgresql() throws SQLException {
        DatabaseUrl url = DatabaseUrl.parse(TestPostgres.newDatabaseUrl());
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            writeAsVersion5(c);
        }
        PoolSettings small = PoolSettings.defaults().withMaxConnections(2);
        try (PostgresDatabase db = PostgresDatabase.open(url, small, TestPostgres.KEY)) {
            assertEncryptedAndReadable(db);
        }
        try (PostgresDatabase db = PostgresDatabase.open(url, small, TestPostgres.KEY)) {
            assertEncryptedAndReadable(db);
        }
    }
}
