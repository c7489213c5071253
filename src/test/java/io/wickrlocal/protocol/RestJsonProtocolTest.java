package io.wickrlocal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.contract.Shape;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.faults.FaultPhase;
import io.wickrlocal.protocol.faults.FaultPlan;
import io.wickrlocal.protocol.faults.FaultRule;
import io.wickrlocal.protocol.sigv4.CredentialStore;
import io.wickrlocal.protocol.sigv4.SigV4Signer;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import io.wickrlocal.service.ErrorKind;
import io.wickrlocal.service.Json;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.SqliteDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol core driven with plain request and response records: no socket, no Jetty. */
class RestJsonProtocolTest {
    private static final ServiceContract CONTRACT = ServiceContract.load();
    private static final SigV4Signer SIGNER = new SigV4Signer("test", "test", "us-east-1", CONTRACT.signingName(),
            Clock.systemUTC());

    private final Database database = SqliteDatabase.inMemory();
    private final WickrService service = new WickrService(database, Clock.systemUTC());
    private final FaultInjector faults = new FaultInjector(CONTRACT.operations().stream()
            .filter(op -> !op.extension()).map(Operation::name).toList());
    private String storeAway;
    private final RestJsonProtocol protocol = new RestJsonProtocol(CONTRACT,
            new SigV4Verifier(CredentialStore.defaults(), Clock.systemUTC(), CONTRACT.signingName(),
                    CONTRACT.boundHeaderNames()),
            service, faults, null, new Readiness() {
                @Override
                public String notReady() {
                    return storeAway;
                }

                @Override
                public String refusal() {
                    return storeAway;
                }
            });

    @AfterEach
    void close() {
        database.close();
    }

