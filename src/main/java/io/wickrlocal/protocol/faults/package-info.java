/**
 * Fault injection. Part of the public API: {@link io.wickrlocal.protocol.faults.FaultPlan} (built in
 * Java or read from YAML/JSON), {@link io.wickrlocal.protocol.faults.FaultRule},
 * {@link io.wickrlocal.protocol.faults.FaultError}, {@link io.wickrlocal.protocol.faults.FaultPhase},
 * {@link io.wickrlocal.protocol.faults.FaultPlanException} and the running server's
 * {@link io.wickrlocal.protocol.faults.FaultInjector} (from {@code WickrLocal.faults()}). The other
 * public types here (the /_local/faults operations, throttling, what an injected fault did) are
 * internal and may change in any release.
 */
package io.wickrlocal.protocol.faults;
