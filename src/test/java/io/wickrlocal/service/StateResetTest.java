package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import io.wickrlocal.store.StateTables;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Reset takes every row of the calling account (every region, client tokens included) and nothing else. */
class StateResetTest {
    static final Call A_EAST = SnapshotRoundTripTest.A_EAST;
    static final Call A_WEST = SnapshotRoundTripTest.A_WEST;
    static final Call B = SnapshotRoundTripTest.B;

    @EveryStore
    void resettingAnAccountLeavesTheOthersUntouched(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            RichState.populate(f, A_EAST, "a1");
            RichState.populate(f, A_WEST, "w1");
            RichState.populate(f, B, "b1");
            Map<String, String> readsOfB = RichState.reads(f, B);
            Map<String, List<String>> rowsBefore = SnapshotRoundTripTest.rows(f);

            ObjectNode answer = f.invoke("LocalReset", A_WEST, Json.object());
            assertThat(answer.get("networksDeleted").asInt()).isEqualTo(2);
            assertThat(answer.get("message").asText()).contains("000000000000", "every region");

            Map<String, List<String>> rowsAfter = SnapshotRoundTripTest.rows(f);
            Set<String> networksOfA = new HashSet<>();
            f.service.transaction(tx -> networksOfA.addAll(tx.list("SELECT network_id FROM networks", rs -> rs.getString(1))));
            assertThat(networksOfA).hasSize(1);
            for (String table : rowsBefore.keySet()) {
                // What is left is exactly the rows of account B's network, all of them.
                String kept = networksOfA.iterator().next();
                assertThat(rowsAfter.get(table)).as(table)
                        .allMatch(row -> row.contains(kept) || table.equals("networks") && row.contains("111111111111"))
                        .containsExactlyInAnyOrderElementsOf(rowsBefore.get(table).stream()
                                .filter(row -> row.contains(kept)).toList());
            }
            assertThat(tokens(f, "000000000000")).isZero();
            assertThat(tokens(f, "111111111111")).isOne();
            // The reset account's trail starts again with the reset; the other account keeps its history.
            assertThat(auditOperations(f, "000000000000")).isEmpty();
            assertThat(auditOperations(f, "111111111111")).isNotEmpty().doesNotContain("LocalReset");
            assertThat(RichState.reads(f, B)).isEqualTo(readsOfB);
            assertThat(RichState.reads(f, A_EAST).keySet()).containsExactly("ListNetworks {\"maxResults\":100}");
        }
    }

    private static List<String> auditOperations(ServiceFixture f, String accountId) {
        return f.service.transaction(tx -> tx.list("SELECT operation FROM audit_events WHERE account_id = ?",
                rs -> rs.getString(1), accountId));
    }

    @EveryStore
    void allAccountsEmptiesEveryTable(Supplier<Database> store) {
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            RichState.populate(f, A_EAST, "a1");
            RichState.populate(f, B, "b1");
            ObjectNode in = Json.object();
            in.put("allAccounts", true);
            // Only the operator reaches beyond its own account; anyone else changes nothing.
            ServiceException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    ServiceException.class, () -> f.invoke("LocalReset", B, in));
            assertThat(refused.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(refused.getMessage()).contains("operator role", "allAccounts");
            assertThat(f.invoke("ListNetworks", A_EAST, Json.object()).get("networks")).hasSize(1);
            assertThat(f.invoke("LocalReset", ServiceFixture.operator(A_EAST), in).get("networksDeleted").asInt())
                    .isEqualTo(2);
            f.service.transaction(tx -> {
                for (String table : StateTables.names()) {
                    assertThat(tx.count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
                }
                return null;
            });
            // The store works as before: the next test starts from nothing.
            RichState.populate(f, A_EAST, "again");
            assertThat(f.service.reset("000000000000")).isEqualTo(1);
            assertThat(f.service.resetAll()).isZero();
        }
    }

    @Test
    void everyTableOfTheSchemaIsResetAndCarriedBySnapshots() {
        try (ServiceFixture f = new ServiceFixture(io.wickrlocal.store.SqliteDatabase.inMemory())) {
            Set<String> schema = f.service.transaction(StateTables::inSchema);
            Set<String> state = new HashSet<>(schema);
            state.removeAll(StateTables.NOT_STATE);
            assertThat(StateTables.names()).as("tables reset (StateTables.ALL)").containsExactlyInAnyOrderElementsOf(state);
            assertThat(Snapshot.TABLES.keySet()).as("tables a snapshot accounts for (Snapshot.TABLES)")
                    .containsExactlyInAnyOrderElementsOf(state);
            assertThat(StateTables.ALL.get(StateTables.ALL.size() - 1).name()).isEqualTo("networks");
        }
    }

    private static long tokens(ServiceFixture f, String account) {
        return f.service.transaction(tx -> tx.count("SELECT COUNT(*) FROM idempotency_records WHERE account_id = ?",
                account));
    }
}
