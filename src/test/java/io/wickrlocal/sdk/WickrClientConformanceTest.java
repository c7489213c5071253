package io.wickrlocal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wickrlocal.WickrLocal;
import io.wickrlocal.junit.WickrLocalExtension;
import io.wickrlocal.protocol.faults.FaultError;
import io.wickrlocal.protocol.faults.FaultPhase;
import io.wickrlocal.protocol.faults.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.wickr.WickrClient;
import software.amazon.awssdk.services.wickr.model.AccessLevel;
import software.amazon.awssdk.services.wickr.model.BatchCreateUserRequestItem;
import software.amazon.awssdk.services.wickr.model.BatchCreateUserResponse;
import software.amazon.awssdk.services.wickr.model.BatchToggleUserSuspendStatusResponse;
import software.amazon.awssdk.services.wickr.model.BatchUserErrorResponseItem;
import software.amazon.awssdk.services.wickr.model.ErrorDetail;
import software.amazon.awssdk.services.wickr.model.GetUserResponse;
import software.amazon.awssdk.services.wickr.model.ListUsersResponse;
import software.amazon.awssdk.services.wickr.model.ResourceNotFoundErrorException;
import software.amazon.awssdk.services.wickr.model.SecurityGroup;
import software.amazon.awssdk.services.wickr.model.User;
import software.amazon.awssdk.services.wickr.model.ValidationErrorException;

/**
 * A subset of the conformance suite (conformance/test_networks.py, test_users.py, test_suspend.py),
 * driven through the AWS SDK for Java v2's own WickrClient, generated in the test build from the
 * service model: what a Java team's code sees when it points the SDK at Wickr Local. One server for
 * the class, reset before each test.
 */
class WickrClientConformanceTest {
    @RegisterExtension
    static final WickrLocalExtension WICKR_LOCAL = WickrLocalExtension.from(WickrLocal.builder());

    private static WickrClient client;
    /** The X-Client-Token header of each attempt the client sends, in order. */
    private static final List<String> SENT_TOKENS = new CopyOnWriteArrayList<>();
    private final WickrLocal wickr;

    WickrClientConformanceTest(WickrLocal wickr) {
        this.wickr = wickr;
    }

