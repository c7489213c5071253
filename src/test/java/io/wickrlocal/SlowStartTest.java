package io.wickrlocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wickrlocal.store.Database;
import io.wickrlocal.store.SqliteDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** While the store is still opening (a database that comes late), the port answers at once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessSayStartingAtOnceAndCallsAreHeldThenServed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CountDownLatch storeMayOpen = new CountDownLatch(1);
        CompletableFuture<WickrLocalServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return WickrLocalServer.start(ServerSettings.defaults().withPort(port), () -> {
                    try {
                        storeMayOpen.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return (Database) SqliteDatabase.inMemory();
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String base = "http://127.0.0.1:" + port;
        HttpResponse<String> health = null;
        for (int i = 0; i < 100 && health == null; i++) {
            try {
                health = get(base, "/_local/health");
            } catch (java.net.ConnectException notYetListening) {
                Thread.sleep(100);
            }
        }
        assertThat(health).as("the port opened").isNotNull();
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("starting");
        HttpResponse<String> ready = get(base, "/_local/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("starting");
        assertThat(ready.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(storeMayOpen.getCount()).as("answered while the store was still opening").isEqualTo(1);

        // A call is held for a while, then refused with nothing of it run.
        SignedClient client = new SignedClient(base, "test", "test", "us-east-1");
        HttpResponse<String> held = client.send("GET", "/networks", null);
        assertThat(held.statusCode()).as(held.body()).isEqualTo(503);
        assertThat(held.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailable");
        assertThat(JSON.readTree(held.body()).get("message").asText()).contains("starting").contains("nothing of this call ran");
        assertThat(storeMayOpen.getCount()).isEqualTo(1);

        // One that arrives shortly before the store is open is served once it is.
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return client.send("POST", "/networks", "{\"networkName\":\"late\",\"accessLevel\":\"STANDARD\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        storeMayOpen.countDown();
        try (WickrLocalServer started = starting.get(60, TimeUnit.SECONDS)) {
            assertThat(started.listenUrl()).startsWith("http://127.0.0.1:");
            HttpResponse<String> created = waiting.get(60, TimeUnit.SECONDS);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertThat(get(base, "/_local/health").statusCode()).isEqualTo(200);
            assertThat(get(base, "/_local/ready").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(get(base, "/_local/ready").body()).get("status").asText()).isEqualTo("ready");
        }
    }
}
