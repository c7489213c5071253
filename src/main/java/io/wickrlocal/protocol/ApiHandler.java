package io.wickrlocal.protocol;

import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.faults.Throttle;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import io.wickrlocal.service.WickrService;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty adapter of the rest-json protocol ({@link RestJsonProtocol}): what only a socket needs. It
 * reads the request's headers as the client meant them, lets the protocol admit the request before its
 * body, reads the body within its bounds without holding a thread ({@link RequestBody}: the size limit,
 * the budget of bytes all requests in flight may hold, a client that stalls mid-body), runs the rest on
 * the server's thread pool, and writes the protocol's {@link ApiResponse} back. A request refused before
 * its body makes the server hold none of it.
 */
public final class ApiHandler extends Handler.Abstract {
    public static final String HEALTH_PATH = RestJsonProtocol.HEALTH_PATH;
    public static final String READY_PATH = RestJsonProtocol.READY_PATH;
    /** The error type of a call refused with 503 before anything of it ran. */
    public static final String UNAVAILABLE = ProtocolError.UNAVAILABLE.type();
    public static final String REQUEST_ID_HEADER = RestJsonProtocol.REQUEST_ID_HEADER;
    public static final String ERROR_TYPE_HEADER = RestJsonProtocol.ERROR_TYPE_HEADER;

    private final RestJsonProtocol protocol;
    private final int maxBodyBytes;
    private final RequestBody.Budget bodyBudget;

    public ApiHandler(ServiceContract contract, SigV4Verifier verifier, WickrService service, int maxBodyBytes) {
        this(contract, verifier, service, maxBodyBytes, new FaultInjector(List.of()), null);
    }

    public ApiHandler(ServiceContract contract, SigV4Verifier verifier, WickrService service, int maxBodyBytes,
                      FaultInjector faults, Throttle throttle) {
        this(contract, verifier, service, maxBodyBytes, faults, throttle, Readiness.ALWAYS);
    }

    /**
     * @param faults   the server's fault plan
     * @param throttle the throttle of every account and operation, or null for none
     * @param readiness what {@link #READY_PATH} answers, and when calls that reach the store are refused
     */
    public ApiHandler(ServiceContract contract, SigV4Verifier verifier, WickrService service, int maxBodyBytes,
                      FaultInjector faults, Throttle throttle, Readiness readiness) {
        this.protocol = new RestJsonProtocol(contract, verifier, service, faults, throttle, readiness);
        this.maxBodyBytes = maxBodyBytes;
        this.bodyBudget = new RequestBody.Budget(bodyBudgetBytes(maxBodyBytes));
    }

