package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.TxWork;

/**
 * The business rules of one operation. The input has been bound and validated against the
 * contract already; the handler runs inside the request's single transaction and returns the
 * output members.
 *
 * <h2>Work before the transaction</h2>
 * Nothing slow runs inside a transaction: no network I/O, no password hashing or verification. On
 * SQLite every transaction of every account runs on the one writer thread, so a slow step there
 * stalls every caller; on PostgreSQL it holds a pooled connection and its locks. An operation that
 * needs such work is registered with {@link #withWorkBefore}, in two steps:
 * <ol>
 *   <li>its {@link Before} step runs first, with no transaction open. It may read stored state, each
 *       read in a short transaction of its own ({@link Reads}), and it may refuse the call. Its
 *       result (a fetched document, a new hash, the stored hash a password was verified against)
 *       is handed to</li>
 *   <li>its {@link After} step, which runs inside the request's transaction, as any handler does,
 *       and applies that result. The state may have changed since the step before looked at it,
 *       so the step after checks what the result rests on still holds (for a verified password:
 *       the stored hash is still the one verified). If not, it throws {@link StaleWork}: the
 *       transaction is rolled back and the service runs both steps again, up to
 *       {@link #MAX_WORK_BEFORE_ATTEMPTS} times in all, then refuses the call with the error the
 *       StaleWork carries.</li>
 * </ol>
 * Only {@link WickrService} runs the two steps (its {@code invoke}); client tokens and the audit
 * trail work as for any operation: a repeated token is answered from the store without running the
 * step before, and a call refused by either step is recorded.
 */
@FunctionalInterface
public interface OperationHandler {
    /** How many times a call runs its step before when the step after finds the result stale. */
    int MAX_WORK_BEFORE_ATTEMPTS = 3;

    ObjectNode handle(Tx tx, Call call, ObjectNode input);

    /** An operation whose step inside the transaction needs slow work done before it (see the class comment). */
    static <R> OperationHandler withWorkBefore(Before<R> before, After<R> after) {
        return new WorkBefore<>(before, after);
    }

    /** The step before the transaction: runs with none open; may read through {@code reads} and may refuse. */
    @FunctionalInterface
    interface Before<R> {
        R prepare(Reads reads, Call call, ObjectNode input);
    }

    /** The step inside the transaction: the rules of the operation, given what the step before made. */
    @FunctionalInterface
    interface After<R> {
        ObjectNode apply(Tx tx, Call call, ObjectNode input, R prepared);
    }

    /** Reads for a step before: each one is a short transaction of its own, ended before the slow work starts. */
    interface Reads {
        <T> T read(TxWork<T> work);
    }

    /**
     * Thrown by a step after when what the step before's result rests on changed in between. It is
     * the refusal the call gets once the steps have been tried {@link #MAX_WORK_BEFORE_ATTEMPTS}
     * times, so it must say what happened in words the caller can act on. Throw it before writing.
     */
    final class StaleWork extends ServiceException {
        private static final long serialVersionUID = 1L;

        public StaleWork(ServiceException refusal) {
            super(refusal.kind(), refusal.getMessage(), refusal.problems());
        }
    }

    /** An operation in two steps, as {@link #withWorkBefore} makes it. */
    final class WorkBefore<R> implements OperationHandler {
        private final Before<R> before;
        private final After<R> after;

        private WorkBefore(Before<R> before, After<R> after) {
            this.before = before;
            this.after = after;
        }

        /** Runs the step before now, and answers the step after bound to its result. */
        OperationHandler prepare(Reads reads, Call call, ObjectNode input) {
            R result = before.prepare(reads, call, input);
            return (tx, c, in) -> after.apply(tx, c, in, result);
        }

        /** Refused: running both steps in one transaction is what this type exists to prevent. */
        @Override
        public ObjectNode handle(Tx tx, Call call, ObjectNode input) {
            throw new IllegalStateException("this operation has work to do before its transaction; run it through"
                    + " WickrService.invoke, or WickrService.prepare then invokeWithin");
        }
    }
}
