package io.wickrlocal.service;

import io.wickrlocal.store.Database;
import io.wickrlocal.store.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound on client tokens: an account holds at most {@code max} tokens from the last 24 hours, all its
 * regions and operations together (each is a stored first answer of up to a few kilobytes). A repeat of a
 * stored token is answered with its first answer whatever the count; only a new token is refused, with
 * {@code 429 RateLimitError}, while the account is at the bound, until older tokens expire.
 *
 * <p><b>An estimate, kept per node.</b> The check adds nothing to the call's transaction: no count over the
 * account's tokens and no counter row that every call of the account would update (many clients of one
 * account call BatchToggleUserSuspendStatus at once, at READ COMMITTED with row locks; a shared row would
 * queue them all). Each node keeps, per account, the count it last read from the store plus the new tokens it
 * admitted since (committed, or of calls still running). The count is read again, from the index by account
 * and age, in a short transaction of its own before a call's transaction, when a call with a client token
 * finds it older than {@link #RECOUNT_FAR} (10 s), or older than {@link #RECOUNT_NEAR} (1 s) once the estimate
 * is within a tenth of the bound, so that room freed by expiry, by a purge or by a reset is seen within a
 * second. One call recounts while the account's other calls go on with the previous estimate; only the first
 * call of an account on a node waits for a count.
 *
 * <p><b>How exact.</b> On one node an account never holds more than the bound; it can be refused a little
 * early, by the few tokens committed while a recount read, until the next recount. On several nodes sharing
 * PostgreSQL each node sees the others' new tokens only at its next recount, so together they can go over the
 * bound by what the other nodes admit within one recount interval (1 s near the bound), and never by more
 * than the room each other node saw at its own last recount: with 3 nodes that all counted an account 100
 * tokens short, it ends up at most 200 over. A token of a call that fails is given back at once.
 */
final class ClientTokenBudget {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTokenBudget.class);
    static final Duration RECOUNT_FAR = Duration.ofSeconds(10);
    static final Duration RECOUNT_NEAR = Duration.ofSeconds(1);

    private final Database database;
    private final Clock clock;
    private final int max;
    private final Duration window;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    ClientTokenBudget(Database database, Clock clock, int max, Duration window) {
        this.database = database;
        this.clock = clock;
        this.max = max;
        this.window = window;
    }

    /**
     * For a call with a client token, before its transaction: recounts the account's tokens when the
     * estimate is stale, and returns the call's admission, to be taken if its token turns out to be new.
     */
    Admission admission(String accountId) {
        Account account = accounts.computeIfAbsent(accountId, id -> new Account());
        if (account.stale(clock.millis(), max)) {
            recount(accountId, account);
        }
        return new Admission(accountId, account);
    }

    private void recount(String accountId, Account account) {
        if (!account.counted()) {
            account.recounting.lock(); // nothing to go on yet: wait for the first count
        } else if (!account.recounting.tryLock()) {
            return; // another call is recounting; this one uses the previous estimate
        }
        try {
            if (!account.stale(clock.millis(), max)) {
                return;
            }
            long mark = account.beginRecount();
            long after = clock.instant().getEpochSecond() - window.toSeconds();
            // At READ COMMITTED where the store has it: an estimate needs no serializable snapshot.
            IdempotencyStore.TokenCount count = database.transactionWithRowLocks(
                    tx -> IdempotencyStore.countNewerThan(tx, accountId, after));
            account.endRecount(mark, count, clock.millis());
        } catch (RuntimeException e) {
            if (!account.counted()) {
                throw e;
            }
            LOG.warn("could not recount the client tokens of an account; keeping the previous estimate: {}",
                    e.toString());
        } finally {
            account.recounting.unlock();
        }
    }

    private ServiceException refusal(String accountId, Account.Refused refused) {
        long nowSeconds = clock.instant().getEpochSecond();
        long firstExpiry = Math.max(refused.oldestSeconds() + window.toSeconds(), nowSeconds + 1);
        String hours = window.toHours() + " hours";
        return new ServiceException(ErrorKind.RATE_LIMIT, "Account " + accountId + " holds " + refused.estimate()
                + " client tokens from the last " + hours + ", the most this server keeps for one account"
                + " (--max-client-tokens " + max + "); a repeat of a stored token still gets its first answer,"
                + " but a new token is refused until older ones expire, " + hours + " after their first use:"
                + " the next room frees up at " + Instant.ofEpochSecond(firstExpiry).truncatedTo(ChronoUnit.SECONDS));
    }

    /** The place of one call's new token in its account's bound, over every attempt of its transaction. */
    final class Admission {
        private final String accountId;
        private final Account account;
        private volatile boolean held;
        private volatile boolean taken;

        private Admission(String accountId, Account account) {
            this.accountId = accountId;
            this.account = account;
        }

        /** At the start of each attempt of the transaction: the attempt has not stored a token yet. */
        void attempt() {
            taken = false;
        }

        /**
         * The token is new and about to be stored: takes a place for it, once for all attempts.
         *
         * @throws ServiceException {@code RateLimitError} when the account is at its bound
         */
        void take() {
            if (!held) {
                Account.Refused refused = account.reserve(max);
                if (refused != null) {
                    throw refusal(accountId, refused);
                }
                held = true;
            }
            taken = true;
        }

        /** After the transaction: keeps the place of a token stored by a committed attempt, gives back any other. */
        void finish(boolean committed) {
            if (held) {
                held = false;
                account.release(committed && taken);
            }
        }
    }

    /** One account's estimate on this node. */
    private static final class Account {
        final ReentrantLock recounting = new ReentrantLock();
        private boolean counted;
        private long stored;           // tokens in the store at the last recount
        private long oldestSeconds;    // creation of the oldest of them; the recount's time when there were none
        private long countedAtMillis;
        private long committed;        // admitted here and committed since the last recount began
        private long pending;          // admitted here, call still running

        record Refused(long estimate, long oldestSeconds) {}

        synchronized boolean counted() {
            return counted;
        }

        synchronized boolean stale(long nowMillis, int max) {
            if (!counted) {
                return true;
            }
            boolean near = estimate() * 10 >= (long) max * 9;
            return nowMillis - countedAtMillis >= (near ? RECOUNT_NEAR : RECOUNT_FAR).toMillis();
        }

        private long estimate() {
            return stored + committed + pending;
        }

        /** Returns how many committed tokens the recount's read will see already (at most). */
        synchronized long beginRecount() {
            return committed;
        }

        /**
         * Tokens committed after {@code mark} may or may not be in the count: they stay counted here too, so
         * the estimate errs on the side of the bound until the next recount.
         */
        synchronized void endRecount(long mark, IdempotencyStore.TokenCount count, long nowMillis) {
            stored = count.count();
            oldestSeconds = count.count() > 0 ? count.oldestCreatedAt() : nowMillis / 1000;
            committed -= mark;
            countedAtMillis = nowMillis;
            counted = true;
        }

        synchronized Refused reserve(int max) {
            if (estimate() >= max) {
                return new Refused(estimate(), oldestSeconds);
            }
            pending++;
            return null;
        }

        synchronized void release(boolean kept) {
            pending--;
            if (kept) {
                committed++;
            }
        }
    }
}
