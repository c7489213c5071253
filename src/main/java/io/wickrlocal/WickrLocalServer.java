package io.wickrlocal;

import io.wickrlocal.protocol.ApiHandler;
import io.wickrlocal.protocol.JsonErrorHandler;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.faults.Throttle;
import io.wickrlocal.protocol.sigv4.CredentialStore;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import io.wickrlocal.service.OperationDescriptor;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.StoreReadiness;
import io.wickrlocal.protocol.Readiness;
import io.wickrlocal.protocol.StartupGate;
import io.wickrlocal.seed.Seed;
import io.wickrlocal.seed.SeedException;
import io.wickrlocal.seed.SeedResult;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Wickr Local: the HTTP endpoint in front of the service and its store. Closing it stops
 * taking requests, lets the ones in flight finish, and closes the store.
 */
final class WickrLocalServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WickrLocalServer.class);
    /**
     * Housekeeping (the purge of expired client tokens, then the audit trail's eviction) runs a few seconds
     * after the start, so that a restart with smaller bounds applies them at once, then every ten minutes.
     */
    static final long HOUSEKEEPING_START_SECONDS = 5;
    static final long HOUSEKEEPING_EVERY_SECONDS = 600;

    private final Server http;
    private final ServerConnector connector;
    private final Database database;
    private final ScheduledExecutorService housekeeping;
    private final FaultInjector faults;
    private final WickrService service;
    private final ServiceContract contract;
    private final StoreReadiness readiness;

    private WickrLocalServer(Server http, ServerConnector connector, Database database,
                             ScheduledExecutorService housekeeping, FaultInjector faults, WickrService service,
                             ServiceContract contract, StoreReadiness readiness) {
        this.readiness = readiness;
        this.http = http;
        this.connector = connector;
        this.database = database;
        this.housekeeping = housekeeping;
        this.faults = faults;
        this.service = service;
        this.contract = contract;
    }

    /** Starts a server on an already open store; the store is closed with the server. */
    public static WickrLocalServer start(ServerSettings settings, Database database) throws Exception {
        return start(settings, () -> database);
    }

    /**
     * Starts a server on the store the supplier opens; the store is closed with the server. The
     * store, the contract and the HTTP server are brought up side by side: each costs a few hundred
     * milliseconds of class loading, and start-up must stay well under a second.
     */
    public static WickrLocalServer start(ServerSettings settings, Supplier<Database> store) throws Exception {
        return start(settings, store, null);
    }

    /**
     * Starts a server, first applying the seed (when not null) to the store: the port opens only
     * once the seed is in place, and a seed that fails ({@link SeedException}) stops the start with
     * the store untouched and closed.
     */
    public static WickrLocalServer start(ServerSettings settings, Supplier<Database> store, Seed seed) throws Exception {
        Clock clock = settings.clock();
        CompletableFuture<Database> opening = CompletableFuture.supplyAsync(store);
        CompletableFuture<ServiceContract> loading = CompletableFuture.supplyAsync(ServiceContract::load);
        StartupGate gate = new StartupGate();

        QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads(), 4);
        threads.setName("wickr-http");
        Server http = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setRequestHeaderSize(settings.maxHeaderBytes());
        ServerConnector connector = new ServerConnector(http, new HttpConnectionFactory(config));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeoutMillis());
        http.addConnector(connector);
        // Past the limit the acceptor waits until a connection closes: the server's memory and threads
        // stay bounded whatever the number of callers (see RequestBody for the bytes each may hold).
        http.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
        http.setHandler(gate);
        http.setErrorHandler(new JsonErrorHandler());
        http.setStopTimeout(10_000);
        http.setStopAtShutdown(false);

        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wickr-housekeeping");
            t.setDaemon(true);
            return t;
        });
        Database database = null;
        StoreReadiness readiness = null;
        WickrService service;
        FaultInjector faults;
        ServiceContract contract;
        try {
            if (seed == null) {
                http.start();
            }
            contract = join(loading);
            database = join(opening);
            service = new WickrService(database, clock, settings.bounds());
            if (seed != null) {
                SeedResult result = seed.applyTo(service, contract);
                LOG.info("{}", result.summary());
                http.start();
            }
            CredentialStore credentials = settings.credentials().isEmpty()
                    ? CredentialStore.defaults() : CredentialStore.of(settings.credentials());
            // Clients sign with the real time: signatures are checked against the system clock, whatever the service's.
            SigV4Verifier verifier = new SigV4Verifier(credentials, Clock.systemUTC(), contract.signingName(),
                    contract.boundHeaderNames());
            // The operations a fault rule may name: those whose descriptors let faults act on them.
            faults = new FaultInjector(service.descriptors().stream().filter(OperationDescriptor::faults)
                    .map(OperationDescriptor::name).toList());
            faults.replace(settings.faults());
            Throttle throttle = settings.throttle() == null ? null : new Throttle(settings.throttle(), clock);
            StoreReadiness checks = readiness = new StoreReadiness(database);
            Readiness ready = new Readiness() {
                @Override
                public String notReady() {
                    return checks.check();
                }

                @Override
                public String refusal() {
                    return checks.refusal();
                }
            };
            gate.open(new ApiHandler(contract, verifier, service, settings.maxBodyBytes(), faults, throttle, ready));
        } catch (Exception | Error e) {
            housekeeping.shutdownNow();
            if (readiness != null) {
                readiness.close();
            }
            stopQuietly(http);
            if (database != null) {
                database.close();
            } else {
                opening.thenAccept(Database::close);
            }
            throw e;
        }
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                service.purgeExpiredTokens();
            } catch (RuntimeException e) {
                LOG.warn("could not purge expired client tokens: {}", e.toString());
            }
            try {
                long evicted = service.evictAuditEvents();
                if (evicted > 0) {
                    LOG.info("evicted {} audit event(s) beyond the retention or the per-account bound", evicted);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not evict audit events: {}", e.toString());
            }
        }, HOUSEKEEPING_START_SECONDS, HOUSEKEEPING_EVERY_SECONDS, TimeUnit.SECONDS);
        return new WickrLocalServer(http, connector, database, housekeeping, faults, service, contract, readiness);
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void stopQuietly(Server http) {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    /** The port the server listens on (the chosen one when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Where the server listens, as bound: {@code http://0.0.0.0:8484} when it listens on every
     * interface. {@link #endpoint()} is where a client on this machine reaches it.
     */
    public String listenUrl() {
        String host = connector.getHost();
        if (host == null || host.isEmpty()) {
            host = "0.0.0.0";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** Whether only this machine can reach the server: it listens on a loopback address. */
    public boolean loopbackOnly() {
        String host = connector.getHost();
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The base URL a client on this machine uses; a wildcard address is reached at 127.0.0.1. */
    public String endpoint() {
        String host = connector.getHost();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("[::]")) {
            host = "[::1]";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /**
     * The fault plans in force, to read or change while the server runs: {@code replace}, {@code add}
     * and {@code clear} change the server's plan, as /_local/faults does for an operator credential,
     * and its rules may name any account or none; the accounts' own rules are there too.
     */
    public FaultInjector faults() {
        return faults;
    }

    /**
     * Deletes the state of every account, as {@code POST /_local/reset} with {@code allAccounts}
     * does, in one transaction; returns how many networks went.
     */
    public int resetAll() {
        return service.resetAll();
    }

    /**
     * Applies a seed to the running server, in one transaction (see {@link Seed#applyTo}).
     *
     * @throws SeedException when the seed breaks a rule; nothing is written then
     */
    public SeedResult applySeed(Seed seed) {
        return seed.applyTo(service, contract);
    }

    public String storeDescription() {
        return database.describe();
    }

    public void join() throws InterruptedException {
        http.join();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        readiness.close();
        try {
            stopQuietly(http);
        } finally {
            database.close();
        }
    }
}
