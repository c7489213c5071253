package io.wickrlocal.service;

/**
 * Who is calling and where: the account (from the credential), the region (from the signature
 * scope), and the request's id. Every piece of state is partitioned by account and region.
 * {@code audit} is where a handler adds what the audit trail should know beyond the call's input
 * and output; the service gives each recorded call its own.
 */
public record Call(String accountId, String region, String accessKeyId, String requestId, AuditNotes audit) {

    public Call(String accountId, String region, String accessKeyId, String requestId) {
        this(accountId, region, accessKeyId, requestId, AuditNotes.DISCARDED);
    }

    Call with(AuditNotes notes) {
        return new Call(accountId, region, accessKeyId, requestId, notes);
    }
}
