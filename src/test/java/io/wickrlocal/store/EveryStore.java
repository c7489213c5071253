package io.wickrlocal.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once on every store configuration ({@link TestStores#all()}: SQLite in memory, SQLite
 * on disk, PostgreSQL); the test takes the store as a {@code Supplier<Database>} parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ParameterizedTest(name = "{0}")
@MethodSource("io.wickrlocal.store.TestStores#all")
public @interface EveryStore {}
