package io.wickrlocal.protocol.faults;

/**
 * When a rule acts on a call. BEFORE: the operation does not run, so nothing changes. AFTER: the
 * operation ran and committed, and only its answer is replaced or delayed, as when a response is
 * lost on the way back; a retry with the same client token then gets the first answer from the
 * idempotency store.
 */
public enum FaultPhase {
    BEFORE("before"),
    AFTER("after");

    private final String wireName;

    FaultPhase(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in fault plans: {@code before} or {@code after}. */
    public String wireName() {
        return wireName;
    }

    static FaultPhase ofWireName(String name) {
        for (FaultPhase p : values()) {
            if (p.wireName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