    /**
     * Lets the protocol admit the request (route it, check everything of the signature that needs no
     * body), then reads the body without holding a thread (a client that stalls mid-body must not starve
     * the others), then does the blocking work (store, service) on the server's thread pool.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        response.getHeaders().put(REQUEST_ID_HEADER, requestId);
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        ApiResponse probe = protocol.probe(method, rawPath);
        if (probe != null) {
            write(response, callback, probe);
            return true;
        }
        long declared = request.getLength();
        RestJsonProtocol.Admitted admitted;
        try {
            if (declared > (long) RequestBody.DRAIN_FACTOR * maxBodyBytes) {
                // Too large to read even to drop it: answer at once and close.
                throw new RestJsonProtocol.Refusal(tooLarge());
            }
            admitted = protocol.admit(method, rawPath, request.getHttpURI().getQuery(), headers(request));
        } catch (RestJsonProtocol.Refusal refused) {
            refuseBeforeBody(request, response, callback, declared, refused.error());
            return true;
        }
        Executor executor = request.getComponents().getExecutor();
        RequestBody.read(request, maxBodyBytes, declared, bodyBudget, admitted.account(), read ->
                executor.execute(() -> respond(request, response, callback, requestId, admitted, read)));
        return true;
    }

    /**
     * Answers a request refused before its body was read. A body still coming is read and dropped (up
     * to the drain limit) so that the client, which may be sending it before it reads, gets the answer.
     */
    private void refuseBeforeBody(Request request, Response response, Callback callback, long declared,
                                  WireError error) {
        if (declared == 0) {
            writeError(response, callback, error);
            return;
        }
        if (declared > (long) RequestBody.DRAIN_FACTOR * maxBodyBytes) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            writeError(response, callback, error);
            return;
        }
        RequestBody.drain(request, (long) RequestBody.DRAIN_FACTOR * maxBodyBytes, read -> {
            if (read.outcome != RequestBody.Outcome.COMPLETE && read.outcome != RequestBody.Outcome.TOO_LARGE) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            writeError(response, callback, error);
        });
    }

    private void respond(Request request, Response response, Callback callback, String requestId,
                         RestJsonProtocol.Admitted admitted, RequestBody.Read read) {
        try {
            WireError refused = refusal(response, read);
            if (refused != null) {
                writeError(response, callback, refused);
                return;
            }
            Executor executor = request.getComponents().getExecutor();
            RestJsonProtocol.Later later = (delayMs, step) -> request.getComponents().getScheduler()
                    .schedule(() -> executor.execute(step), delayMs, TimeUnit.MILLISECONDS);
            protocol.answer(admitted, read.body, requestId, later, answer -> write(response, callback, answer));
        } finally {
            read.release();
        }
    }

    /** Null for a body read completely; otherwise the refusal its read earned. */
    private WireError refusal(Response response, RequestBody.Read read) {
        switch (read.outcome) {
            case COMPLETE -> {
                return null;
            }
            case TOO_LARGE -> {
                return tooLarge();
            }
            case ABORTED_TOO_LARGE -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                return tooLarge();
            }
            case BUSY -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                return ProtocolError.RATE_LIMIT.error("Wickr Local is holding as many large request bodies as it"
                        + " keeps at once (" + (bodyBudget.capacity() >> 20) + " MiB beyond the first "
                        + (RequestBody.FREE_BYTES >> 10) + " KiB of each); retry shortly");
            }
            default -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                return ProtocolError.BAD_REQUEST.error("The request body could not be read completely");
            }
        }
    }

    private WireError tooLarge() {
        return ProtocolError.BAD_REQUEST.error("The request body is larger than the limit of " + maxBodyBytes
                + " bytes");
    }

    /** The request's headers by lower-case name, each value as the client meant it (see {@link #utf8}). */
    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(utf8(f.getValue()));
        }
        if (!headers.containsKey("host")) {
            String authority = request.getHttpURI().getAuthority();
            if (authority != null) {
                headers.put("host", List.of(authority));
            }
        }
        return headers;
    }

    /**
     * The bytes all requests in flight may keep beyond the first {@link RequestBody#FREE_BYTES} of each
     * body: 64 MiB, or room for two bodies of the largest size allowed, whichever is more.
     */
    static long bodyBudgetBytes(int maxBodyBytes) {
        return Math.max(64L << 20, 2L * maxBodyBytes);
    }

    /**
     * Jetty reads header bytes as ISO-8859-1, but the AWS clients send and sign UTF-8: a value
     * with bytes above 0x7F is read again as UTF-8 when it is valid UTF-8, so the signature and the
     * input see the characters the client meant.
     */
    static String utf8(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) > 0x7F) {
                byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes)).toString();
                } catch (java.nio.charset.CharacterCodingException notUtf8) {
                    return latin1;
                }
            }
        }
        return latin1;
    }

    /**
     * A 503 for a call of which nothing ran: safe to send again anywhere, with or without a client token
     * (what lets a load balancer send it to another node).
     */
    static WireError unavailable(String why) {
        return RestJsonProtocol.unavailable(why);
    }

    /** The answer of a health or readiness probe: never cached; a 503 asks to try again in a second. */
    static void writeProbe(Response response, Callback callback, int status, byte[] body) {
        write(response, callback, ApiResponse.probe(status, body));
    }

    static void writeError(Response response, Callback callback, WireError error) {
        write(response, callback, ApiResponse.error(error));
    }

    /** Writes an answer of the protocol: its status, its headers, its body with its length. */
    static void write(Response response, Callback callback, ApiResponse answer) {
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
