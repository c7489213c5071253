package io.wickrlocal.protocol.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.service.FieldProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The members the 2026-06-04 model added are checked from the contract like every other member. */
class NewerModelMembersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceContract contract = ServiceContract.load();

    private List<FieldProblem> check(String operation, String json) throws Exception {
        return InputValidator.validate(contract.operation(operation).input(), JSON.readTree(json));
    }

    private List<FieldProblem> group(String settings) throws Exception {
        return check("UpdateSecurityGroup", "{\"networkId\":\"12345678\",\"groupId\":\"g\",\"securityGroupSettings\":"
                + settings + "}");
    }

    private List<FieldProblem> network(String settings) throws Exception {
        return check("UpdateNetworkSettings", "{\"networkId\":\"12345678\",\"settings\":" + settings + "}");
    }

    @Test
    void maxNonSsoSessionMinutesIsAnIntegerFrom0To525600() throws Exception {
        assertThat(group("{\"maxNonSsoSessionMinutes\":0}")).isEmpty();
        assertThat(group("{\"maxNonSsoSessionMinutes\":525600}")).isEmpty();
        assertThat(group("{\"maxNonSsoSessionMinutes\":525601}")).containsExactly(new FieldProblem(
                "securityGroupSettings.maxNonSsoSessionMinutes",
                "securityGroupSettings.maxNonSsoSessionMinutes must be between 0 and 525600"));
        assertThat(group("{\"maxNonSsoSessionMinutes\":-1}")).extracting(FieldProblem::field)
                .containsExactly("securityGroupSettings.maxNonSsoSessionMinutes");
        assertThat(group("{\"maxNonSsoSessionMinutes\":\"60\"}")).extracting(FieldProblem::reason)
                .containsExactly("securityGroupSettings.maxNonSsoSessionMinutes must be an integer");
    }

    @Test
    void maxNonSsoSessionMinutesIsInTheGroupsSettingsButNotInCreateSecurityGroupsShape() {
        assertThat(contract.shape("SecurityGroupSettings").member("maxNonSsoSessionMinutes")).isNotNull();
        assertThat(contract.shape("SecurityGroupSettingsRequest").member("maxNonSsoSessionMinutes")).isNull();
    }

    @Test
    void theConsentPopupNeedsEnabledAndBoundsItsTexts() throws Exception {
        assertThat(network("{\"consentPopup\":{\"enabled\":true,\"header\":\"" + "h".repeat(100) + "\",\"content\":\""
                + "c".repeat(5000) + "\",\"closeButtonLabel\":\"" + "b".repeat(20) + "\"}}")).isEmpty();
        assertThat(network("{\"consentPopup\":{\"header\":\"Hello\"}}")).containsExactly(
                new FieldProblem("settings.consentPopup.enabled", "settings.consentPopup.enabled is required"));
        assertThat(network("{\"consentPopup\":{\"enabled\":true,\"header\":\"" + "h".repeat(101) + "\",\"content\":\""
                + "c".repeat(5001) + "\",\"closeButtonLabel\":\"" + "b".repeat(21) + "\"}}"))
                .extracting(FieldProblem::field).containsExactlyInAnyOrder("settings.consentPopup.header",
                        "settings.consentPopup.content", "settings.consentPopup.closeButtonLabel");
        assertThat(network("{\"consentPopup\":{\"enabled\":\"yes\"}}")).containsExactly(
                new FieldProblem("settings.consentPopup.enabled",
                        "settings.consentPopup.enabled must be a boolean (true or false)"));
    }

    @Test
    void rateLimitErrorsMessageHasTheModelsDefault() {
        assertThat(contract.errorShape("RateLimitError").member("message").defaultValue())
                .isEqualTo("Too many requests sent");
        assertThat(contract.errorShape("ValidationError").member("message").defaultValue()).isNull();
    }
}
