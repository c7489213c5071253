package io.wickrlocal.protocol.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceContractTest {
    private final ServiceContract contract = ServiceContract.load();

    @Test
    void carriesAll44OperationsOfTheAwsModelPlusTheLocalExtension() {
        long aws = contract.operations().stream().filter(op -> !op.extension()).count();
        assertThat(aws).isEqualTo(44);
        assertThat(contract.operation("BatchToggleUserSuspendStatus").method()).isEqualTo("PATCH");
        assertThat(contract.operation("BatchToggleUserSuspendStatus").uri().toString())
                .isEqualTo("/networks/{networkId}/users/toggleSuspend");
        assertThat(contract.operation("LocalSignIn").extension()).isTrue();
        assertThat(contract.signingName()).isEqualTo("wickr");
    }

    @Test
    void everyOperationIsRoutedByItsOwnTemplate() {
        Router router = new Router(contract.operations());
        for (Operation op : contract.operations()) {
            List<String> segments = new ArrayList<>();
            for (UriTemplate.Segment s : op.uri().segments()) {
                segments.add(s.label() ? "12345678" : s.text());
            }
            Router.Match match = router.route(op.method(), segments);
            assertThat(match).as(op.name()).isInstanceOf(Router.Found.class);
            assertThat(((Router.Found) match).operation().name()).as(op.name()).isEqualTo(op.name());
        }
    }

    @Test
    void proseRulesNarrowTheModel() {
        Member userIds = contract.shape("BatchToggleUserSuspendStatusRequest").member("userIds");
        assertThat(userIds.limits()).isEqualTo(new Limits(1L, 50L));
        Member maxResults = contract.shape("ListUsersRequest").member("maxResults");
        assertThat(maxResults.limits()).isEqualTo(new Limits(1L, 100L));
        // the shared Integer shape itself is untouched
        assertThat(contract.shape("Integer").limits().isNone()).isTrue();
    }

    @Test
    void idempotencyTokensAreFoundFromTheModel() {
        Member token = contract.operation("BatchToggleUserSuspendStatus").idempotencyTokenMember();
        assertThat(token.name()).isEqualTo("clientToken");
        assertThat(token.location()).isEqualTo(Location.HEADER);
        assertThat(token.locationName()).isEqualTo("X-Client-Token");
        assertThat(contract.operation("GetUser").idempotencyTokenMember()).isNull();
    }

    @Test
    void errorShapesCarryTheirStatus() {
        assertThat(contract.errorShape("ValidationError").errorStatus()).isEqualTo(422);
        assertThat(contract.errorShape("ResourceNotFoundError").errorStatus()).isEqualTo(404);
        assertThat(contract.errorShape("InternalServerError").errorStatus()).isEqualTo(500);
        assertThat(contract.errorShape("User")).isNull();
    }

    @Test
    void anOutputMayBeATextPayloadSentAsItIsWithItsMediaType() {
        Shape export = contract.operation("LocalExportAuditEvents").output();
        assertThat(export.payload()).isEqualTo("events");
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.put("events", "{\"a\":1}\n{\"b\":2}\n");
        value.put("networkId", "12345678");
        OutputShaper.Body lines = OutputShaper.body(export, value);
        assertThat(lines.contentType()).isEqualTo("application/x-ndjson");
        assertThat(new String(lines.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
        OutputShaper.Body json = OutputShaper.body(contract.operation("UpdateNetwork").output(), value);
        assertThat(json.contentType()).isEqualTo("application/json");
        assertThat(new String(json.bytes(), StandardCharsets.UTF_8)).doesNotContain("events");
    }

    @Test
    void aPayloadMustBeATextMember() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode model;
        try (InputStream in = ServiceContract.class.getResourceAsStream(ServiceContract.MODEL_RESOURCE)) {
            model = json.readTree(in);
        }
        JsonNode extension = json.readTree("{\"operations\": {}, \"shapes\": {\"LocalBadPayload\": {\"type\":"
                + " \"structure\", \"payload\": \"n\", \"members\": {\"n\": {\"shape\": \"Integer\"}}}}}");
        JsonNode supplement = json.readTree("{\"memberConstraints\": {}}");
        assertThatThrownBy(() -> ServiceContract.build(model, extension, supplement))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LocalBadPayload");
    }

    @Test
    void theBundledModelCarriesNoDocumentationText() throws Exception {
        try (InputStream in = ServiceContract.class.getResourceAsStream(ServiceContract.MODEL_RESOURCE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\"documentation\"");
        }
    }
}
