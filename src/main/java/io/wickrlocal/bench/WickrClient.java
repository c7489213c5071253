package io.wickrlocal.bench;

import io.wickrlocal.protocol.sigv4.SigV4Signer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Signed calls to the Wickr Admin API over a keep-alive HTTP/1.1 client. Thread-safe. */
final class WickrClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] NO_BODY = new byte[0];

    /** The answer; {@code errorType} is the {@code x-amzn-ErrorType} name, or null on success. */
    record Reply(int status, String errorType, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String hostHeader;
    private final SigV4Signer signer;

    WickrClient(HttpClient http, URI endpoint, SigV4Signer signer) {
        this.http = http;
        this.endpoint = endpoint;
        this.hostHeader = hostHeader(endpoint);
        this.signer = signer;
    }

    /**
     * One client for all workers: measured against one per worker at 64 clients, sharing was 1.5-2x faster
     * (fewer selector threads competing with the server for the same cores). Its completion tasks run
     * inline on the client's selector thread instead of hopping to a thread pool, another 25-80 % on the
     * same test; that is safe because the byte-array body handler never blocks.
     *
     * <p>No proxy, whatever the system properties say, and no redirects: the loopback check on the endpoint
     * only holds if every byte goes straight to it.
     */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .executor(Runnable::run)
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /**
     * @param rawPathAndQuery already percent-encoded, e.g. {@code /networks/12345678/users?maxResults=10}
     * @param body JSON, or null for none
     * @param clientToken the {@code X-Client-Token}, or null for none
     */
    Reply send(String method, String rawPathAndQuery, byte[] body, String clientToken)
            throws IOException, InterruptedException {
        int q = rawPathAndQuery.indexOf('?');
        String rawPath = q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
        String rawQuery = q < 0 ? null : rawPathAndQuery.substring(q + 1);
        byte[] payload = body == null ? NO_BODY : body;

        Map<String, String> headers = new HashMap<>(8);
        headers.put("host", hostHeader);
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        if (clientToken != null) {
            headers.put("x-client-token", clientToken);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(rawPathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(payload));
        headers.forEach((name, value) -> {
            // The HTTP client writes Host itself, from the same URI the header value was computed from.
            if (!name.equals("host")) {
                request.header(name, value);
            }
        });
        signer.sign(method, rawPath, rawQuery, headers, payload).forEach(request::header);

        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String errorType = response.headers().firstValue("x-amzn-ErrorType")
                .map(t -> t.contains(":") ? t.substring(0, t.indexOf(':')) : t)
                .orElse(null);
        return new Reply(response.statusCode(), errorType, response.body());
    }

    /** What java.net.http sends as Host: the port only when it is not the scheme's default. */
    static String hostHeader(URI endpoint) {
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || (endpoint.getScheme().equalsIgnoreCase("https") ? port == 443 : port == 80);
        return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    /** Percent-encodes a query value the SigV4 way (space as %20, never +). */
    static String encodeQueryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
