package io.wickrlocal.protocol;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Lets the HTTP server start while the store and the contract are still loading (or the store waits for
 * its database). Until the API is ready, the health and readiness paths answer {@code 503
 * {"status":"starting"}} at once; any other request is held, without holding a thread, for up to
 * {@link #HOLD_MILLIS}: it is served as soon as the API is ready, or answered {@code 503} with nothing of it
 * run, which a client or a load balancer may send again anywhere.
 */
public final class StartupGate extends Handler.Abstract {
    static final long HOLD_MILLIS = 5_000;

    private final CompletableFuture<Handler> opened = new CompletableFuture<>();
    private volatile Handler api;

    public void open(Handler handler) {
        this.api = handler;
        opened.complete(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler ready = api;
        if (ready != null) {
            return ready.handle(request, response, callback);
        }
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        if ((ApiHandler.HEALTH_PATH.equals(path) || ApiHandler.READY_PATH.equals(path))
                && ("GET".equals(method) || "HEAD".equals(method))) {
            response.getHeaders().put(ApiHandler.REQUEST_ID_HEADER, UUID.randomUUID().toString());
            ApiHandler.writeProbe(response, callback, 503, "{\"status\":\"starting\"}".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        AtomicBoolean taken = new AtomicBoolean();
        Scheduler.Task timeout = request.getComponents().getScheduler().schedule(() -> {
            if (taken.compareAndSet(false, true)) {
                response.getHeaders().put(ApiHandler.REQUEST_ID_HEADER, UUID.randomUUID().toString());
                ApiHandler.writeError(response, callback, ApiHandler.unavailable("Wickr Local is still starting"));
            }
        }, HOLD_MILLIS, TimeUnit.MILLISECONDS);
        opened.thenAccept(handler -> {
            if (taken.compareAndSet(false, true)) {
                timeout.cancel();
                request.getComponents().getExecutor().execute(() -> {
                    try {
                        if (!handler.handle(request, response, callback)) {
                            callback.failed(new IllegalStateException("no handler took the request"));
                        }
                    } catch (Throwable t) {
                        callback.failed(t);
                    }
                });
            }
        });
        return true;
    }
}
