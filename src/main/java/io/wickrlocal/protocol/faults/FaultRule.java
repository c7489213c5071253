package io.wickrlocal.protocol.faults;

import java.util.regex.Pattern;

/**
 * One rule of a fault plan: which calls it matches (an operation of the contract or {@code *}, and
 * optionally one account), what it does to them (answer a modeled error, add latency, or both),
 * when it acts ({@link FaultPhase}), and how often (with a probability, at most {@code count}
 * times, both, or, with neither, on every matching call).
 *
 * <p>Built in code as {@code FaultRule.on("BatchToggleUserSuspendStatus")
 * .withError(FaultError.INTERNAL_SERVER_ERROR).withPhase(FaultPhase.AFTER).withCount(2)}.
 *
 * @param id          a name for the rule in reports; null to have one given (rule-1, rule-2, ...)
 * @param operation   an operation name of the contract, or {@code *} for every operation
 * @param accountId   the 12-digit account whose calls it matches, or null for every account
 * @param error       the error to answer with, or null for latency alone
 * @param latencyMs   milliseconds to wait before answering (0 to {@link #MAX_LATENCY_MS})
 * @param phase       before the operation runs, or after it committed
 * @param probability the chance that it acts on a matching call (0 to 1), or null for always
 * @param count       how many times it acts at most, or null for no limit
 * @param message     the error message to send, or null for one that says the fault was injected
 */
public record FaultRule(String id, String operation, String accountId, FaultError error, int latencyMs,
                        FaultPhase phase, Double probability, Integer count, String message) {
    /**
     * Longest latency a rule may add, and the most that the rules acting on one call add up to. Enough to trip any client's read timeout that a test would set,
     * short enough that a plan cannot park requests for minutes (a latency waits on a timer, not on a
     * request thread, and the connection's idle timeout does not cut it short).
     */
    public static final int MAX_LATENCY_MS = 20_000;
    public static final String ANY_OPERATION = "*";
    static final int MAX_MESSAGE_LENGTH = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern OPERATION = Pattern.compile("\\*|[A-Za-z][A-Za-z0-9]{0,63}");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    public FaultRule {
        if (id != null && !ID.matcher(id).matches()) {
            throw new FaultPlanException("id", "must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        if (operation == null) {
            throw new FaultPlanException("operation", "is required: an operation name such as"
                    + " BatchToggleUserSuspendStatus, or * for every operation");
        }
        if (!OPERATION.matcher(operation).matches()) {
            throw new FaultPlanException("operation", "must be an operation name such as"
                    + " BatchToggleUserSuspendStatus, or *");
        }
        if (accountId != null && !ACCOUNT.matcher(accountId).matches()) {
            throw new FaultPlanException("accountId", "must be 12 digits");
        }
        if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
            throw new FaultPlanException("latencyMs", "must be between 0 and " + MAX_LATENCY_MS);
        }
        if (phase == null) {
            phase = FaultPhase.BEFORE;
        }
        if (probability != null && !(probability >= 0.0 && probability <= 1.0)) {
            throw new FaultPlanException("probability", "must be between 0 and 1");
        }
        if (count != null && count < 1) {
            throw new FaultPlanException("count", "must be at least 1");
        }
        if (message != null && (message.isBlank() || message.length() > MAX_MESSAGE_LENGTH)) {
            throw new FaultPlanException("message", "must be 1 to " + MAX_MESSAGE_LENGTH + " characters, not blank");
        }
    }

    /** A rule for one operation (or {@code *}) that does nothing yet: give it an error or a latency. */
    public static FaultRule on(String operation) {
        return new FaultRule(null, operation, null, null, 0, FaultPhase.BEFORE, null, null, null);
    }

    public FaultRule withId(String value) {
        return new FaultRule(value, operation, accountId, error, latencyMs, phase, probability, count, message);
    }

    public FaultRule withAccountId(String value) {
        return new FaultRule(id, operation, value, error, latencyMs, phase, probability, count, message);
    }

    public FaultRule withError(FaultError value) {
        return new FaultRule(id, operation, accountId, value, latencyMs, phase, probability, count, message);
    }

    public FaultRule withLatencyMs(int value) {
        return new FaultRule(id, operation, accountId, error, value, phase, probability, count, message);
    }

    public FaultRule withPhase(FaultPhase value) {
        return new FaultRule(id, operation, accountId, error, latencyMs, value, probability, count, message);
    }

    public FaultRule withProbability(double value) {
        return new FaultRule(id, operation, accountId, error, latencyMs, phase, value, count, message);
    }

    public FaultRule withCount(int value) {
        return new FaultRule(id, operation, accountId, error, latencyMs, phase, probability, value, message);
    }

    public FaultRule withMessage(String value) {
        return new FaultRule(id, operation, accountId, error, latencyMs, phase, probability, count, value);
    }

    /**
     * Checks what can only be judged of the finished rule: it must do something when it acts, and a
     * message needs an error to carry it.
     */
    void checkComplete() {
        if (error == null && latencyMs == 0) {
            throw new FaultPlanException("", "needs an error, a latencyMs above 0, or both");
        }
        if (message != null && error == null) {
            throw new FaultPlanException("message", "needs an error to be the message of");
        }
    }

    boolean matches(String operationName, String account) {
        return (operation.equals(ANY_OPERATION) || operation.equals(operationName))
                && (accountId == null || accountId.equals(account));
    }
}
