package io.wickrlocal.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler tells the audit trail beyond its input and output: the state of a user before and
 * after the call. Handlers reach it through {@link Call#audit()}; a fresh one is given to every attempt
 * of a recorded call, and calls that are not recorded get one that keeps nothing.
 */
public final class AuditNotes {
    static final AuditNotes DISCARDED = new AuditNotes(false);

    private final boolean kept;
    private final Map<Long, Map<String, Object[]>> userStates = new HashMap<>();

    private AuditNotes(boolean kept) {
        this.kept = kept;
    }

    static AuditNotes kept() {
        return new AuditNotes(true);
    }

    /**
     * Records that the call took a user's {@code attribute} from {@code before} to {@code after}; equal
     * values record that it left the attribute as it was. Values are booleans, numbers or text.
     */
    void userState(long userId, String attribute, Object before, Object after) {
        if (kept) {
            userStates.computeIfAbsent(userId, id -> new LinkedHashMap<>()).put(attribute, new Object[] {before, after});
        }
    }

    /** The attributes noted for the user, each as {before, after}; empty when none. */
    Map<String, Object[]> userState(long userId) {
        return userStates.getOrDefault(userId, Map.of());
    }
}
