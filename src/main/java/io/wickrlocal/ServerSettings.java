package io.wickrlocal;

import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.ThrottleLimit;
import io.wickrlocal.protocol.sigv4.Credential;
import io.wickrlocal.service.StateBounds;
import java.time.Clock;
import java.util.List;

/**
 * How a server listens and whom it lets in. An empty credential list means the built-in
 * test/test pair for account 000000000000. {@code faults} is the fault plan installed at start
 * (changeable at run time); {@code throttle} is null when throttling is off (the default).
 * {@code bounds} caps the client tokens and audit events an account holds (null: the defaults).
 * {@code clock} is the service's time: what it stamps on users, sessions, groups and audit events,
 * what invitations, session limits and client tokens expire by (null: the system clock, UTC). A test
 * may move it to see time pass; signatures are always checked against the system clock, since the
 * clients sign with the real time.
 */
record ServerSettings(String host, int port, List<Credential> credentials, int maxBodyBytes,
                             int maxHeaderBytes, long idleTimeoutMillis, int maxThreads, FaultPlan faults,
                             ThrottleLimit throttle, int maxConnections, StateBounds bounds, Clock clock) {
    public static final int DEFAULT_PORT = 8484;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    /** Connections open at once; past it the server accepts no more until one closes. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public ServerSettings {
        credentials = List.copyOf(credentials);
        faults = faults == null ? FaultPlan.none() : faults;
        bounds = bounds == null ? StateBounds.defaults() : bounds;
        clock = clock == null ? Clock.systemUTC() : clock;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit must be at least 1024 bytes");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1");
        }
    }

    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", DEFAULT_PORT, List.of(), DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_HEADER_BYTES, 30_000, 64, FaultPlan.none(), null, DEFAULT_MAX_CONNECTIONS,
                StateBounds.defaults(), Clock.systemUTC());
    }

    public ServerSettings withHost(String value) {
        return new ServerSettings(value, port, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads, faults, throttle, maxConnections, bounds, clock);
    }

    public ServerSettings withPort(int value) {
        return new ServerSettings(host, value, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads, faults, throttle, maxConnections, bounds, clock);
    }

    public ServerSettings withCredentials(List<Credential> value) {
        return new ServerSettings(host, port, value, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads, faults, throttle, maxConnections, bounds, clock);
    }

    public ServerSettings withMaxBodyBytes(int value) {
        return new ServerSettings(host, port, credentials, value, maxHeaderBytes, idleTimeoutMillis, maxThreads, faults, throttle, maxConnections, bounds, clock);
    }

    /** The fault plan installed at start. */
    public ServerSettings withFaults(FaultPlan value) {
        return new ServerSettings(host, port, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads,
                value, throttle, maxConnections, bounds, clock);
    }

    /** Throttling per account and operation; null turns it off. */
    public ServerSettings withThrottle(ThrottleLimit value) {
        return new ServerSettings(host, port, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads,
                faults, value, maxConnections, bounds, clock);
    }

    /** The most connections open at once. */
    public ServerSettings withMaxConnections(int value) {
        return new ServerSettings(host, port, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads,
                faults, throttle, value, bounds, clock);
    }

    /** How many client tokens and audit events an account may hold. */
    public ServerSettings withBounds(StateBounds value) {
        return new ServerSettings(host, port, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads,
                faults, throttle, maxConnections, value, clock);
    }

    /** The service's clock (see the class description). */
    public ServerSettings withClock(Clock value) {
        return new ServerSettings(host, port, credentials, maxBodyBytes, maxHeaderBytes, idleTimeoutMillis, maxThreads,
                faults, throttle, maxConnections, bounds, value);
    }
}
