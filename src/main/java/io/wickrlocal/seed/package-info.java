/**
 * Seed files, read with line numbers and applied through the operations. Internal but for
 * {@link io.wickrlocal.seed.SeedException}, which embedders get from {@code WickrLocal.Builder}: the
 * other public types are public so that the layers can reach each other and may change in any release.
 */
package io.wickrlocal.seed;
