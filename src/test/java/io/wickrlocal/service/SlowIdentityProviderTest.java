package io.wickrlocal.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.EveryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/**
 * An identity provider that is slow to answer RegisterOidcConfigTest holds up that call only: the
 * discovery fetch runs before the call's transaction, so other accounts' calls (and its own account's
 * other calls) go on meanwhile, even on SQLite, whose one writer runs every transaction. The waits
 * here are latches; the timeouts only keep a broken build from hanging.
 */
class SlowIdentityProviderTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Against hangs only: every wait below ends as soon as what it waits for happens. */
    private static final long GENEROUS_SECONDS = 10;
    private static final Call OTHER = new Call("111111111111", "us-east-1", "other", "req-other");

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static ObjectNode testInput(String net, String issuer) {
        return SsoRulesTest.testInput(net, issuer);
    }

    /**
     * An identity provider on loopback that tells {@code onAsk} of every request, then answers it with a
     * discovery document only once {@code answer} is released; each request on a thread of its own.
     */
    private static HttpServer blockingProvider(Runnable onAsk, CountDownLatch answer) throws IOException {
        HttpServer idp = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        idp.setExecutor(Executors.newCachedThreadPool());
        String issuer = issuerOf(idp);
        idp.createContext("/realm/", ex -> {
            onAsk.run();
            try {
                answer.await(GENEROUS_SECONDS, SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = OidcDiscoveryClientTest.document(issuer).getBytes(UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        idp.start();
        return idp;
    }

    private static String issuerOf(HttpServer idp) {
        return "http://" + LOOPBACK.getHostAddress() + ":" + idp.getAddress().getPort() + "/realm";
    }

    private static String network(ServiceFixture f, Call as) {
        ObjectNode in = Json.object();
        in.put("networkName", "net");
        in.put("accessLevel", "STANDARD");
        return f.invoke("CreateNetwork", as, in).get("networkId").asText();
    }

    /**
     * While the provider holds the caller of OTHER, the fixture's own account lists its networks, suspends
     * users in a batch, and OTHER saves an SSO configuration: each must finish before the provider is let go.
     */
    private void othersGoOnWhile(ServiceFixture f, Future<ObjectNode> waiting, String otherNet) throws Exception {
        String net = f.network();
        List<String> users = f.users(net, "u", 3, null);
        assertThat(waiting.isDone()).as("the call waiting on the provider").isFalse();

        Future<ObjectNode> list = threads.submit(() -> f.invoke("ListNetworks", Json.object()));
        Future<ObjectNode> toggle = threads.submit(() -> f.toggle(net, true, users, null));
        ObjectNode save = Json.object();
        save.put("networkId", otherNet);
        save.put("companyId", "UE1-acme");
        save.put("issuer", "https://login.example.com/realms/wickr");
        save.put("scopes", "openid email");
        Future<ObjectNode> saved = threads.submit(() -> f.invoke("RegisterOidcConfig", OTHER, save));

        assertThat(list.get(GENEROUS_SECONDS, SECONDS).get("networks")).hasSize(1);
        assertThat(toggle.get(GENEROUS_SECONDS, SECONDS).get("successful")).hasSize(3);
        assertThat(saved.get(GENEROUS_SECONDS, SECONDS).get("companyId").asText()).isEqualTo("UE1-acme");
        assertThat(waiting.isDone()).as("the call waiting on the provider, after the others finished").isFalse();
        users.forEach(u -> assertThat(f.user(net, u).get("suspended").asBoolean()).isTrue());
    }

    @EveryStore
    void aProviderThatTakesItsTimeHoldsUpNoOtherCall(Supplier<Database> store) throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        HttpServer idp = blockingProvider(asked::countDown, answer);
        String issuer = issuerOf(idp);
        try (ServiceFixture f = new ServiceFixture(store.get())) {
            String otherNet = network(f, OTHER);
            Future<ObjectNode> test = threads.submit(() -> f.invoke("RegisterOidcConfigTest", OTHER,
                    testInput(otherNet, issuer)));
            assertThat(asked.await(GENEROUS_SECONDS, SECONDS)).as("the provider was asked").isTrue();

            othersGoOnWhile(f, test, otherNet);

            answer.countDown();
            ObjectNode out = test.get(GENEROUS_SECONDS, SECONDS);
            assertThat(out.get("issuer").asText()).isEqualTo(issuer);
            assertThat(out.get("tokenEndpoint").asText()).isEqualTo(issuer + "/token");
        } finally {
            answer.countDown();
            idp.stop(0);
        }
    }

    @org.junit.jupiter.api.Test
    void oneAccountHoldsAtMostAFewThreadsOnSlowProvidersAndIsToldToRetryPastThem() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer idp = blockingProvider(asked::incrementAndGet, answer);
        String issuer = issuerOf(idp);
        try (ServiceFixture f = new ServiceFixture(io.wickrlocal.store.SqliteDatabase.inMemory())) {
            String otherNet = network(f, OTHER);
            List<Future<ObjectNode>> waiting = new ArrayList<>();
            for (int i = 0; i < WickrService.MAX_WORK_BEFORE_PER_ACCOUNT; i++) {
                waiting.add(threads.submit(() -> f.invoke("RegisterOidcConfigTest", OTHER, testInput(otherNet, issuer))));
            }
            long until = System.nanoTime() + SECONDS.toNanos(GENEROUS_SECONDS);
            while (asked.get() < WickrService.MAX_WORK_BEFORE_PER_ACCOUNT && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(asked.get()).isEqualTo(WickrService.MAX_WORK_BEFORE_PER_ACCOUNT);
            assertThatThrownBy(() -> f.invoke("RegisterOidcConfigTest", OTHER, testInput(otherNet, issuer)))
                    .isInstanceOfSatisfying(ServiceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT))
                    .hasMessageContaining("retry");
            // Another account is not counted against it.
            String net = f.network();
            Future<ObjectNode> mine = threads.submit(() -> f.invoke("RegisterOidcConfigTest", testInput(net, issuer)));
            until = System.nanoTime() + SECONDS.toNanos(GENEROUS_SECONDS);
            while (asked.get() < WickrService.MAX_WORK_BEFORE_PER_ACCOUNT + 1 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(asked.get()).isEqualTo(WickrService.MAX_WORK_BEFORE_PER_ACCOUNT + 1);
            answer.countDown();
            for (Future<ObjectNode> w : waiting) {
                assertThat(w.get(GENEROUS_SECONDS, SECONDS).get("issuer").asText()).isEqualTo(issuer);
            }
            assertThat(mine.get(GENEROUS_SECONDS, SECONDS).get("issuer").asText()).isEqualTo(issuer);
            assertThat(f.invoke("RegisterOidcConfigTest", OTHER, testInput(otherNet, issuer)).get("issuer").asText())
                    .as("the permits came back").isEqualTo(issuer);
        } finally {
            answer.countDown();
            idp.stop(0);
        }
    }

    @EveryStore
    void aProviderThatNeverAnswersEndsInABadRequestAtTheDeadlineAndIsRecorded(Supplier<Database> store)
            throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        OidcDiscoveryClient client = new OidcDiscoveryClient(Duration.ofSeconds(1), deadline, 64 * 1024);
        List<Socket> held = new ArrayList<>();
        CountDownLatch asked = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 5, LOOPBACK);
             ServiceFixture f = new ServiceFixture(store.get(), client)) {
            threads.submit(() -> {
                while (!silent.isClosed()) {
                    Socket s = silent.accept(); // accepted, never read, never answered
                    synchronized (held) {
                        held.add(s);
                    }
                    asked.countDown();
                }
                return null;
            });
            String issuer = "http://" + LOOPBACK.getHostAddress() + ":" + silent.getLocalPort() + "/realm";
            String otherNet = network(f, OTHER);
            Call caller = new Call(OTHER.accountId(), OTHER.region(), OTHER.accessKeyId(), "req-silent");
            Future<ObjectNode> test = threads.submit(() -> f.invoke("RegisterOidcConfigTest", caller,
                    testInput(otherNet, issuer)));
            assertThat(asked.await(GENEROUS_SECONDS, SECONDS)).as("the provider was connected to").isTrue();

            assertThatThrownBy(() -> test.get(GENEROUS_SECONDS, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("did not answer within 2 s").contains(issuer);
                    });
            // The client gave up on the connection too: the provider's side reads the request, then its end.
            Socket connection;
            synchronized (held) {
                connection = held.get(0);
            }
            connection.setSoTimeout((int) SECONDS.toMillis(GENEROUS_SECONDS));
            try (InputStream in = connection.getInputStream()) {
                assertThat(in.readAllBytes()).isNotEmpty();
            }

            ObjectNode filter = Json.object();
            filter.put("operation", "RegisterOidcConfigTest");
            JsonNode events = f.invoke("LocalListAuditEvents", OTHER, filter).get("events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("outcome").asText()).isEqualTo("BadRequestError");
            assertThat(events.get(0).get("requestId").asText()).isEqualTo("req-silent");
        } finally {
            synchronized (held) {
                for (Socket s : held) {
                    closeQuietly(s);
                }
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the test is over
        }
    }
}
