package io.wickrlocal.store;

/**
 * One event of the audit trail as stored. {@code occurredAt} is in epoch milliseconds; {@code details}
 * is opaque text to the store (the service keeps a JSON document there).
 */
public record AuditEventRecord(String accountId, String region, long occurredAt, String eventId, String operation,
                               String accessKeyId, String requestId, String outcome, String networkId, Long userId,
                               String details) {}
