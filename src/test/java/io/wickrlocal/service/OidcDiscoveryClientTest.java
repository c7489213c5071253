package io.wickrlocal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The discovery fetch against a real HTTP server on the loopback address, one path per behaviour. */
class OidcDiscoveryClientTest {
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";
    private static final int LIMIT = 16 * 1024;
    private static final Duration TOTAL = Duration.ofMillis(800);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static HttpServer server;
    private static ExecutorService threads;
    private static String base;
    private static final AtomicInteger redirectTargetHits = new AtomicInteger();

    private final OidcDiscoveryClient client = new OidcDiscoveryClient(Duration.ofMillis(500), TOTAL, LIMIT);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        base = "http://" + LOOPBACK.getHostAddress() + ":" + server.getAddress().getPort();
        serve("/valid", ex -> send(ex, 200, document(base + "/valid")));
        serve("/slash", ex -> send(ex, 200, document(base + "/slash/")));
        serve("/other", ex -> send(ex, 200, document("https://someone-else.example.com")));
        serve("/broken", ex -> send(ex, 200, "{\"issuer\": \"" + base + "/broken\", "));
        serve("/trailing", ex -> send(ex, 200, document(base + "/trailing") + " {}"));
        serve("/array", ex -> send(ex, 200, "[1, 2]"));
        serve("/empty", ex -> send(ex, 200, ""));
        serve("/no-issuer", ex -> send(ex, 200, document(base + "/no-issuer").replace("\"issuer\"", "\"x\"")));
        serve("/no-token", ex -> send(ex, 200, document(base + "/no-token").replace("\"token_endpoint\"", "\"y\"")));
        serve("/bad-type", ex -> send(ex, 200,
                document(base + "/bad-type").replace("[\"code\", \"id_token\"]", "\"code\"")));
        serve("/error", ex -> send(ex, 500, "{\"error\": \"boom\"}"));
        serve("/moved", ex -> {
            ex.getResponseHeaders().add("Location", base + "/target" + WELL_KNOWN);
            send(ex, 302, "");
        });
        serve("/target", ex -> {
            redirectTargetHits.incrementAndGet();
            send(ex, 200, document(base + "/target"));
        });
        serve("/slow", ex -> {
            sleep(TOTAL.toMillis() * 3);
            send(ex, 200, document(base + "/slow"));
        });
        serve("/slow-body", OidcDiscoveryClientTest::dribble);
        serve("/huge", ex -> send(ex, 200, padded(base + "/huge", LIMIT * 4)));
        serve("/huge-chunked", OidcDiscoveryClientTest::chunkedHuge);
        serve("/just-fits", ex -> send(ex, 200, padded(base + "/just-fits", LIMIT)));
        server.start();
        // The first exchange loads the JDK's HTTP and TLS classes, which can take longer than the short
        // deadline these tests use; pay for it once with the default limits.
        new OidcDiscoveryClient().discover(OidcIssuer.parse(base + "/valid"), null);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void readsTheProvidersEndpointsAndCapabilities() {
        OidcProviderMetadata m = client.discover(OidcIssuer.parse(base + "/valid"), null);
        assertThat(m.issuer()).isEqualTo(base + "/valid");
        assertThat(m.authorizationEndpoint()).isEqualTo(base + "/valid/authorize");
        assertThat(m.tokenEndpoint()).isEqualTo(base + "/valid/token");
        assertThat(m.userinfoEndpoint()).isEqualTo(base + "/valid/userinfo");
        assertThat(m.endSessionEndpoint()).isEqualTo(base + "/valid/logout");
        assertThat(m.revocationEndpoint()).isNull();
        assertThat(m.responseTypesSupported()).containsExactly("code", "id_token");
        assertThat(m.scopesSupported()).containsExactly("openid", "email", "profile");
        assertThat(m.grantTypesSupported()).containsExactly("authorization_code", "refresh_token");
        assertThat(m.tokenEndpointAuthMethodsSupported()).containsExactly("client_secret_basic");
    }

    @Test
    void oneTrailingSlashOnEitherSideIsForgiven() {
        assertThat(client.discover(OidcIssuer.parse(base + "/valid/"), null).issuer()).isEqualTo(base + "/valid");
        assertThat(client.discover(OidcIssuer.parse(base + "/slash"), null).issuer()).isEqualTo(base + "/slash/");
    }

    @Test
    void aDocumentForAnotherIssuerIsRefused() {
        assertBadRequest("/other", "names the issuer https://someone-else.example.com");
    }

    @Test
    void documentsThatAreNotJsonObjectsAreRefused() {
        assertBadRequest("/broken", "is not valid JSON");
        assertBadRequest("/trailing", "is not valid JSON");
        assertBadRequest("/array", "is not a JSON object");
        assertBadRequest("/empty", "is not a JSON object");
    }

    @Test
    void requiredMembersMustBeThereWithTheirTypes() {
        assertBadRequest("/no-issuer", "lacks the required member issuer");
        assertBadRequest("/no-token", "lacks the required member token_endpoint");
        assertBadRequest("/bad-type", "response_types_supported that is not a list of strings");
    }

    @Test
    void anErrorStatusIsReportedWithItsCode() {
        assertBadRequest("/error", "answered HTTP 500");
    }

