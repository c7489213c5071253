package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wickrlocal.WickrLocal;
import io.wickrlocal.junit.WickrLocalExtension;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultRule;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.wickr.WickrClient;
import software.amazon.awssdk.services.wickr.model.BatchToggleUserSuspendStatusResponse;
import software.amazon.awssdk.services.wickr.model.User;

class OffboardingTest {
    // One server for the class, in memory, reset to this seed before each test.
    @RegisterExtension
    static final WickrLocalExtension WICKR_LOCAL = WickrLocalExtension.from(WickrLocal.builder()
            .seed("""
                    networks:
                      - name: Offboarding drill
                        users:
                          - username: alice@example.com
                          - username: bob@example.com
                    """)
            );

    private WickrClient wickr;
    private String networkId;

    @BeforeEach
    void connect(WickrLocal server) {
        wickr = WickrClients.local(server.endpoint());
        networkId = wickr.listNetworks(r -> { }).networks().get(0).networkId();
    }

    @AfterEach
    void disconnect() {
        wickr.close();
    }

    private String userId(String username) {
        return wickr.listUsersPaginator(r -> r.networkId(networkId)).users().stream()
                .filter(u -> u.username().equals(username)).map(User::userId).findFirst().orElseThrow();
    }

    @Test
    void offboardingSuspendsTheLeaverOnly() {
        String alice = userId("alice@example.com");

        BatchToggleUserSuspendStatusResponse answer = wickr.batchToggleUserSuspendStatus(r -> r
                .networkId(networkId).suspend(true).userIds(alice));

        assertEquals("success", answer.message());
        assertTrue(wickr.getUser(r -> r.networkId(networkId).userId(alice)).suspended());
        assertFalse(wickr.getUser(r -> r.networkId(networkId).userId(userId("bob@example.com"))).suspended());
    }

    @Test
    void theSdkRidesOutA429Storm(WickrLocal server) {
        // The next two suspension calls are refused with 429 RateLimitError before they run. The SDK
        // retries them by itself, with the same client token, and the third attempt goes through.
        server.faults().add(List.of(FaultRule.on("BatchToggleUserSuspendStatus")
                .withError(FaultError.RATE_LIMIT).withCount(2)));
        String bob = userId("bob@example.com");

        BatchToggleUserSuspendStatusResponse answer = wickr.batchToggleUserSuspendStatus(r -> r
                .networkId(networkId).suspend(true).userIds(bob));

        assertEquals("success", answer.message());
        assertTrue(wickr.getUser(r -> r.networkId(networkId).userId(bob)).suspended());
    }
}
