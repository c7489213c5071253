package io.wickrlocal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wickrlocal.WickrLocal;
import io.wickrlocal.seed.SeedException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What a test class using the extension goes through, run with the JUnit launcher on the classes of
 * {@link ExtensionFixtures}: when the server starts and stops, and how a mistake shows.
 */
class WickrLocalExtensionLifecycleTest {
    private static final List<WickrLocal> SEEN = ExtensionFixtures.SEEN;

    private static TestExecutionSummary run(Class<?> testClass) {
        SEEN.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .configurationParameter("junit.jupiter.conditions.deactivate", "org.junit.*DisabledCondition")
                .build(), listener);
        return listener.getSummary();
    }

    @Test
    void oneServerServesTheClassAndStopsAfterItsLastTest() throws Exception {
        TestExecutionSummary summary = run(ExtensionFixtures.WithTheDefaults.class);
        assertThat(summary.getFailures()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).hasSize(2);
        WickrLocal wickr = SEEN.get(0);
        assertThat(SEEN.get(1)).isSameAs(wickr);
        assertThat(List.of(wickr.accessKeyId(), wickr.accountId(), wickr.region()))
                .containsExactly("test", "000000000000", "us-east-1");
        assertThatThrownBy(() -> new Socket("127.0.0.1", wickr.port()).close()).isInstanceOf(ConnectException.class);

        run(ExtensionFixtures.WithTheDefaults.class);
        assertThat(SEEN.get(0)).as("every run of a class gets its own server").isNotSameAs(wickr);
    }

    @Test
    void aSeedThatBreaksARuleFailsTheClassWithItsLineAndField() {
        TestExecutionSummary summary = run(ExtensionFixtures.WithASeedThatBreaksARule.class);
        assertThat(SEEN).isEmpty();
        assertThat(summary.getTestsStartedCount()).isZero();
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(SeedException.class)
                .hasMessage("seed text line 5, column 18: networks[0].users[0].groups[0]: no security group named"
                        + " 'Nowhere' in this network; declare it under securityGroups (every network also has its"
                        + " default group)"));
    }

    @Test
    void aMalformedSeedFailsTheClassWithItsLineAndField() {
        TestExecutionSummary summary = run(ExtensionFixtures.WithAMalformedSeed.class);
        assertThat(summary.getTestsStartedCount()).isZero();
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .hasRootCauseInstanceOf(SeedException.class)
                .rootCause().hasMessageStartingWith("seed text line 3, column 5: networks[0].userz: unknown field"));
    }

    @Test
    void anInstanceFieldIsRefusedSayingHowToRegisterTheExtension() {
        TestExecutionSummary summary = run(ExtensionFixtures.WithTheExtensionOnAnInstanceField.class);
        assertThat(SEEN).isEmpty();
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@ExtendWith or on a static @RegisterExtension field"));
    }
}
