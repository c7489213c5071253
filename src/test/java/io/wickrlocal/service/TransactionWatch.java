package io.wickrlocal.service;

import io.wickrlocal.store.Database;
import io.wickrlocal.store.TxWork;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;

/**
 * A store that knows when the current thread is inside one of its transactions, and a PBKDF2 that
 * notes, each time it derives a key, whether that happens inside one (or on SQLite's writer thread).
 * The PBKDF2 is a security provider put first in the JVM's list for the duration of {@link #install}
 * (until {@link #close}), so the code under test runs unchanged and every derivation it does is seen.
 * {@link #onTransaction} runs a step at the start of chosen transactions, with no transaction of the
 * watch open: how a test changes stored state between an operation's read and its write.
 */
final class TransactionWatch implements Database {
    private static final String PROVIDER = "WickrLocalTestPbkdf2";
    private static volatile TransactionWatch current;

    private final Database delegate;
    private final ThreadLocal<Integer> depth = ThreadLocal.withInitial(() -> 0);
    private final AtomicInteger transactions = new AtomicInteger();
    private final AtomicInteger derivations = new AtomicInteger();
    private final List<String> derivationsInside = new CopyOnWriteArrayList<>();
    private volatile IntConsumer hook;

    private TransactionWatch(Database delegate) {
        this.delegate = delegate;
    }

    /** Watches the store, and every PBKDF2 derivation of the JVM, until closed. */
    static TransactionWatch install(Database delegate) {
        TransactionWatch watch = new TransactionWatch(delegate);
        current = watch;
        if (Security.getProvider(PROVIDER) == null) {
            Security.insertProviderAt(new RecordingProvider(), 1);
        }
        return watch;
    }

    /** The store itself: transactions on it are not counted, and run no hook. */
    Database delegate() {
        return delegate;
    }

    int derivations() {
        return derivations.get();
    }

    /** One line per derivation that ran inside a transaction or on the SQLite writer: what and where. */
    List<String> derivationsInside() {
        return List.copyOf(derivationsInside);
    }

    /**
     * Runs the step at the start of each transaction from now on, with its number (1 for the next one),
     * before the transaction begins; null removes it.
     */
    void onTransaction(IntConsumer step) {
        transactions.set(0);
        hook = step;
    }

    private <T> TxWork<T> watched(TxWork<T> work) {
        IntConsumer step = hook;
        int number = transactions.incrementAndGet();
        if (step != null) {
            step.accept(number);
        }
        return tx -> {
            depth.set(depth.get() + 1);
            try {
                return work.run(tx);
            } finally {
                depth.set(depth.get() - 1);
            }
        };
    }

    private void noteDerivation() {
        derivations.incrementAndGet();
        String thread = Thread.currentThread().getName();
        if (depth.get() > 0 || thread.startsWith("wickr-sqlite")) {
            derivationsInside.add("PBKDF2 on thread " + thread + " inside a transaction, from "
                    + StackWalker.getInstance().walk(s -> s.map(f -> f.getClassName() + "." + f.getMethodName())
                    .filter(n -> n.startsWith("io.wickrlocal.") && !n.contains("TransactionWatch"))
                    .limit(4).toList()));
        }
    }

    @Override
    public <T> T transaction(TxWork<T> work) {
        return delegate.transaction(watched(work));
    }

    @Override
    public <T> T transactionWithRowLocks(TxWork<T> work) {
        return delegate.transactionWithRowLocks(watched(work));
    }

    @Override
    public <T> T transactionQueuedBy(String queueKey, TxWork<T> work) {
        return delegate.transactionQueuedBy(queueKey, watched(work));
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        if (current == this) {
            current = null;
        }
        Security.removeProvider(PROVIDER);
        delegate.close();
    }

    /** The JDK's PBKDF2WithHmacSHA256, noting each derivation to the installed watch. */
    private static final class RecordingProvider extends Provider {
        private static final long serialVersionUID = 1L;

        RecordingProvider() {
            super(PROVIDER, "1.0", "PBKDF2WithHmacSHA256 that tells a test when it runs");
            putService(new Service(this, "SecretKeyFactory", "PBKDF2WithHmacSHA256", RecordingFactory.class.getName(),
                    null, null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new RecordingFactory();
                }
            });
        }
    }

    private static final class RecordingFactory extends SecretKeyFactorySpi {
        private final SecretKeyFactory real;

        RecordingFactory() {
            try {
                real = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256", "SunJCE");
            } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SecretKey engineGenerateSecret(KeySpec spec) throws InvalidKeySpecException {
            TransactionWatch watch = current;
            if (watch != null) {
                watch.noteDerivation();
            }
            return real.generateSecret(spec);
        }

        @Override
        protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
            return real.getKeySpec(key, keySpec);
        }

        @Override
        protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
            return real.translateKey(key);
        }
    }
}
