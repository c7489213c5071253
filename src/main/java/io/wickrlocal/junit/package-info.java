/**
 * The JUnit 5 extension (public API): {@link io.wickrlocal.junit.WickrLocalExtension} starts one
 * Wickr Local per test class, resets it before each test, and hands it to the tests as a parameter.
 */
package io.wickrlocal.junit;
