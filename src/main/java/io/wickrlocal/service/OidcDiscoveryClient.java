package io.wickrlocal.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Fetches and checks an identity provider's OpenID Connect discovery document. The provider is
 * whoever the caller names, so the fetch is bounded on every side: a short connect timeout
 * ({@link #CONNECT_TIMEOUT}), a deadline for the whole exchange, headers and body
 * ({@link #TOTAL_TIMEOUT}; when it passes the exchange is cancelled and its connection closed), a cap
 * on the document's size ({@link #MAX_DOCUMENT_BYTES}, read as a stream and cut off, never buffered
 * whole first), and no redirects. It runs before the request's transaction (see
 * {@link OperationHandler}), never inside one, so a slow provider holds up its own caller only. Every
 * failure becomes a 400 that says what went wrong in words an administrator can act on.
 */
final class OidcDiscoveryClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    private static final ObjectReader STRICT_JSON =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final int maxDocumentBytes;
    private volatile HttpClient publicTrustClient;

    OidcDiscoveryClient() {
        this(CONNECT_TIMEOUT, TOTAL_TIMEOUT, MAX_DOCUMENT_BYTES);
    }

    OidcDiscoveryClient(Duration connectTimeout, Duration totalTimeout, int maxDocumentBytes) {
        this.connectTimeout = connectTimeout;
        this.totalTimeout = totalTimeout;
        this.maxDocumentBytes = maxDocumentBytes;
    }

    /**
     * @param ca the roots to trust for an https issuer instead of the JVM's, or null
     */
    OidcProviderMetadata discover(OidcIssuer issuer, OidcCaCertificate ca) {
        URI where = issuer.discoveryUri();
        byte[] body = fetch(where, issuer.isHttps() ? ca : null);
        JsonNode doc;
        try {
            doc = body.length == 0 ? null : STRICT_JSON.readTree(body);
        } catch (IOException e) {
            // Jackson's message quotes the document; the administrator only needs to know it is not JSON.
            throw ServiceException.badRequest("The OpenID Connect discovery document at " + where + " is not valid JSON");
        }
        OidcProviderMetadata metadata = OidcProviderMetadata.from(doc, where.toString());
        if (!issuer.matches(metadata.issuer())) {
            throw ServiceException.badRequest("The OpenID Connect discovery document at " + where
                    + " names the issuer " + metadata.issuer() + ", not " + issuer
                    + "; use the issuer URL exactly as the provider publishes it");
        }
        return metadata;
    }

    private byte[] fetch(URI where, OidcCaCertificate ca) {
        HttpRequest request = HttpRequest.newBuilder(where)
                .timeout(totalTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> pending = client(ca).sendAsync(request, info -> info.statusCode() == 200
                ? new LimitedBody(maxDocumentBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                : HttpResponse.BodySubscribers.replacing(new byte[0]));
        HttpResponse<byte[]> response;
        try {
            // The request timeout stops at the response headers; this deadline also covers the body.
            response = pending.get(totalTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(where);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw ServiceException.badRequest("Fetching " + where + " was interrupted");
        } catch (ExecutionException e) {
            throw failure(where, e.getCause());
        }
        int status = response.statusCode();
        if (status != 200) {
            throw ServiceException.badRequest("The identity provider answered HTTP " + status + " for " + where
                    + (status >= 300 && status < 400 ? " (redirects are not followed; use the issuer URL the "
                    + "provider publishes)" : "; expected 200 with its OpenID Connect discovery document"));
        }
        return response.body();
    }

    private HttpClient client(OidcCaCertificate ca) {
        if (ca != null) {
            return builder().sslContext(ca.sslContext()).build();
        }
        HttpClient c = publicTrustClient;
        if (c == null) {
            synchronized (this) {
                if (publicTrustClient == null) {
                    publicTrustClient = builder().build();
                }
                c = publicTrustClient;
            }
        }
        return c;
    }

    private HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/1.1 only: an h2c upgrade attempt confuses some small identity-provider stubs.
                .version(HttpClient.Version.HTTP_1_1);
    }

    private ServiceException timedOut(URI where) {
        return ServiceException.badRequest("The identity provider at " + authority(where) + " did not answer within "
                + seconds(totalTimeout) + " when asked for " + where);
    }

    private ServiceException failure(URI where, Throwable cause) {
        if (has(cause, DocumentTooLarge.class)) {
            return ServiceException.badRequest("The OpenID Connect discovery document at " + where
                    + " is larger than " + (maxDocumentBytes / 1024) + " KiB");
        }
        if (has(cause, HttpConnectTimeoutException.class)) {
            return ServiceException.badRequest("Could not connect to the identity provider at " + authority(where)
                    + " within " + seconds(connectTimeout));
        }
        if (has(cause, HttpTimeoutException.class)) {
            return timedOut(where);
        }
        if (has(cause, UnresolvedAddressException.class) || has(cause, UnknownHostException.class)) {
            return ServiceException.badRequest("The identity provider's host " + where.getHost()
                    + " could not be resolved");
        }
        if (has(cause, SSLException.class)) {
            return ServiceException.badRequest("The TLS connection to " + authority(where) + " failed: its "
                    + "certificate is not trusted or the handshake was refused (for a private CA, pass the CA "
                    + "in certificate)");
        }
        if (has(cause, ConnectException.class)) {
            return ServiceException.badRequest("Could not connect to the identity provider at " + authority(where)
                    + ": the connection was refused or the host is unreachable");
        }
        return ServiceException.badRequest("The connection to the identity provider at " + authority(where)
                + " failed before its discovery document was read");
    }

    private static boolean has(Throwable t, Class<? extends Throwable> kind) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (kind.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String authority(URI where) {
        return where.getScheme() + "://" + where.getRawAuthority();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static final class DocumentTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        DocumentTooLarge() {
            super("document over the size limit", null);
        }
    }

    /** Collects the body up to a limit and gives up (closing the stream) the moment it is passed. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final long declaredLength;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(int limit, long declaredLength) {
            this.limit = limit;
            this.declaredLength = declaredLength;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declaredLength > limit) {
                tooLarge();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (buffer.size() + (long) b.remaining() > limit) {
                    tooLarge();
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        private void tooLarge() {
            subscription.cancel();
            result.completeExceptionally(new DocumentTooLarge());
        }
    }
}
