package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.AuditStore;
import io.wickrlocal.store.ClientTokenBusyException;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.IdempotencyRecord;
import io.wickrlocal.store.IdempotencyStore;
import io.wickrlocal.store.StateTables;
import io.wickrlocal.store.Tx;
import io.wickrlocal.store.TxWork;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Wickr service without its wire protocol: runs one operation for one caller inside one
 * transaction, and makes calls that carry a client token idempotent, within a bound on the tokens an
 * account holds ({@link ClientTokenBudget}). An operation's slow work (network I/O, password hashing)
 * runs before that transaction, never inside it: see {@link OperationHandler}.
 */
public final class WickrService {
    private static final Logger LOG = LoggerFactory.getLogger(WickrService.class);
    /** How long a client token keeps its first answer. */
    public static final Duration TOKEN_WINDOW = Duration.ofHours(24);
    /** The most expired client tokens (each a stored answer of up to a few kilobytes) one purge step deletes. */
    static final int PURGE_BATCH = 500;

    /**
     * The step inside for a call whose client token had an answer when looked up before the transaction, but
     * not in it (it expired meanwhile): the work before was skipped, so it must run after all.
     */
    private static final OperationHandler ANSWER_GONE = (tx, call, input) -> {
        throw new OperationHandler.StaleWork(ServiceException.badRequest("The first answer to this client token"
                + " expired while the call was repeated; send the request again"));
    };

    /** Steps before the transaction that one account may run at once (see {@link #prepareWithin}). */
    static final int MAX_WORK_BEFORE_PER_ACCOUNT = 8;

    private final Database database;
    private final Clock clock;
    private final Map<String, java.util.concurrent.Semaphore> workBefore = new java.util.concurrent.ConcurrentHashMap<>();
    private final OperationTable operations;
    private final ClientTokenBudget clientTokens;
    private final AuditEviction auditEviction;

    public WickrService(Database database, Clock clock) {
        this(database, clock, StateBounds.defaults());
    }

    /** @param bounds how many client tokens and audit events an account may hold */
    public WickrService(Database database, Clock clock, StateBounds bounds) {
        this(database, clock, bounds, new OidcDiscoveryClient(), AuditEviction.BATCH, AuditEviction.COUNT_CHUNK);
    }

    /** @param discovery how RegisterOidcConfigTest fetches a provider's document (tests give shorter limits) */
    WickrService(Database database, Clock clock, OidcDiscoveryClient discovery) {
        this(database, clock, StateBounds.defaults(), discovery, AuditEviction.BATCH, AuditEviction.COUNT_CHUNK);
    }

    /**
     * @param evictionBatch the most events one step of the audit eviction removes, and
     * @param countChunk the most it counts (tests make both small)
     */
    WickrService(Database database, Clock clock, StateBounds bounds, int evictionBatch, int countChunk) {
        this(database, clock, bounds, new OidcDiscoveryClient(), evictionBatch, countChunk);
    }

    private WickrService(Database database, Clock clock, StateBounds bounds, OidcDiscoveryClient discovery,
                         int evictionBatch, int countChunk) {
        this.database = database;
        this.clock = clock;
        this.clientTokens = new ClientTokenBudget(database, clock, bounds.maxClientTokens(), TOKEN_WINDOW);
        this.auditEviction = new AuditEviction(database, clock, bounds.auditRetention(), bounds.auditMaxEvents(),
                evictionBatch, countChunk);
        OperationTable h = new OperationTable();
        new NetworkOperations(clock).register(h);
        new SecurityGroupOperations(clock).register(h);
        new UserOperations(clock).register(h);
        new SuspensionOperations(clock).register(h);
        new AccessOperations(clock).register(h);
        new BotOperations(clock).register(h);
        new DataRetentionOperations(clock).register(h);
        new GuestOperations(clock).register(h);
        new NetworkSettingsOperations(clock).register(h);
        new SsoOperations(clock, discovery).register(h);
        new OpenTdfOperations(clock).register(h);
        new StateOperations(clock).register(h);
        new AuditOperations(this::isImplemented).register(h);
        this.operations = h;
    }

    public Set<String> implementedOperations() {
        return operations.names();
    }

    public boolean isImplemented(String operation) {
        return operations.get(operation) != null;
    }

    /** The descriptor of an operation the service runs, or null (see {@link OperationDescriptor}). */
    public OperationDescriptor descriptor(String operation) {
        return operations.get(operation);
    }

