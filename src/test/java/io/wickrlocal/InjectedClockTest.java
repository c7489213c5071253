package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wickrlocal.junit.WickrLocalExtension;
import io.wickrlocal.service.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A test moves the service's clock to see time pass: here a session outlives its group's limit. */
class InjectedClockTest {
    @Test
    void aSessionEndsOnceTheMovedClockPassesItsGroupsLimit() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (WickrLocal wickr = WickrLocal.builder().clock(clock).start()) {
            SignedClient c = SignedClient.of(wickr);
            String net = SignedClient.ok(c.send("POST", "/networks",
                    "{\"networkName\":\"Clock\",\"accessLevel\":\"STANDARD\"}")).get("networkId").asText();
            String group = SignedClient.ok(c.send("GET", "/networks/" + net + "/security-groups", null))
                    .get("securityGroups").get(0).get("id").asText();
            JsonNode user = SignedClient.ok(c.send("POST", "/networks/" + net + "/users", "{\"users\":[{\"username\":"
                    + "\"clock@example.com\",\"securityGroupIds\":[\"" + group + "\"]}]}")).get("successful").get(0);
            String userId = user.get("userId").asText();
            SignedClient.ok(c.send("POST", "/_local/networks/" + net + "/users/" + userId + "/sign-in",
                    "{\"deviceType\":\"iOS\",\"inviteCode\":\"" + user.get("inviteCode").asText() + "\"}"));
            SignedClient.ok(c.send("PATCH", "/networks/" + net + "/security-groups/" + group,
                    "{\"securityGroupSettings\":{\"maxNonSsoSessionMinutes\":60}}"));
            String sessions = "/_local/networks/" + net + "/users/" + userId + "/sessions";
            clock.advance(Duration.ofMinutes(59));
            assertThat(SignedClient.ok(c.send("GET", sessions, null)).get("sessions")).hasSize(1);
            // Requests are still signed with the real time, which the signature check keeps to.
            clock.advance(Duration.ofMinutes(2));
            assertThat(SignedClient.ok(c.send("GET", sessions, null)).get("sessions")).isEmpty();
        }
    }

    @Test
    void theExtensionIsBuiltFromTheEmbeddingBuilder() {
        MutableClock clock = new MutableClock(Instant.now());
        assertThat(WickrLocalExtension.from(WickrLocal.builder().clock(clock))).isNotNull();
    }
}
