package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.StateTables;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.Map;

/**
 * The /_local state operations: reset an account (or everything), export a snapshot, import one.
 * Each runs as one operation, so in one transaction: a reset or an import is whole or not at all. The
 * key that seals or opens a snapshot's secrets is derived before that transaction.
 */
final class StateOperations {
    private final Clock clock;

    StateOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("LocalReset", this::reset).notAudited().local());
        // Deriving the key of a snapshot's secrets is slow on purpose: it runs before the transaction.
        into.add(OperationDescriptor.read("LocalExportSnapshot", OperationHandler.withWorkBefore((reads, call, in) -> {
            if (in.path("allAccounts").asBoolean(false)) {
                call.requireOperator("a snapshot of every account (allAccounts)");
            }
            String passphrase = Json.text(in, "passphrase");
            return passphrase == null ? null : SnapshotSecrets.create(passphrase);
        }, this::export)).local());
        into.add(OperationDescriptor.change("LocalImportSnapshot", OperationHandler.withWorkBefore(StateOperations::openSecrets,
                this::importSnapshot)).local());
    }

    /**
     * The step before LocalImportSnapshot: the document's sealed secrets opened with the passphrase, or
     * null when there are none to open or the secrets header is wrong (the import then refuses it, in
     * its order of checks, without deriving anything).
     */
    private static SnapshotSecrets openSecrets(OperationHandler.Reads reads, Call call, ObjectNode in) {
        if (in.path("allAccounts").asBoolean(false)) {
            call.requireOperator("an import of every account (allAccounts)");
        }
        String passphrase = Json.text(in, "passphrase");
        if (passphrase == null || !in.hasNonNull("secrets")) {
            return null;
        }
        try {
            return SnapshotSecrets.open(in.get("secrets"), passphrase, "secrets");
        } catch (ServiceException e) {
            return null;
        }
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

    private ObjectNode export(Tx tx, Call call, ObjectNode in, SnapshotSecrets secrets) {
        boolean all = in.path("allAccounts").asBoolean(false);
        if (all) {
            call.requireOperator("a snapshot of every account (allAccounts)");
        }
        return SnapshotExporter.export(tx, all ? null : call.accountId(), secrets, clock.instant().getEpochSecond());
    }

    private ObjectNode importSnapshot(Tx tx, Call call, ObjectNode in, SnapshotSecrets opened) {
        return SnapshotImporter.importDocument(tx, call, in, in.path("allAccounts").asBoolean(false),
                Json.text(in, "passphrase"), opened);
    }
}
