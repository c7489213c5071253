package io.wickrlocal.protocol.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router(ServiceContract.load().operations());

    private String found(String method, String... segments) {
        Router.Match m = router.route(method, List.of(segments));
        assertThat(m).isInstanceOf(Router.Found.class);
        return ((Router.Found) m).operation().name();
    }

    @Test
    void literalSegmentsWinOverLabels() {
        assertThat(found("GET", "networks", "12345678", "users", "count")).isEqualTo("GetUsersCount");
        assertThat(found("GET", "networks", "12345678", "users", "42")).isEqualTo("GetUser");
        assertThat(found("GET", "networks", "12345678", "bots", "count")).isEqualTo("GetBotsCount");
    }

    @Test
    void aDeadEndLiteralFallsBackToTheLabel() {
        Router.Match m = router.route("GET", List.of("networks", "12345678", "users", "count", "devices"));
        assertThat(m).isInstanceOf(Router.Found.class);
        Router.Found f = (Router.Found) m;
        assertThat(f.operation().name()).isEqualTo("ListDevicesForUser");
        assertThat(f.labels()).containsEntry("userId", "count").containsEntry("networkId", "12345678");
    }

    @Test
    void methodDecidesBetweenOperationsOnOnePath() {
        assertThat(found("PATCH", "networks", "12345678", "users", "toggleSuspend"))
                .isEqualTo("BatchToggleUserSuspendStatus");
        assertThat(found("PATCH", "networks", "12345678", "users")).isEqualTo("UpdateUser");
        assertThat(found("POST", "networks", "12345678", "users")).isEqualTo("BatchCreateUser");
        assertThat(found("GET", "networks", "12345678", "users")).isEqualTo("ListUsers");
    }

    @Test
    void wrongMethodListsWhatThePathAccepts() {
        Router.Match m = router.route("PUT", List.of("networks", "12345678"));
        assertThat(m).isInstanceOf(Router.WrongMethod.class);
        assertThat(((Router.WrongMethod) m).allowed()).containsExactly("DELETE", "GET", "PATCH");
    }

    @Test
    void unknownPathsAndEmptyLabelsDoNotRoute() {
        assertThat(router.route("GET", List.of("nope"))).isInstanceOf(Router.NoRoute.class);
        assertThat(router.route("GET", List.of("networks", "", "users"))).isInstanceOf(Router.NoRoute.class);
        assertThat(router.route("GET", List.of("networks", "1", "users", "2", "devices", "3")))
                .isInstanceOf(Router.NoRoute.class);
    }
}