    /** The descriptors of every operation the service runs. */
    public Collection<OperationDescriptor> descriptors() {
        return operations.all();
    }

    /**
     * Runs the operation by name: {@link #invoke(OperationDescriptor, Call, ObjectNode, String, String)} with
     * its descriptor; an operation without one is refused.
     */
    public ObjectNode invoke(String operation, Call call, ObjectNode input, String clientToken, String tokenMember) {
        return invoke(require(operation), call, input, clientToken, tokenMember);
    }

    /**
     * Runs the operation as its descriptor says. An audited operation ({@link OperationDescriptor#audit()})
     * writes its audit events in the same transaction as its change; a call the service refuses is recorded
     * afterwards, in a transaction of its own, because its own transaction was rolled back. An operation on
     * the server's memory ({@link OperationDescriptor.Transaction#NONE}) runs at once, with no transaction.
     *
     * @param clientToken the idempotency token the client sent, or null
     * @param tokenMember the input member that carries it (left out of the request fingerprint)
     */
    public ObjectNode invoke(OperationDescriptor operation, Call call, ObjectNode input, String clientToken,
                             String tokenMember) {
        if (operation.transaction() == OperationDescriptor.Transaction.NONE) {
            return operation.handler().handle(null, call, input);
        }
        AuditTrail audit = operation.audit() == OperationDescriptor.Audit.NONE ? null
                : new AuditTrail(operation.name(), operation.audit(), call, input, clientToken, clock.millis());
        try {
            return run(operation, call, input, clientToken, tokenMember, audit);
        } catch (ServiceException e) {
            if (audit != null) {
                recordRejection(audit, e);
            }
            throw e;
        }
    }

    /**
     * Runs the call; an operation with work before its transaction (see {@link OperationHandler}) runs that
     * work first, outside any transaction, then its step inside the transaction with the result. A client
     * token already answered skips the work before: the transaction answers (or refuses) the repeat from the
     * store. When the step inside finds the result stale, both steps run again, a bounded number of times.
     */
    private ObjectNode run(OperationDescriptor operation, Call call, ObjectNode input,
                           String clientToken, String tokenMember, AuditTrail audit) {
        if (!(operation.handler() instanceof OperationHandler.WorkBefore<?> steps)) {
            return runInTransaction(operation, operation.handler(), call, input, clientToken, tokenMember, audit);
        }
        for (int attempt = 1; ; attempt++) {
            OperationHandler inside = clientToken != null && tokenAnswered(operation.name(), call, clientToken)
                    ? ANSWER_GONE : prepareWithin(steps, call, input);
            try {
                return runInTransaction(operation, inside, call, input, clientToken, tokenMember, audit);
            } catch (OperationHandler.StaleWork stale) {
                if (attempt >= OperationHandler.MAX_WORK_BEFORE_ATTEMPTS) {
                    throw stale;
                }
            }
        }
    }

    /**
     * Runs a step before its transaction, as one of at most {@link #MAX_WORK_BEFORE_PER_ACCOUNT} such steps
     * of the caller's account at once. The step may wait seconds on an identity provider, on a request
     * thread; the cap keeps one account from holding every thread of the server that way. Past it the call
     * is refused at once with RateLimitError, having done nothing.
     */
    private OperationHandler prepareWithin(OperationHandler.WorkBefore<?> steps, Call call, ObjectNode input) {
        java.util.concurrent.Semaphore permits = workBefore.computeIfAbsent(call.accountId(),
                k -> new java.util.concurrent.Semaphore(MAX_WORK_BEFORE_PER_ACCOUNT));
        if (!permits.tryAcquire()) {
            throw ServiceException.rateLimited("Account " + call.accountId() + " already has "
                    + MAX_WORK_BEFORE_PER_ACCOUNT + " calls waiting on slow work (an identity provider, password"
                    + " hashing) at once; retry when one of them has finished");
        }
        try {
            return steps.prepare(database::transaction, call, input);
        } finally {
            permits.release();
        }
    }

    /** Whether a call with this token was answered within the window: a short read of its own. */
    private boolean tokenAnswered(String operation, Call call, String clientToken) {
        long now = clock.instant().getEpochSecond();
        return database.transaction(tx -> IdempotencyStore.find(tx, call.accountId(), call.region(), operation,
                clientToken).filter(r -> r.createdAt() > now - TOKEN_WINDOW.toSeconds()).isPresent());
    }

