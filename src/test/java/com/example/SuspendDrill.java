package com.example;

import java.net.URI;
import software.amazon.awssdk.services.wickr.WickrClient;
import software.amazon.awssdk.services.wickr.model.AccessLevel;
import software.amazon.awssdk.services.wickr.model.BatchCreateUserRequestItem;
import software.amazon.awssdk.services.wickr.model.BatchToggleUserSuspendStatusResponse;
import software.amazon.awssdk.services.wickr.model.SecurityGroup;

/** A network, a user and a suspension, on the server at args[0] (default http://127.0.0.1:8484). */
public final class SuspendDrill {
    private SuspendDrill() {
    }

    public static void main(String[] args) {
        URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8484");
        try (WickrClient wickr = WickrClients.local(endpoint)) {
            String networkId = wickr.createNetwork(r -> r
                    .networkName("Incident drill").accessLevel(AccessLevel.STANDARD)).networkId();
            String groupId = wickr.listSecurityGroups(r -> r.networkId(networkId)).securityGroups().stream()
                    .filter(SecurityGroup::isDefault).findFirst().orElseThrow().id();
            BatchCreateUserRequestItem alice = BatchCreateUserRequestItem.builder()
                    .username("alice@example.com").securityGroupIds(groupId).build();
            String userId = wickr.batchCreateUser(r -> r.networkId(networkId).users(alice))
                    .successful().get(0).userId();

            BatchToggleUserSuspendStatusResponse suspended = wickr.batchToggleUserSuspendStatus(r -> r
                    .networkId(networkId).suspend(true).userIds(userId, "9999999999"));
            System.out.println(suspended.message() + ": " + suspended.successful().size() + " suspended, "
                    + suspended.failed().get(0).userId() + " " + suspended.failed().get(0).reason());
            System.out.println("alice suspended: "
                    + wickr.getUser(r -> r.networkId(networkId).userId(userId)).suspended());
        }
    }
}
