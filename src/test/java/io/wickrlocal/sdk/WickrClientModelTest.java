package io.wickrlocal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The model files the test build generates WickrClient from (src/test/codegen/wickr, written by
 * tools/extract-java-client-model.py) say what the server's own contract says, and carry no
 * documentation text.
 */
class WickrClientModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of("src", "test", "codegen", "wickr");
    private static final Path CONTRACT = Path.of("src", "main", "resources", "io", "wickrlocal", "contract",
            "wickr-2024-02-01.json");

    @Test
    void theClientsServiceAndPaginatorsAreTheBundledContracts() throws Exception {
        JsonNode contract = JSON.readTree(CONTRACT.toFile());
        ObjectNode service = JSON.createObjectNode().put("version", "2.0");
        service.set("metadata", contract.get("metadata"));
        service.set("operations", contract.get("operations"));
        service.set("shapes", contract.get("shapes"));
        assertThat(JSON.readTree(MODEL.resolve("service-2.json").toFile()))
                .as("src/test/codegen/wickr/service-2.json is behind the contract:"
                        + " run python3 tools/extract-java-client-model.py")
                .isEqualTo(service);
        assertThat(JSON.readTree(MODEL.resolve("paginators-1.json").toFile()).get("pagination"))
                .as("src/test/codegen/wickr/paginators-1.json is behind the contract:"
                        + " run python3 tools/extract-java-client-model.py")
                .isEqualTo(contract.get("paginators"));
    }

    @Test
    void theModelFilesCarryNoDocumentation() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(MODEL)) {
            files = list.filter(p -> !p.getFileName().toString().equals("SOURCE")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "customization.config", "endpoint-rule-set.json", "paginators-1.json", "service-2.json");
        for (Path file : files) {
            assertThat(JSON.readTree(file.toFile()).findParents("documentation")).as(file.toString()).isEmpty();
        }
    }
}
