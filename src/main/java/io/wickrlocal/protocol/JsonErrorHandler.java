package io.wickrlocal.protocol;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before they reach the API (headers too large, malformed
 * HTTP, ambiguous URIs) in the same JSON error form as the API, never as an HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        WireError error = toWire(status, message == null ? null : message.toString());
        response.getHeaders().put(ApiHandler.REQUEST_ID_HEADER, UUID.randomUUID().toString());
        // Jetty does not reuse the connection after a request it refused; saying so keeps clients from trying.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        ApiHandler.writeError(response, callback, error);
        return true;
    }

    /**
     * Deprecated for removal in Jetty 12.1, which still calls it for a request it cannot parse; the
     * hostile-input tests (conformance/test_hostile.py) show it working, and will show what replaces it.
     */
    @Override
    @SuppressWarnings("removal")
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        WireError error = toWire(status, reason);
        // Jetty closes the connection after a malformed request; saying so keeps clients from reusing it.
        fields.put(HttpHeader.CONNECTION, "close");
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(ApiHandler.ERROR_TYPE_HEADER, error.type());
        fields.put(ApiHandler.REQUEST_ID_HEADER, UUID.randomUUID().toString());
        return ByteBuffer.wrap(error.body());
    }

    /**
     * Everything Jetty refuses before the API sees it is the client's doing (a bad version, method or
     * URI comes back from Jetty as 505 or 501 too), so it is a BadRequestError; only a real 500 stays one.
     */
    private static WireError toWire(int status, String reason) {
        if (status == 500) {
            return ProtocolError.INTERNAL.error("Wickr Local failed to process the request");
        }
        String why = reason == null || reason.isBlank() ? "the HTTP request was malformed" : reason;
        return ProtocolError.BAD_REQUEST.error("The request was refused: " + why + " (HTTP " + status + ")");
    }
}
