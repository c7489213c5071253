/**
 * Wickr Local's public API for Java programs and tests: {@link io.wickrlocal.WickrLocal} and its
 * {@link io.wickrlocal.WickrLocal.Builder} start a server in the caller's JVM and reset it; the JUnit 5
 * extension is in {@link io.wickrlocal.junit}; fault plans are in {@link io.wickrlocal.protocol.faults}
 * ({@code FaultPlan}, {@code FaultRule}, {@code FaultError}, {@code FaultPhase}, the running server's
 * {@code FaultInjector} and {@code FaultPlanException}), and a seed that breaks a rule throws
 * {@link io.wickrlocal.seed.SeedException}. That is the whole of it; {@code Main} is the command line.
 *
 * <p>Every other package ({@code protocol} and its {@code contract} and {@code sigv4}, {@code service},
 * {@code store}, {@code seed} but for its exception, {@code bench}) is internal: its public types are
 * public only so that the layers can call each other, and they may change in any release.
 */
package io.wickrlocal;