    /** A request signed by the default test credential, as an AWS client would send it. */
    private static ApiRequest signed(String method, String path, String query, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "localhost:4566");
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        headers.putAll(SIGNER.sign(method, path, query, headers, bytes));
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).add(v));
        return new ApiRequest(method, path, query, lower, bytes);
    }

    private static JsonNode json(ApiResponse r) {
        return Json.read(r.text());
    }

    private String createNetwork(String name) {
        ApiResponse created = protocol.handle(signed("POST", "/networks", null,
                "{\"networkName\":\"" + name + "\",\"accessLevel\":\"STANDARD\"}"));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return json(created).get("networkId").asText();
    }

    @Test
    void routesByMethodAndPathToTheOperationAndAnswersItsOutput() {
        String id = createNetwork("routed");

        ApiResponse got = protocol.handle(signed("GET", "/networks/" + id, null, null));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.headers()).containsEntry("Content-Type", "application/json")
                .containsKey(RestJsonProtocol.REQUEST_ID_HEADER);
        assertThat(json(got).get("networkName").asText()).isEqualTo("routed");

        ApiResponse nowhere = protocol.handle(signed("GET", "/no-such-thing", null, null));
        assertThat(nowhere.status()).isEqualTo(404);
        assertThat(nowhere.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "ResourceNotFoundError");
        assertThat(json(nowhere).get("message").asText()).contains("No Wickr operation matches GET /no-such-thing");

        ApiResponse wrongMethod = protocol.handle(signed("PUT", "/networks", null, "{}"));
        assertThat(wrongMethod.status()).isEqualTo(400);
        assertThat(wrongMethod.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "BadRequestError");
        assertThat(json(wrongMethod).get("message").asText()).contains("this path accepts");
    }

    @Test
    void anInvalidInputIsAValidationErrorListingEachFieldWithItsReason() {
        ApiResponse refused = protocol.handle(signed("POST", "/networks", null, "{\"accessLevel\":\"GOLD\"}"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "ValidationError");
        JsonNode body = json(refused);
        assertThat(body.get("message").asText()).isEqualTo("Validation failed");
        List<String> fields = new ArrayList<>();
        body.get("reasons").forEach(r -> {
            fields.add(r.get("field").asText());
            assertThat(r.get("reason").asText()).isNotBlank();
        });
        assertThat(fields).contains("networkName", "accessLevel");
    }

    @Test
    void aModeledErrorOfTheServiceIsAnsweredWithItsContractStatusAndType() {
        ApiResponse missing = protocol.handle(signed("GET", "/networks/12345678", null, null));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "ResourceNotFoundError");
        assertThat(json(missing).get("message").asText()).isEqualTo("Network not found");
    }

    @Test
    void theFaultStageTakesThePlaceOfTheCallBeforeAndOfItsAnswerAfter() {
        faults.replace(FaultPlan.of(
                FaultRule.on("ListNetworks").withError(FaultError.RATE_LIMIT).withCount(1),
                FaultRule.on("CreateNetwork").withError(FaultError.INTERNAL_SERVER_ERROR).withPhase(FaultPhase.AFTER)
                        .withCount(1)));

        ApiResponse createdButFailed = protocol.handle(signed("POST", "/networks", null,
                "{\"networkName\":\"after\",\"accessLevel\":\"STANDARD\"}"));
        assertThat(createdButFailed.status()).isEqualTo(500);
        assertThat(createdButFailed.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "InternalServerError");

        ApiResponse throttled = protocol.handle(signed("GET", "/networks", null, null));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "RateLimitError");

        // The fault after took only the answer's place: the network was created.
        ApiResponse listed = protocol.handle(signed("GET", "/networks", null, null));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(json(listed).get("networks")).extracting(n -> n.get("networkName").asText()).containsExactly("after");

        // A latency alone delays the call, which then runs (on the Later the caller gives).
        faults.replace(FaultPlan.of(FaultRule.on("ListNetworks").withLatencyMs(5).withCount(1)));
        assertThat(protocol.handle(signed("GET", "/networks", null, null)).status()).isEqualTo(200);

        // A /_local operation is never touched, whatever the rules name.
        faults.replace(FaultPlan.of(FaultRule.on(FaultRule.ANY_OPERATION).withError(FaultError.INTERNAL_SERVER_ERROR)));
        assertThat(protocol.handle(signed("GET", "/_local/faults", null, null)).status()).isEqualTo(200);
        assertThat(protocol.handle(signed("GET", "/networks", null, null)).status()).isEqualTo(500);
    }

    @Test
    void protocolErrorsComeFromTheTable() {
        ApiResponse notJson = protocol.handle(signed("POST", "/networks", null, "{\"networkName\":"));
        assertThat(notJson.status()).isEqualTo(ProtocolError.BAD_REQUEST.status());
        assertThat(notJson.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "BadRequestError");
        assertThat(json(notJson).get("message").asText()).startsWith("The request body is not valid JSON");

        ApiResponse unsigned = protocol.handle(new ApiRequest("GET", "/networks", null,
                Map.of("host", List.of("localhost")), new byte[0]));
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(unsigned.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER,
                "MissingAuthenticationTokenException");

        storeAway = "the database does not answer";
        ApiResponse away = protocol.handle(signed("GET", "/networks", null, null));
        assertThat(away.status()).isEqualTo(503);
        assertThat(away.headers()).containsEntry(RestJsonProtocol.ERROR_TYPE_HEADER, "ServiceUnavailable")
                .containsEntry("Retry-After", "1");
        // An operation on the server's memory does not need the store.
        assertThat(protocol.handle(signed("GET", "/_local/faults", null, null)).status()).isEqualTo(200);
        ApiResponse ready = protocol.handle(new ApiRequest("GET", RestJsonProtocol.READY_PATH, null, Map.of(),
                new byte[0]));
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.headers()).containsEntry("Cache-Control", "no-store");
    }

    /** The modeled rows of the table are the contract's error shapes, with the contract's statuses. */
    @Test
    void theTableAgreesWithTheContractAndCoversEveryErrorKind() {
        for (ErrorKind kind : ErrorKind.values()) {
            ProtocolError row = ProtocolError.of(kind);
            assertThat(row.type()).isEqualTo(kind.shapeName());
            Shape shape = CONTRACT.errorShape(row.type());
            assertThat(shape).as(row.type()).isNotNull();
            assertThat(row.status()).as(row.type()).isEqualTo(shape.errorStatus());
        }
        for (FaultError error : FaultError.values()) {
            assertThat(ProtocolError.ofType(error.shapeName()).type()).isEqualTo(error.shapeName());
        }
    }
}
