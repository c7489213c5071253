package io.wickrlocal.seed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A seed file as read: what it declares, each item with its field path in the file. */
final class SeedModel {
    private SeedModel() {}

    record Account(String path, String accountId, String region, List<Network> networks) {}

    record Network(String path, String name, String accessLevel, String encryptionKeyArn, List<Group> groups,
                   List<User> users, List<Bot> bots) {}

    /** {@code settings} is the CreateSecurityGroup settings object as written, or null. */
    record Group(String path, String name, JsonNode settings) {}

    record User(String path, String username, String firstName, String lastName, List<String> groups,
                boolean suspended) {}

    record Bot(String path, String username, String displayName, String group, String password) {}
}
