package io.wickrlocal.junit;

import io.wickrlocal.WickrLocal;
import io.wickrlocal.protocol.faults.FaultPlan;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs one {@link WickrLocal} per JUnit 5 test class: started before the class's first test,
 * {@linkplain WickrLocal#reset() reset} before each test (the seed back, the builder's fault plan
 * back, everything else gone, the audit trail included), closed after the class's last test.
 * Test methods, constructors and lifecycle methods get the running server as a {@code WickrLocal}
 * parameter.
 *
 * <pre>{@code
 * @ExtendWith(WickrLocalExtension.class)          // defaults: free port, in memory, test/test
 * class MyTest {
 *     @Test
 *     void works(WickrLocal wickr) { ... wickr.endpoint() ... }
 * }
 *
 * class SeededTest {
 *     @RegisterExtension
 *     static final WickrLocalExtension WICKR = WickrLocalExtension.from(WickrLocal.builder().seed(Path.of("seed.yaml")));
 * }
 * }</pre>
 *
 * <p>A {@code @RegisterExtension} field must be static: the server belongs to the class. {@code @Nested}
 * classes share the server of their enclosing class. State made in a {@code @BeforeAll} method is
 * gone before the first test; put what every test needs in the seed, or make it in
 * {@code @BeforeEach}.
 */
public final class WickrLocalExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            WickrLocalExtension.class);

    private final WickrLocal.Builder settings;
    private final boolean resetBeforeEach;

    /** The defaults of {@link WickrLocal#start()}; what {@code @ExtendWith(WickrLocalExtension.class)} uses. */
    public WickrLocalExtension() {
        this(WickrLocal.builder(), true);
    }

    private WickrLocalExtension(WickrLocal.Builder settings, boolean resetBeforeEach) {
        this.settings = settings;
        this.resetBeforeEach = resetBeforeEach;
    }

    /**
     * An extension whose servers {@code settings} starts (each test class its own), reset before each
     * test: every setting of the embedding builder, the clock included, without a second builder.
     * {@code @RegisterExtension static WickrLocalExtension wickr = WickrLocalExtension.from(WickrLocal.builder().clock(clock));}
     */
    public static WickrLocalExtension from(WickrLocal.Builder settings) {
        return new WickrLocalExtension(java.util.Objects.requireNonNull(settings, "settings"), true);
    }

    /**
     * The same extension without the reset before each test: the tests of a class share whatever
     * state they leave; {@link WickrLocal#reset()} is still there to call.
     */
    public WickrLocalExtension withoutResetBeforeEach() {
        return new WickrLocalExtension(settings, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (running(context) != null) {
            return; // a @Nested class: the enclosing class's server serves it
        }
        context.getStore(NAMESPACE).put(this, settings.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() looks only at this class's own store, so a @Nested class leaves its parent's server alone.
        WickrLocal started = context.getStore(NAMESPACE).remove(this, WickrLocal.class);
        if (started != null) {
            started.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (resetBeforeEach) {
            server(context).reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WickrLocal.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    private WickrLocal running(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(this, WickrLocal.class);
    }

    private WickrLocal server(ExtensionContext context) {
        WickrLocal wickr = running(context);
        if (wickr == null) {
            throw new ExtensionConfigurationException("WickrLocalExtension has no server for "
                    + context.getDisplayName() + ": it starts one per test class before the class's tests, so"
                    + " register it with @ExtendWith or on a static @RegisterExtension field");
        }
        return wickr;
    }
}
