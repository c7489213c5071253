package io.wickrlocal.store;

/** Bounds of the PostgreSQL connection pool and of retries. */
public record PoolSettings(int maxConnections, long connectionTimeoutMillis, long statementTimeoutMillis,
                           int maxAttempts) {
    public PoolSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection");
        }
        if (connectionTimeoutMillis < 250 || statementTimeoutMillis < 250) {
            throw new IllegalArgumentException("timeouts must be at least 250 ms");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a transaction needs at least one attempt");
        }
    }

    public static PoolSettings defaults() {
        return new PoolSettings(16, 5_000, 30_000, 20);
    }

    public PoolSettings withMaxConnections(int n) {
        return new PoolSettings(n, connectionTimeoutMillis, statementTimeoutMillis, maxAttempts);
    }
}