    private ObjectNode runInTransaction(OperationDescriptor descriptor, OperationHandler handler, Call call,
                                        ObjectNode input, String clientToken, String tokenMember, AuditTrail audit) {
        String operation = descriptor.name();
        if (clientToken == null) {
            return inTransaction(descriptor, call, tx -> handle(tx, handler, call, input, audit));
        }
        String fingerprint = fingerprint(input, tokenMember);
        ClientTokenBudget.Admission admission = clientTokens.admission(call.accountId());
        TxWork<ObjectNode> work = tx -> {
            admission.attempt();
            long now = clock.instant().getEpochSecond();
            // The claim comes first, before the handler reads or locks anything (see IdempotencyStore#claim).
            Optional<IdempotencyRecord> previous = IdempotencyStore.claim(tx, call.accountId(), call.region(),
                    operation, clientToken, fingerprint, now, TOKEN_WINDOW.toSeconds());
            if (previous.isPresent()) {
                if (!previous.get().fingerprint().equals(fingerprint)) {
                    throw ServiceException.badRequest("The client token " + clientToken + " was already used for a "
                            + operation + " request with different parameters; use a new token for a new request");
                }
                ObjectNode first = (ObjectNode) Json.read(previous.get().response());
                if (audit != null) {
                    AuditStore.insert(tx, audit.replayed(first));
                }
                return first;
            }
            admission.take(); // a new token: refused while the account holds its bound of them
            ObjectNode output = handle(tx, handler, call, input, audit);
            IdempotencyStore.complete(tx, call.accountId(), call.region(), operation, clientToken, Json.write(output));
            return output;
        };
        boolean committed = false;
        try {
            ObjectNode output = inTransaction(descriptor, call, work);
            committed = true;
            return output;
        } catch (ClientTokenBusyException busy) {
            throw new ServiceException(ErrorKind.INTERNAL, "Another copy of this " + operation + " request, with"
                    + " client token " + clientToken + ", is still running; this copy waited for it as long as the"
                    + " store allows and did nothing. It is safe to retry with the same client token: the retry gets"
                    + " the first copy's answer once that has finished");
        } finally {
            admission.finish(committed);
        }
    }

    /** The transaction of the descriptor's kind (see {@link OperationDescriptor.Transaction}). */
    private ObjectNode inTransaction(OperationDescriptor operation, Call call, TxWork<ObjectNode> work) {
        switch (operation.transaction()) {
            case ROW_LOCKING:
                return database.transactionWithRowLocks(work);
            case QUEUED_PER_ACCOUNT:
                return database.transactionQueuedBy(operation.name() + "|" + call.accountId() + "|" + call.region(),
                        work);
            default:
                return database.transaction(work);
        }
    }

    /** One attempt of the handler; its audit notes start empty, as a retried transaction starts again. */
    private static ObjectNode handle(Tx tx, OperationHandler handler, Call call, ObjectNode input, AuditTrail audit) {
        if (audit == null) {
            return handler.handle(tx, call, input);
        }
        AuditNotes notes = AuditNotes.kept();
        ObjectNode output = handler.handle(tx, call.with(notes), input);
        AuditStore.insert(tx, audit.succeeded(output, notes));
        return output;
    }