    @BeforeAll
    static void connect(WickrLocal wickr) {
        client = WickrClient.builder()
                .endpointOverride(wickr.endpoint())
                .region(Region.of(wickr.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(wickr.accessKeyId(), wickr.secretAccessKey())))
                .httpClient(Apache5HttpClient.create())
                // Records each attempt's client token; the SDK's standard retries (which take 429 as
                // throttling and 500 as retryable), with short pauses so that the fault tests stay quick.
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        SENT_TOKENS.add(context.httpRequest().firstMatchingHeader("X-Client-Token").orElse("none"));
                    }
                }).retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(10)))
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(10)))
                        .circuitBreakerEnabled(false)
                        .build()))
                .build();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private String networkId;
    private String groupId;

    @BeforeEach
    void network() {
        SENT_TOKENS.clear();
        networkId = client.createNetwork(r -> r.networkName("SDK drill").accessLevel(AccessLevel.STANDARD)).networkId();
        groupId = client.listSecurityGroups(r -> r.networkId(networkId)).securityGroups().stream()
                .filter(SecurityGroup::isDefault).map(SecurityGroup::id).findFirst().orElseThrow();
    }

    private List<String> createUsers(int n, String prefix) {
        List<BatchCreateUserRequestItem> items = IntStream.range(0, n)
                .mapToObj(i -> BatchCreateUserRequestItem.builder()
                        .username(prefix + i + "@example.com").securityGroupIds(groupId).build())
                .toList();
        BatchCreateUserResponse created = client.batchCreateUser(r -> r.networkId(networkId).users(items));
        assertThat(created.failed()).isEmpty();
        return created.successful().stream().map(User::userId).toList();
    }

    @Test
    void createNetworkAnswersItsIdAndListsIt() {
        assertThat(networkId).matches("\\d{8}");
        assertThat(client.getNetwork(r -> r.networkId(networkId)).networkName()).isEqualTo("SDK drill");
        assertThat(client.listNetworks(r -> { }).networks()).extracting(n -> n.networkId()).containsExactly(networkId);
    }

    @Test
    void batchCreateUserAnswersEachUserWithItsId() {
        BatchCreateUserResponse created = client.batchCreateUser(r -> r.networkId(networkId).users(
                BatchCreateUserRequestItem.builder().username("alice@example.com").firstName("Alice")
                        .securityGroupIds(groupId).build(),
                BatchCreateUserRequestItem.builder().username("bob@example.com").securityGroupIds(groupId).build()));
        assertThat(created.message()).as("BatchCreateUser answers no message").isNull();
        assertThat(created.failed()).isEmpty();
        assertThat(created.successful()).extracting(User::username)
                .containsExactly("alice@example.com", "bob@example.com");
        GetUserResponse alice = client.getUser(r -> r.networkId(networkId).userId(created.successful().get(0).userId()));
        assertThat(alice.firstName()).isEqualTo("Alice");
        assertThat(alice.suspended()).isFalse();
    }

    @Test
    void suspensionSaysSuccessOrPartialSuccessAndGetUserShowsIt() {
        List<String> ids = createUsers(3, "sus");
        BatchToggleUserSuspendStatusResponse all = client.batchToggleUserSuspendStatus(
                r -> r.networkId(networkId).suspend(true).userIds(ids.get(0), ids.get(1)));
        assertThat(all.message()).isEqualTo("success");
        assertThat(all.failed()).isEmpty();
        assertThat(all.successful()).extracting(s -> s.userId()).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        assertThat(client.getUser(r -> r.networkId(networkId).userId(ids.get(0))).suspended()).isTrue();
        assertThat(client.getUser(r -> r.networkId(networkId).userId(ids.get(2))).suspended()).isFalse();

        BatchToggleUserSuspendStatusResponse partial = client.batchToggleUserSuspendStatus(
                r -> r.networkId(networkId).suspend(false).userIds(ids.get(0), "9999999991"));
        assertThat(partial.message()).isEqualTo("partial success");
        assertThat(partial.successful()).extracting(s -> s.userId()).containsExactly(ids.get(0));
        assertThat(partial.failed()).containsExactly(BatchUserErrorResponseItem.builder()
                .userId("9999999991").field("username").reason("User not found").build());
        assertThat(client.getUser(r -> r.networkId(networkId).userId(ids.get(0))).suspended()).isFalse();
        assertThat(client.getUser(r -> r.networkId(networkId).userId(ids.get(1))).suspended()).isTrue();
    }

    @Test
    void theListUsersPaginatorFollowsNextTokenToTheEnd() {
        List<String> ids = createUsers(7, "page");
        List<ListUsersResponse> pages = new ArrayList<>();
        client.listUsersPaginator(r -> r.networkId(networkId).maxResults(3)).forEach(pages::add);
        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(p -> p.users().size()).containsExactly(3, 3, 1);
        assertThat(pages.get(2).nextToken()).isNull();
        // The paginator's flattened view: every user once.
        assertThat(client.listUsersPaginator(r -> r.networkId(networkId).maxResults(3)).users().stream()
                .map(User::userId)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aBadRequestIsAValidationErrorWithItsReasons() {
        ValidationErrorException empty = catchThrowableOfType(ValidationErrorException.class, () ->
                client.batchToggleUserSuspendStatus(r -> r.networkId(networkId).suspend(true).userIds(List.of())));
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(empty.reasons()).extracting(ErrorDetail::field).contains("userIds");

        List<String> ids = createUsers(1, "val");
        ValidationErrorException element = catchThrowableOfType(ValidationErrorException.class, () ->
                client.batchToggleUserSuspendStatus(r -> r.networkId(networkId).suspend(true)
                        .userIds(ids.get(0), "not-a-number")));
        assertThat(element.reasons()).extracting(ErrorDetail::field).contains("userIds[1]");
        assertThat(element.reasons()).allSatisfy(reason -> assertThat(reason.reason()).isNotBlank());
        assertThat(client.getUser(r -> r.networkId(networkId).userId(ids.get(0))).suspended()).isFalse();
    }

    @Test
    void anUnknownNetworkIsResourceNotFound() {
        String unknown = networkId.equals("99999999") ? "99999998" : "99999999";
        ResourceNotFoundErrorException e = catchThrowableOfType(ResourceNotFoundErrorException.class, () ->
                client.getNetwork(r -> r.networkId(unknown)));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Network not found");
        assertThat(e.requestId()).isNotBlank();
    }

    @Test
    void theSameClientTokenAnswersTheFirstCallAgainWithoutRunningIt() {
        List<String> ids = createUsers(1, "tok");
        BatchToggleUserSuspendStatusResponse first = client.batchToggleUserSuspendStatus(
                r -> r.networkId(networkId).suspend(true).userIds(ids).clientToken("sdk-token-1"));
        client.batchToggleUserSuspendStatus(r -> r.networkId(networkId).suspend(false).userIds(ids));
        BatchToggleUserSuspendStatusResponse again = client.batchToggleUserSuspendStatus(
                r -> r.networkId(networkId).suspend(true).userIds(ids).clientToken("sdk-token-1"));
        assertThat(again.successful()).isEqualTo(first.successful());
        assertThat(again.message()).isEqualTo(first.message());
        // The replay did not suspend the user again: the unsuspension in between stands.
        assertThat(client.getUser(r -> r.networkId(networkId).userId(ids.get(0))).suspended()).isFalse();
    }

    @Test
    void theSdksOwnTokenMakesItsRetryOfALostAnswerRunOnce() {
        // The SDK fills X-Client-Token itself (a fresh UUID per call, the same on each retry). The
        // first answer is lost after the commit; the retry gets it from the idempotency store instead
        // of creating the users again (which would fail them as taken usernames).
        wickr.faults().add(List.of(FaultRule.on("BatchCreateUser").withError(FaultError.INTERNAL_SERVER_ERROR)
                .withPhase(FaultPhase.AFTER).withCount(1)));
        SENT_TOKENS.clear();
        List<String> ids = createUsers(2, "retry");
        assertThat(ids).hasSize(2);
        assertThat(SENT_TOKENS).hasSize(2).allMatch(t -> t.equals(SENT_TOKENS.get(0)));
        assertThat(SENT_TOKENS.get(0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(client.listUsers(r -> r.networkId(networkId)).users()).extracting(User::userId)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void theSdkRetriesA429WithTheSameToken() {
        List<String> ids = createUsers(2, "storm");
        wickr.faults().add(List.of(FaultRule.on("BatchToggleUserSuspendStatus").withError(FaultError.RATE_LIMIT)
                .withCount(2)));
        SENT_TOKENS.clear();
        BatchToggleUserSuspendStatusResponse r = client.batchToggleUserSuspendStatus(
                b -> b.networkId(networkId).suspend(true).userIds(ids));
        assertThat(r.message()).isEqualTo("success");
        assertThat(r.successful()).hasSize(2);
        assertThat(SENT_TOKENS).hasSize(3).allMatch(t -> t.equals(SENT_TOKENS.get(0)));
        // The next call has a token of its own.
        client.batchToggleUserSuspendStatus(b -> b.networkId(networkId).suspend(false).userIds(ids));
        assertThat(SENT_TOKENS).hasSize(4);
        assertThat(SENT_TOKENS.get(3)).isNotEqualTo(SENT_TOKENS.get(0));
    }
}
