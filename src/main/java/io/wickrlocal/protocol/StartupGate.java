package io.wickrlocal.protocol;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets the HTTP server start while the store and the contract are still loading: a request that
 * arrives early waits until the API is ready, so the first answer (health included) only comes
 * once API calls are served.
 */
public final class StartupGate extends Handler.Abstract {
    private static final long MAX_WAIT_SECONDS = 30;

    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Handler api;

    public void open(Handler handler) {
        this.api = handler;
        ready.countDown();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!ready.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS)) {
            response.getHeaders().put(ApiHandler.REQUEST_ID_HEADER, java.util.UUID.randomUUID().toString());
            ApiHandler.writeError(response, callback, WireError.of(500, "InternalServerError",
                    "Wickr Local is still starting; try again"));
            return true;
        }
        return api.handle(request, response, callback);
    }
}
