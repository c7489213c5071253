package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Database;

/**
 * Everything Wickr Local does for one operation, written next to the operation's handler.
 *
 * <h2>Why one descriptor</h2>
 * What the server does for an operation used to be spread over lists of names far from the operation
 * (which operations lock rows, which queue per account, which write one audit event per user, which
 * faults may touch). A reader had to visit four places to learn it, and each new capability (access
 * control, a console) would have needed one more list. Now each {@code *Operations} class registers
 * one descriptor per operation it serves, and nothing else in the code names operations to decide
 * anything: {@link WickrService} runs a descriptor, the audit trail reads its {@link #audit()}, the
 * protocol layer reads its {@link #faults()}. A test holds the descriptors to the contract: every
 * operation of the contract (the /_local extension included) has exactly one, and none names an
 * operation the contract does not have.
 *
 * <h2>How to read one</h2>
 * A descriptor is built from one of three starting points, then narrowed:
 * <pre>
 *   OperationDescriptor.change("BatchToggleUserSuspendStatus", this::toggle).rowLocking().auditPerUser()
 *   OperationDescriptor.read("GetNetwork", this::get)
 *   OperationDescriptor.inMemory("LocalGetFaults", this::get)
 * </pre>
 * <ul>
 *   <li>{@link #change} — an operation that changes state: runs in a {@link Transaction#PLAIN plain}
 *       (serializable) transaction, and every call is one audit event ({@link Audit#PER_CALL}).</li>
 *   <li>{@link #read} — an operation that only reads (the Get..., List... and export operations, exactly
 *       those bound to GET): a plain transaction, not audited.</li>
 *   <li>{@link #inMemory} — an operation on the server's memory, not the store (the /_local/faults
 *       operations): no transaction, not audited, and served while the store is unreachable.</li>
 *   <li>{@link #rowLocking()} / {@link #queuedPerAccount()} — the transaction kind, when not plain
 *       (see {@link Transaction}).</li>
 *   <li>{@link #auditPerUser()} — one audit event per user of the answer instead of one per call;
 *       {@link #notAudited()} — none at all.</li>
 *   <li>{@link #local()} — a /_local extension operation: injected faults and the throttle never act on
 *       it. Every operation of the Wickr contract is subject to them.</li>
 *   <li>Whether the operation does slow work before its transaction (hashing, an identity provider) is
 *       in its handler: one made by {@link OperationHandler#withWorkBefore} ({@link #worksBefore()}).</li>
 *   <li>The access-control {@link #action()} and {@link #resource} follow one rule for every operation,
 *       kept here for the access-control checks to come.</li>
 * </ul>
 * A descriptor is an immutable value: each narrowing answers a new one.
 *
 * @param name        the operation's name in the contract
 * @param handler     its business rules (see {@link OperationHandler})
 * @param transaction how its transaction runs
 * @param audit       what the audit trail keeps of its calls
 * @param faults      whether injected faults and the throttle act on its calls
 */
public record OperationDescriptor(String name, OperationHandler handler, Transaction transaction, Audit audit,
                                  boolean faults) {

    /** How an operation's transaction runs. */
    public enum Transaction {
        /** A serializable transaction ({@link Database#transaction}). */
        PLAIN,
        /**
         * A transaction whose handler locks every row its decisions rest on, so it needs no serializable
         * isolation ({@link Database#transactionWithRowLocks}): for an operation many clients call at once
         * on disjoint rows (the suspension toggle).
         */
        ROW_LOCKING,
        /**
         * A transaction that runs one at a time in each account and region ({@link Database#transactionQueuedBy}):
         * for an operation clients call many at once whose uniqueness checks would make concurrent
         * serializable calls abort each other (creating users).
         */
        QUEUED_PER_ACCOUNT,
        /** No transaction: the operation acts on the server's memory (the handler gets no {@code Tx}). */
        NONE
    }

    /** What the audit trail keeps of an operation's calls. */
    public enum Audit {
        /** Nothing: a read, or an operation that empties the trail itself. */
        NONE,
        /** One event per call, with its outcome. */
        PER_CALL,
        /**
         * One event per user of the answer's {@code successful} and {@code failed} lists (one per call when
         * both are empty); an item made from a request item with the same {@code username} also names that
         * item's security groups.
         */
        PER_USER
    }

    /** The work of an operation on the server's memory: no transaction, no store. */
    @FunctionalInterface
    public interface MemoryHandler {
        ObjectNode handle(Call call, ObjectNode input);
    }

    public OperationDescriptor {
        if (name == null || handler == null || transaction == null || audit == null) {
            throw new IllegalArgumentException("a descriptor needs a name, a handler, a transaction kind and an audit shape");
        }
    }

    /** An operation that changes state: a plain transaction, one audit event per call, faults apply. */
    public static OperationDescriptor change(String name, OperationHandler handler) {
        return new OperationDescriptor(name, handler, Transaction.PLAIN, Audit.PER_CALL, true);
    }

    /** An operation that only reads: a plain transaction, not audited, faults apply. */
    public static OperationDescriptor read(String name, OperationHandler handler) {
        return new OperationDescriptor(name, handler, Transaction.PLAIN, Audit.NONE, true);
    }

    /** A /_local operation on the server's memory: no transaction, not audited, faults never apply. */
    public static OperationDescriptor inMemory(String name, MemoryHandler handler) {
        return new OperationDescriptor(name, (tx, call, input) -> handler.handle(call, input), Transaction.NONE,
                Audit.NONE, false);
    }

    /** This operation, its handler locking the rows it decides on instead of serializable isolation. */
    public OperationDescriptor rowLocking() {
        return new OperationDescriptor(name, handler, Transaction.ROW_LOCKING, audit, faults);
    }

    /** This operation, its transactions run one at a time in each account and region. */
    public OperationDescriptor queuedPerAccount() {
        return new OperationDescriptor(name, handler, Transaction.QUEUED_PER_ACCOUNT, audit, faults);
    }

    /** This operation, audited with one event per user of its answer. */
    public OperationDescriptor auditPerUser() {
        return new OperationDescriptor(name, handler, transaction, Audit.PER_USER, faults);
    }

    /** This operation, not audited. */
    public OperationDescriptor notAudited() {
        return new OperationDescriptor(name, handler, transaction, Audit.NONE, faults);
    }

    /** This operation as a /_local extension: injected faults and the throttle never act on it. */
    public OperationDescriptor local() {
        return new OperationDescriptor(name, handler, transaction, audit, false);
    }

    /** Whether the operation does slow work before its transaction ({@link OperationHandler#withWorkBefore}). */
    public boolean worksBefore() {
        return handler instanceof OperationHandler.WorkBefore<?>;
    }

    /** Whether a call of it reaches the store (and so is refused while the store is unreachable). */
    public boolean reachesStore() {
        return transaction != Transaction.NONE;
    }

    /** The access-control action a call of it is: {@code wickr:<name>}. */
    public String action() {
        return "wickr:" + name;
    }

    /**
     * The resource a call acts on, for access control: the ARN of the network the input names
     * ({@code arn:aws:wickr:<region>:<account>:network/<networkId>}), or {@code *} when it names none.
     */
    public String resource(Call call, ObjectNode input) {
        String networkId = input == null ? null : Json.text(input, "networkId");
        return networkId == null ? "*"
                : "arn:aws:wickr:" + call.region() + ":" + call.accountId() + ":network/" + networkId;
    }
}
