package io.wickrlocal.bench;

import java.util.Arrays;
import java.util.Optional;

/** The calls the load generator can make, by the name {@code --mix} uses for them. */
enum Operation {
    /** BatchToggleUserSuspendStatus on {@code --batch-size} users. */
    TOGGLE("toggle"),
    GET_USER("get-user"),
    /** ListUsers, one page of 10. */
    LIST_USERS("list-users"),
    /** GetUsersCount. */
    COUNT("count"),
    /** BatchCreateUser of {@code --batch-size} new users in the network's default group. */
    CREATE("create");

    private final String cliName;

    Operation(String cliName) {
        this.cliName = cliName;
    }

    String cliName() {
        return cliName;
    }

    static Optional<Operation> byCliName(String name) {
        return Arrays.stream(values()).filter(op -> op.cliName.equals(name)).findFirst();
    }
}
