package io.wickrlocal.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresSchemaTest {

    @Test
    void usersPagesLeaveRoomForHeapOnlyUpdates() {
        try (PostgresDatabase db = TestPostgres.newDatabase()) {
            String options = db.transaction(tx -> tx.one(
                    "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'users'",
                    rs -> rs.getString(1)).orElse(null));
            assertThat(options).isEqualTo("fillfactor=80");
        }
    }

    @Test
    void statementsMarkedForPostgresqlOnlyAreKeptWhole() {
        assertThat(Migrations.statements("-- a comment\n" + Migrations.POSTGRESQL_ONLY + " ALTER TABLE t SET (x = 1);\n"))
                .containsExactly(Migrations.POSTGRESQL_ONLY + " ALTER TABLE t SET (x = 1)");
    }
}
