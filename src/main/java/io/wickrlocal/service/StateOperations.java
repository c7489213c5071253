package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.StateTables;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.Map;

/**
 * The /_local state operations: reset an account (or everything), export a snapshot, import one.
 * Each runs as one operation, so in one transaction: a reset or an import is whole or not at all.
 */
final class StateOperations {
    private final Clock clock;

    StateOperations(Clock clock) {
        this.clock = clock;
    }

    void register(Map<String, OperationHandler> into) {
        into.put("LocalReset", this::reset);
        into.put("LocalExportSnapshot", this::export);
        into.put("LocalImportSnapshot", this::importSnapshot);
    }

    /** Everything of the calling account, in every region: the account is what a test owns. */
    private ObjectNode reset(Tx tx, Call call, ObjectNode in) {
        boolean all = in.path("allAccounts").asBoolean(false);
        if (all) {
            call.requireOperator("a reset of every account (allAccounts)");
        }
        int networks = all ? StateTables.resetAll(tx) : StateTables.resetAccount(tx, call.accountId());
        ObjectNode out = Json.object();
        out.put("message", (all ? "Every account was reset" : "Account " + call.accountId()
                + " was reset in every region") + ": " + networks + " network(s) deleted with everything in them");
        out.put("networksDeleted", networks);
        return out;
    }

    private ObjectNode export(Tx tx, Call call, ObjectNode in) {
        boolean all = in.path("allAccounts").asBoolean(false);
        if (all) {
            call.requireOperator("a snapshot of every account (allAccounts)");
        }
        String passphrase = Json.text(in, "passphrase");
        return SnapshotExporter.export(tx, all ? null : call.accountId(),
                passphrase == null ? null : SnapshotSecrets.create(passphrase), clock.instant().getEpochSecond());
    }

    private ObjectNode importSnapshot(Tx tx, Call call, ObjectNode in) {
        return SnapshotImporter.importDocument(tx, call, in, in.path("allAccounts").asBoolean(false),
                Json.text(in, "passphrase"));
    }
}
