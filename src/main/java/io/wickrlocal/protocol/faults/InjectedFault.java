package io.wickrlocal.protocol.faults;

import java.util.List;

/**
 * What the rules that acted on one call do to it: wait {@code latencyMs}, then answer {@code error}
 * with {@code message} (or, without an error, carry on as usual).
 *
 * @param ruleIds the rules that acted, in order; the last one gave the error, if there is one
 */
public record InjectedFault(List<String> ruleIds, FaultPhase phase, FaultError error, int latencyMs,
                            String message) {
    public InjectedFault {
        ruleIds = List.copyOf(ruleIds);
    }
}
