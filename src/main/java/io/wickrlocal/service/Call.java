package io.wickrlocal.service;

/**
 * Who is calling and where: the account (from the credential), the region (from the signature
 * scope), and the request's id. Every piece of state is partitioned by account and region.
 * {@code operator} says whether the caller holds the operator role, the only one allowed to act
 * beyond its own account (server-wide controls). {@code audit} is where a handler adds what the
 * audit trail should know beyond the call's input and output; the service gives each recorded call
 * its own.
 */
public record Call(String accountId, String region, String accessKeyId, String requestId, boolean operator,
                   AuditNotes audit) {

    /** A call of an ordinary credential. */
    public Call(String accountId, String region, String accessKeyId, String requestId) {
        this(accountId, region, accessKeyId, requestId, false, AuditNotes.DISCARDED);
    }

    public Call(String accountId, String region, String accessKeyId, String requestId, boolean operator) {
        this(accountId, region, accessKeyId, requestId, operator, AuditNotes.DISCARDED);
    }

    Call with(AuditNotes notes) {
        return new Call(accountId, region, accessKeyId, requestId, operator, notes);
    }

    /**
     * Refuses a server-wide control to a caller without the operator role, before anything changes.
     *
     * @param what the control, as the refusal names it, such as "allAccounts"
     */
    void requireOperator(String what) {
        if (!operator) {
            throw ServiceException.forbidden("The operator role is needed for " + what + "; the credential "
                    + accessKeyId + " reaches account " + accountId + " only (mark an operator credential with"
                    + " --credential KEY:SECRET:ACCOUNT:operator)");
        }
    }
}
