package io.wickrlocal.protocol.faults;

/**
 * What a rule that acted does to one call: wait {@code latencyMs}, then answer {@code error} (or,
 * without an error, carry on as usual).
 */
public record InjectedFault(String ruleId, FaultPhase phase, FaultError error, int latencyMs, String message) {}