    @Test
    void redirectsAreNotFollowed() {
        int before = redirectTargetHits.get();
        assertBadRequest("/moved", "HTTP 302", "redirects are not followed");
        assertThat(redirectTargetHits.get()).isEqualTo(before);
    }

    @Test
    void aSlowProviderTimesOutOnTime() {
        long start = System.nanoTime();
        assertBadRequest("/slow", "did not answer within 800 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TOTAL.multipliedBy(3));
    }

    @Test
    void theDeadlineAlsoCoversAStalledBody() {
        long start = System.nanoTime();
        assertBadRequest("/slow-body", "did not answer within 800 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TOTAL.multipliedBy(3));
    }

    @Test
    void documentsOverTheLimitAreCutOff() {
        assertBadRequest("/huge", "is larger than 16 KiB");
        assertBadRequest("/huge-chunked", "is larger than 16 KiB");
        assertThat(client.discover(OidcIssuer.parse(base + "/just-fits"), null).issuer()).endsWith("/just-fits");
    }

    @Test
    void anUnreachableProviderIsReported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        String issuer = "http://" + LOOPBACK.getHostAddress() + ":" + closedPort;
        assertThatThrownBy(() -> client.discover(OidcIssuer.parse(issuer), null))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains("Could not connect").contains(issuer);
                });
    }

    @Test
    void anHttpsProviderWithAPrivateCaIsTrustedOnlyWhenItsCaIsGiven(@TempDir Path dir) throws Exception {
        String pem = selfSignedLoopbackCertificate(dir);
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(serverContext(dir.resolve("server.p12"))));
        String issuer = "https://" + LOOPBACK.getHostAddress() + ":" + tls.getAddress().getPort();
        tls.createContext("/", ex -> send(ex, 200, document(issuer)));
        tls.start();
        // The default limits: a first TLS handshake in a fresh JVM can outlast the short test deadline.
        OidcDiscoveryClient client = new OidcDiscoveryClient();
        try {
            OidcProviderMetadata m = client.discover(OidcIssuer.parse(issuer), OidcCaCertificate.parse("certificate", pem));
            assertThat(m.issuer()).isEqualTo(issuer);
            assertThatThrownBy(() -> client.discover(OidcIssuer.parse(issuer), null))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                        assertThat(e.getMessage()).contains("TLS connection").contains("certificate");
                    });
        } finally {
            tls.stop(0);
        }
    }

    @Test
    void aMalformedCaCertificateIsAValidationError() {
        for (String pem : List.of("not a certificate",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")) {
            assertThatThrownBy(() -> OidcCaCertificate.parse("certificate", pem))
                    .isInstanceOfSatisfying(ServiceException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                        assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("certificate");
                    });
        }
    }

    private void assertBadRequest(String path, String... mentions) {
        assertThatThrownBy(() -> client.discover(OidcIssuer.parse(base + path), null))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage()).contains(mentions).doesNotContain("Exception");
                });
    }

    static String document(String issuer) {
        String root = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return "{\"issuer\": \"" + issuer + "\", \"authorization_endpoint\": \"" + root + "/authorize\","
                + " \"token_endpoint\": \"" + root + "/token\", \"jwks_uri\": \"" + root + "/jwks\","
                + " \"userinfo_endpoint\": \"" + root + "/userinfo\", \"end_session_endpoint\": \"" + root + "/logout\","
                + " \"response_types_supported\": [\"code\", \"id_token\"],"
                + " \"scopes_supported\": [\"openid\", \"email\", \"profile\"],"
                + " \"grant_types_supported\": [\"authorization_code\", \"refresh_token\"],"
                + " \"token_endpoint_auth_methods_supported\": [\"client_secret_basic\"]}";
    }

    /** A valid document padded with spaces to exactly size bytes. */
    private static String padded(String issuer, int size) {
        String doc = document(issuer);
        return doc.substring(0, doc.length() - 1) + " ".repeat(size - doc.length()) + "}";
    }

    private static void serve(String prefix, HttpHandler handler) {
        server.createContext(prefix + "/", handler);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sends the headers at once, then a byte now and then: only a deadline on the whole exchange stops it. */
    private static void dribble(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 20; i++) {
                out.write(' ');
                out.flush();
                sleep(TOTAL.toMillis() / 4);
            }
        } catch (IOException closedByClient) {
            // expected once the client gives up
        }
    }

    private static void chunkedHuge(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        byte[] block = " ".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = ex.getResponseBody()) {
            out.write('{');
            for (int i = 0; i < LIMIT / 1024 * 8; i++) {
                out.write(block);
            }
            out.write('}');
        } catch (IOException closedByClient) {
            // expected: the client stops reading at the limit
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes a key pair and certificate for the loopback address with the JDK's keytool; returns it as PEM. */
    private static String selfSignedLoopbackCertificate(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("server.p12");
        run(keytool.toString(), "-genkeypair", "-alias", "idp", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=loopback-idp", "-ext", "SAN=ip:" + LOOPBACK.getHostAddress() + ",dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit");
        Path pem = dir.resolve("ca.pem");
        run(keytool.toString(), "-exportcert", "-rfc", "-alias", "idp", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", pem.toString());
        return Files.readString(pem);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor()).as(output).isZero();
    }

    private static SSLContext serverContext(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
