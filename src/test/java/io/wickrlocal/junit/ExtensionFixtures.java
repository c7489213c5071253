package io.wickrlocal.junit;

import io.wickrlocal.WickrLocal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test classes that use the extension, some wrongly, for {@link WickrLocalExtensionLifecycleTest} to run
 * with the JUnit launcher. Disabled, and named so that surefire does not pick them up, because some
 * are meant to fail; the launcher runs switch the condition off.
 */
final class ExtensionFixtures {
    private static final String RUN_BY = "run by WickrLocalExtensionLifecycleTest";
    private static final String BREAKS_A_RULE = """
            networks:
              - name: Drill
                users:
                  - username: alice@example.com
                    groups: [Nowhere]
            """;
    /** The servers the tests were given, in order. */
    static final List<WickrLocal> SEEN = new ArrayList<>();

    private ExtensionFixtures() {}

    @Disabled(RUN_BY)
    @ExtendWith(WickrLocalExtension.class)
    static class WithTheDefaults {
        @Test
        void one(WickrLocal wickr) {
            SEEN.add(wickr);
        }

        @Test
        void two(WickrLocal wickr) {
            SEEN.add(wickr);
        }
    }

    @Disabled(RUN_BY)
    static class WithASeedThatBreaksARule {
        @RegisterExtension
        static final WickrLocalExtension WICKR_LOCAL = WickrLocalExtension.from(WickrLocal.builder().seed(BREAKS_A_RULE));

        @Test
        void neverRuns(WickrLocal wickr) {
            SEEN.add(wickr);
        }
    }

    @Disabled(RUN_BY)
    static class WithAMalformedSeed {
        @RegisterExtension
        static final WickrLocalExtension WICKR_LOCAL = WickrLocalExtension.from(WickrLocal.builder()
                .seed("networks:\n  - name: Drill\n    userz: []\n"));

        @Test
        void neverRuns(WickrLocal wickr) {
            SEEN.add(wickr);
        }
    }

    @Disabled(RUN_BY)
    static class WithTheExtensionOnAnInstanceField {
        @RegisterExtension
        final WickrLocalExtension wickrLocal = WickrLocalExtension.from(WickrLocal.builder());

        @Test
        void fails(WickrLocal wickr) {
            SEEN.add(wickr);
        }
    }
}
