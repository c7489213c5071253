package io.wickrlocal.protocol.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.service.FieldProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceContract contract = ServiceContract.load();
    private final Shape toggle = contract.shape("BatchToggleUserSuspendStatusRequest");

    private List<FieldProblem> check(Shape shape, String json) throws Exception {
        return InputValidator.validate(shape, JSON.readTree(json));
    }

    private static List<String> fields(List<FieldProblem> problems) {
        return problems.stream().map(FieldProblem::field).toList();
    }

    @Test
    void aValidToggleHasNoProblems() throws Exception {
        assertThat(check(toggle, "{\"networkId\":\"12345678\",\"suspend\":true,\"userIds\":[\"1\",\"1234567890\"],"
                + "\"clientToken\":\"a-b_c:1\"}")).isEmpty();
    }

    @Test
    void requiredMembersAreReported() throws Exception {
        assertThat(fields(check(toggle, "{}"))).containsExactlyInAnyOrder("networkId", "suspend", "userIds");
    }

    @Test
    void lengthPatternAndSizeAreEnforced() throws Exception {
        String ids = "[" + String.join(",", java.util.Collections.nCopies(51, "\"1\"")) + "]";
        assertThat(fields(check(toggle, "{\"networkId\":\"1234567\",\"suspend\":true,\"userIds\":" + ids + "}")))
                .containsExactly("networkId", "userIds");
        assertThat(fields(check(toggle, "{\"networkId\":\"1234567a\",\"suspend\":true,"
                + "\"userIds\":[\"12a\",\"12345678901\",\"\",\"7\"]}")))
                .containsExactly("networkId", "userIds[0]", "userIds[1]", "userIds[2]");
        assertThat(fields(check(toggle, "{\"networkId\":\"12345678\",\"suspend\":true,\"userIds\":[]}")))
                .containsExactly("userIds");
    }

    @Test
    void typesAreEnforced() throws Exception {
        List<FieldProblem> p = check(toggle, "{\"networkId\":12345678,\"suspend\":\"maybe\",\"userIds\":\"1\"}");
        assertThat(p).extracting(FieldProblem::field).containsExactly("networkId", "suspend", "userIds");
        assertThat(p.get(1).reason()).contains("boolean");
        assertThat(p.get(2).reason()).contains("list");
    }

    @Test
    void clientTokenFollowsItsPattern() throws Exception {
        String longToken = "a".repeat(65);
        assertThat(fields(check(toggle, "{\"networkId\":\"12345678\",\"suspend\":true,\"userIds\":[\"1\"],"
                + "\"clientToken\":\"" + longToken + "\"}"))).containsExactly("clientToken");
        assertThat(fields(check(toggle, "{\"networkId\":\"12345678\",\"suspend\":true,\"userIds\":[\"1\"],"
                + "\"clientToken\":\"bad token!\"}"))).containsExactly("clientToken");
    }

    @Test
    void nestedStructuresReportTheirPath() throws Exception {
        Shape create = contract.shape("BatchCreateUserRequest");
        List<FieldProblem> p = check(create, "{\"networkId\":\"12345678\",\"users\":[{\"username\":\"a\","
                + "\"securityGroupIds\":[\"g\"]},{\"username\":5,\"securityGroupIds\":[\"has space\"]},{}]}");
        assertThat(fields(p)).containsExactlyInAnyOrder("users[1].username", "users[1].securityGroupIds[0]",
                "users[2].securityGroupIds", "users[2].username");
    }

    @Test
    void rangesAndEnumsAreEnforced() throws Exception {
        Shape list = contract.shape("ListUsersRequest");
        assertThat(fields(check(list, "{\"networkId\":\"12345678\",\"maxResults\":0}"))).containsExactly("maxResults");
        assertThat(fields(check(list, "{\"networkId\":\"12345678\",\"maxResults\":101}"))).containsExactly("maxResults");
        assertThat(fields(check(list, "{\"networkId\":\"12345678\",\"maxResults\":99999999999}")))
                .containsExactly("maxResults");
        assertThat(fields(check(list, "{\"networkId\":\"12345678\",\"maxResults\":100,\"sortDirection\":\"ASC\"}")))
                .isEmpty();
        assertThat(fields(check(list, "{\"networkId\":\"12345678\",\"sortDirection\":\"UP\"}")))
                .containsExactly("sortDirection");
    }

    @Test
    void queryValuesAreConvertedByShapeAndBadOnesReported() {
        ObjectNode bound = InputBinder.bind(toggle, Map.of("networkId", "12345678"),
                Map.of("suspend", List.of("maybe")), name -> null, null);
        assertThat(bound.get("suspend").isTextual()).isTrue();
        assertThat(fields(InputValidator.validate(toggle, bound))).containsExactlyInAnyOrder("suspend", "userIds");

        ObjectNode ok = InputBinder.bind(toggle, Map.of("networkId", "12345678"),
                Map.of("suspend", List.of("false")), name -> name.equals("X-Client-Token") ? List.of("tok") : List.of(),
                (ObjectNode) JSON.valueToTree(Map.of("userIds", List.of("1"), "networkId", "99999999")));
        assertThat(ok.get("suspend").booleanValue()).isFalse();
        assertThat(ok.get("clientToken").asText()).isEqualTo("tok");
        assertThat(ok.get("networkId").asText()).as("URI label wins over a body member").isEqualTo("12345678");
        assertThat(InputValidator.validate(toggle, ok)).isEmpty();
    }

    @Test
    void aScalarGivenTwiceIsRefusedNotReadAsOneOfItsValues() {
        assertThatThrownBy(() -> InputBinder.bind(toggle, Map.of("networkId", "12345678"),
                Map.of("suspend", List.of("false", "true")), name -> List.of(), null))
                .isInstanceOf(InputBinder.Repeated.class).hasMessageContaining("2 times")
                .hasMessageContaining("'suspend'")
                .satisfies(e -> assertThat(((InputBinder.Repeated) e).field()).isEqualTo("suspend"));
        assertThatThrownBy(() -> InputBinder.bind(toggle, Map.of("networkId", "12345678"),
                Map.of("suspend", List.of("true")), name -> name.equals("X-Client-Token") ? List.of("a", "b")
                        : List.of(), null))
                .isInstanceOf(InputBinder.Repeated.class).hasMessageContaining("header 'X-Client-Token'");
    }

    @Test
    void aHostileBodyGetsABoundedNumberOfProblems() throws Exception {
        String ids = "[" + String.join(",", java.util.Collections.nCopies(40, "\"x\"")) + "]";
        Shape create = contract.shape("BatchCreateUserRequest");
        String users = "[" + String.join(",", java.util.Collections.nCopies(50, "{\"securityGroupIds\":" + ids + "}")) + "]";
        assertThat(check(create, "{\"networkId\":\"12345678\",\"users\":" + users + "}"))
                .hasSizeLessThanOrEqualTo(InputValidator.MAX_PROBLEMS);
    }
}
