/**
 * Internal: the Wickr Admin API's contract as data: shapes, routes, binding, validation, output shaping. Public types here are public so that the layers can reach each other; they are
 * not part of Wickr Local's API and may change in any release (the API is described in
 * {@link io.wickrlocal}).
 */
package io.wickrlocal.protocol.contract;