    /**
     * Records a refused call with its error as the outcome. A failure to record is logged and
     * swallowed: the client gets the error the call earned, never a 500 because of the trail.
     */
    private void recordRejection(AuditTrail audit, ServiceException refusal) {
        try {
            database.transaction(tx -> {
                AuditStore.insert(tx, audit.rejected(refusal.kind()));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not record a refused call in the audit trail: {}", e.toString());
        }
    }

    /**
     * Forgets client tokens older than the window, account by account, at most {@link #PURGE_BATCH} in each
     * transaction, so that a purge after a busy day never holds the store for long; returns how many went.
     */
    public int purgeExpiredTokens() {
        long cutoff = clock.instant().getEpochSecond() - TOKEN_WINDOW.toSeconds();
        int purged = 0;
        String account = "";
        while ((account = next(account)) != null) {
            String of = account;
            int n;
            do {
                n = database.transactionWithRowLocks(tx -> IdempotencyStore.purgeOlderThan(tx, of, cutoff,
                        PURGE_BATCH));
                purged += n;
            } while (n == PURGE_BATCH);
        }
        return purged;
    }

    private String next(String account) {
        return database.transactionWithRowLocks(tx -> IdempotencyStore.nextAccount(tx, account));
    }

    /**
     * Applies the audit trail's bounds (see {@link AuditEviction}): removes the events older than the
     * retention, then each account's oldest beyond its bound; returns how many went.
     */
    public long evictAuditEvents() {
        return auditEviction.run().total();
    }

    private static String fingerprint(ObjectNode input, String tokenMember) {
        ObjectNode copy = input.deepCopy();
        if (tokenMember != null) {
            copy.remove(tokenMember);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.canonical(copy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs one operation inside a transaction the caller already holds, without a client token:
     * for work that must combine several operations atomically, such as applying a seed file. The
     * input must have been checked against the contract, as for {@link #invoke}. An operation with work
     * before its transaction ({@link #worksBefore}) needs {@link #invokeWithin(Tx, String, Call, ObjectNode,
     * Prepared)} instead.
     */
    public ObjectNode invokeWithin(Tx tx, String operation, Call call, ObjectNode input) {
        return invokeWithin(tx, operation, call, input, null);
    }

    /**
     * As {@link #invokeWithin(Tx, String, Call, ObjectNode)}, with the work before the transaction done
     * already by {@link #prepare} (null for an operation that has none). The step inside checks the work
     * still fits the input and the state; when it does not, the call is refused (there is no retry here).
     */
    public ObjectNode invokeWithin(Tx tx, String operation, Call call, ObjectNode input, Prepared prepared) {
        OperationHandler handler = require(operation).handler();
        if (handler instanceof OperationHandler.WorkBefore<?>) {
            if (prepared == null || !prepared.operation.equals(operation)) {
                throw new IllegalStateException(operation + " has work to do before its transaction: prepare it first");
            }
            return prepared.inside.handle(tx, call, input);
        }
        return handler.handle(tx, call, input);
    }

    /** Whether the operation has work to do before its transaction (network I/O, password hashing). */
    public boolean worksBefore(String operation) {
        OperationDescriptor descriptor = operations.get(operation);
        return descriptor != null && descriptor.worksBefore();
    }

    private OperationDescriptor require(String operation) {
        OperationDescriptor descriptor = operations.get(operation);
        if (descriptor == null) {
            throw ServiceException.badRequest(operation + " is not implemented by Wickr Local yet");
        }
        return descriptor;
    }

    /**
     * Runs the operation's work before its transaction now, with no transaction open, for a later
     * {@link #invokeWithin(Tx, String, Call, ObjectNode, Prepared)}: how a seed hashes its bots' passwords
     * before its one transaction. Answers null for an operation without such work. The input needs only
     * the members that work reads (CreateBot's: {@code challenge}).
     */
    public Prepared prepare(String operation, Call call, ObjectNode input) {
        OperationDescriptor descriptor = operations.get(operation);
        if (descriptor == null || !(descriptor.handler() instanceof OperationHandler.WorkBefore<?> steps)) {
            return null;
        }
        return new Prepared(operation, steps.prepare(database::transaction, call, input));
    }

    /** What {@link #prepare} made: the operation's step inside, bound to the result of its work before. */
    public static final class Prepared {
        private final String operation;
        private final OperationHandler inside;

        private Prepared(String operation, OperationHandler inside) {
            this.operation = operation;
            this.inside = inside;
        }
    }

    /**
     * Deletes every row of the account, in every region (networks and everything in them, and its
     * client tokens), in one transaction; returns how many networks went. Other accounts keep
     * everything.
     */
    public int reset(String accountId) {
        return database.transaction(tx -> StateTables.resetAccount(tx, accountId));
    }

    /** Deletes the state of every account in one transaction; returns how many networks went. */
    public int resetAll() {
        return database.transaction(StateTables::resetAll);
    }

    /**
     * The snapshot document of one account (every region), or of every account when accountId is
     * null. With a passphrase the stored secrets are sealed into it; without, they are left out.
     */
    public ObjectNode exportSnapshot(String accountId, String passphrase) {
        // The key derivation is slow on purpose: done before the transaction, like any operation's work before.
        SnapshotSecrets secrets = passphrase == null ? null : SnapshotSecrets.create(passphrase);
        return database.transaction(tx -> SnapshotExporter.export(tx, accountId, secrets,
                clock.instant().getEpochSecond()));
    }

    /** Runs work in one transaction; for callers outside the operation table (tests, tools). */
    public <T> T transaction(java.util.function.Function<Tx, T> work) {
        return database.transaction(work::apply);
    }
}
