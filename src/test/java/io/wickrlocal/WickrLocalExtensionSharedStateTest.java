package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.wickrlocal.junit.WickrLocalExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without the reset before each test, a class's tests see what the earlier ones left. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WickrLocalExtensionSharedStateTest {
    @RegisterExtension
    static final WickrLocalExtension WICKR_LOCAL = WickrLocalExtension.from(WickrLocal.builder()
            .seed("networks:\n  - name: Shared\n")).withoutResetBeforeEach();

    private static int networks(WickrLocal wickr) throws Exception {
        return SignedClient.ok(SignedClient.of(wickr).send("GET", "/networks", null)).get("networks").size();
    }

    @Test
    @Order(1)
    void theFirstTestAddsANetwork(WickrLocal wickr) throws Exception {
        assertThat(networks(wickr)).isEqualTo(1);
        SignedClient.ok(SignedClient.of(wickr).send("POST", "/networks",
                "{\"networkName\":\"Second\",\"accessLevel\":\"STANDARD\"}"));
        assertThat(networks(wickr)).isEqualTo(2);
    }

    @Test
    @Order(2)
    void theNextStillSeesIt(WickrLocal wickr) throws Exception {
        assertThat(networks(wickr)).isEqualTo(2);
    }
}
