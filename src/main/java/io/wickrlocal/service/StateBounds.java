package io.wickrlocal.service;

import java.time.Duration;

/**
 * How much state of the kinds that grow with use, rather than with what an administrator creates, one
 * account may hold: client tokens from the last 24 hours (see {@link ClientTokenBudget}), and audit events
 * by age and by count (see {@link AuditEviction}). All three are per account, over all its regions.
 */
public record StateBounds(int maxClientTokens, Duration auditRetention, long auditMaxEvents) {
    public static final int DEFAULT_MAX_CLIENT_TOKENS = 100_000;
    public static final int DEFAULT_AUDIT_RETENTION_DAYS = 30;
    public static final long DEFAULT_AUDIT_MAX_EVENTS = 1_000_000;

    public StateBounds {
        if (maxClientTokens < 1) {
            throw new IllegalArgumentException("the client token bound must be at least 1");
        }
        if (auditRetention == null || auditRetention.isNegative() || auditRetention.isZero()) {
            throw new IllegalArgumentException("the audit retention must be positive");
        }
        if (auditMaxEvents < 1) {
            throw new IllegalArgumentException("the audit event bound must be at least 1");
        }
    }

    public static StateBounds defaults() {
        return new StateBounds(DEFAULT_MAX_CLIENT_TOKENS, Duration.ofDays(DEFAULT_AUDIT_RETENTION_DAYS),
                DEFAULT_AUDIT_MAX_EVENTS);
    }

    public StateBounds withMaxClientTokens(int value) {
        return new StateBounds(value, auditRetention, auditMaxEvents);
    }

    public StateBounds withAuditRetention(Duration value) {
        return new StateBounds(maxClientTokens, value, auditMaxEvents);
    }

    public StateBounds withAuditMaxEvents(long value) {
        return new StateBounds(maxClientTokens, auditRetention, value);
    }
}
