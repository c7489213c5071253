package io.wickrlocal.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.protocol.contract.InputBinder;
import io.wickrlocal.protocol.contract.InputValidator;
import io.wickrlocal.protocol.contract.Member;
import io.wickrlocal.protocol.contract.Operation;
import io.wickrlocal.protocol.contract.OutputShaper;
import io.wickrlocal.protocol.contract.Router;
import io.wickrlocal.protocol.contract.ServiceContract;
import io.wickrlocal.protocol.contract.Shape;
import io.wickrlocal.protocol.faults.FaultInjector;
import io.wickrlocal.protocol.faults.FaultOperations;
import io.wickrlocal.protocol.faults.FaultPhase;
import io.wickrlocal.protocol.faults.InjectedFault;
import io.wickrlocal.protocol.faults.Throttle;
import io.wickrlocal.protocol.sigv4.Principal;
import io.wickrlocal.protocol.sigv4.SigV4Exception;
import io.wickrlocal.protocol.sigv4.SigV4Verifier;
import io.wickrlocal.protocol.sigv4.SignedRequest;
import io.wickrlocal.service.Call;
import io.wickrlocal.service.ErrorKind;
import io.wickrlocal.service.FieldProblem;
import io.wickrlocal.service.Json;
import io.wickrlocal.service.ServiceException;
import io.wickrlocal.service.WickrService;
import java.io.IOException;
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
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest-json protocol, driven by the contract: resolve the operation from method and path,
 * verify the signature, bind the input from labels, query, headers and body, validate it, call the
 * service, and write the output or the modeled error. Nothing here knows any single operation.
 *
 * <p>Injected faults and throttling act on authenticated, routed calls of the contract's operations
 * (never on /_local ones): before the operation runs, or after it committed, in place of its answer.
 */
public final class ApiHandler extends Handler.Abstract {
    static final String VALIDATION_FAILED = "Validation failed";
    public static final String HEALTH_PATH = "/_local/health";
    /** Readiness: 200 when the store answers within its bounds, 503 with the reason when not (no signature). */
    public static final String READY_PATH = "/_local/ready";
    /** The error type of a call refused with 503 before anything of it ran. */
    public static final String UNAVAILABLE = "ServiceUnavailable";
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final int MAX_JSON_DEPTH = 64;

    private final Router router;
    private final SigV4Verifier verifier;
    private final WickrService service;
    private final ServiceContract contract;
    private final int maxBodyBytes;
    private final ObjectMapper json;
    private final FaultInjector faults;
    private final Throttle throttle;
    private final FaultOperations faultOperations;
    private final RequestBody.Budget bodyBudget;
    private final Readiness readiness;

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
        this.readiness = readiness;
        this.faults = faults;
        this.throttle = throttle;
        this.faultOperations = new FaultOperations(faults, throttle);
        this.contract = contract;
        this.router = new Router(contract.operations());
        this.verifier = verifier;
        this.service = service;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyBudget = new RequestBody.Budget(bodyBudgetBytes(maxBodyBytes));
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.ALLOW_COMMENTS);
    }

    /**
     * Resolves the operation and checks everything of the signature that needs no body, then reads
     * the body without holding a thread (a client that stalls mid-body must not starve the others),
     * then does the blocking work (store, service) on the server's thread pool. A request refused
     * before its body makes the server hold none of it ({@link RequestBody}).
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        response.getHeaders().put(REQUEST_ID_HEADER, requestId);
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        if (HEALTH_PATH.equals(rawPath) && ("GET".equals(method) || "HEAD".equals(method))) {
            ObjectNode health = Json.object();
            health.put("status", "ok");
            health.put("operations", service.implementedOperations().size());
            writeProbe(response, callback, 200, Json.write(health).getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (READY_PATH.equals(rawPath) && ("GET".equals(method) || "HEAD".equals(method))) {
            String reason = readiness.notReady();
            ObjectNode ready = Json.object();
            ready.put("status", reason == null ? "ready" : "unavailable");
            if (reason != null) {
                ready.put("reason", reason);
            }
            writeProbe(response, callback, reason == null ? 200 : 503, Json.write(ready).getBytes(StandardCharsets.UTF_8));
            return true;
        }
        long declared = request.getLength();
        Admitted admitted;
        try {
            if (declared > (long) RequestBody.DRAIN_FACTOR * maxBodyBytes) {
                // Too large to read even to drop it: answer at once and close.
                throw new Failure(tooLarge());
            }
            admitted = admit(request, method, rawPath);
        } catch (Failure refused) {
            refuseBeforeBody(request, response, callback, declared, refused.error);
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
                         Admitted admitted, RequestBody.Read read) {
        Reply reply = new Reply(request, response, callback, requestId);
        try {
            reply.run(() -> {
                byte[] body = body(response, read);
                Routed routed = authenticated(request, admitted, body, requestId);
                if (routed.operation.extension()) {
                    complete(reply, routed, null);
                    return;
                }
                String account = routed.call.accountId();
                FaultInjector.Snapshot plan = faults.snapshot(account);
                String name = routed.operation.name();
                if (throttle != null && !throttle.tryAcquire(account, name)) {
                    // What the service itself answers when it throttles: the model's default message.
                    throw new Failure(WireError.of(status("RateLimitError"), "RateLimitError", throttledMessage()));
                }
                InjectedFault fault = plan.decide(FaultPhase.BEFORE, name, account);
                if (fault == null) {
                    complete(reply, routed, plan);
                    return;
                }
                reply.after(fault.latencyMs(), () -> {
                    if (fault.error() != null) {
                        throw new Failure(injected(fault));
                    }
                    complete(reply, routed, plan);
                });
            });
        } finally {
            read.release();
        }
    }

    /** The message of a throttled call: RateLimitError's default message in the contract. */
    private String throttledMessage() {
        Shape error = contract.errorShape("RateLimitError");
        Member message = error == null ? null : error.member("message");
        return message == null || message.defaultValue() == null ? "Too many requests sent" : message.defaultValue();
    }

    /** The body that was read, or the refusal its read earned. */
    private byte[] body(Response response, RequestBody.Read read) throws Failure {
        switch (read.outcome) {
            case COMPLETE -> {
                return read.body;
            }
            case TOO_LARGE -> throw new Failure(tooLarge());
            case ABORTED_TOO_LARGE -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                throw new Failure(tooLarge());
            }
            case BUSY -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                throw new Failure(WireError.of(status("RateLimitError"), "RateLimitError", "Wickr Local is holding"
                        + " as many large request bodies as it keeps at once (" + (bodyBudget.capacity() >> 20)
                        + " MiB beyond the first " + (RequestBody.FREE_BYTES >> 10) + " KiB of each); retry shortly"));
            }
            default -> {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                throw new Failure(WireError.of(400, "BadRequestError", "The request body could not be read completely"));
            }
        }
    }

    /**
     * Runs the routed operation and answers, unless a fault of the after phase takes the answer's
     * place. {@code plan} is null for /_local operations, which faults never touch.
     */
    private void complete(Reply reply, Routed routed, FaultInjector.Snapshot plan) throws Failure {
        OutputShaper.Body answer = invoke(reply.request, routed);
        InjectedFault fault = plan == null ? null
                : plan.decide(FaultPhase.AFTER, routed.operation.name(), routed.call.accountId());
        if (fault == null) {
            reply.ok(answer);
            return;
        }
        reply.after(fault.latencyMs(), () -> {
            if (fault.error() != null) {
                throw new Failure(injected(fault));
            }
            reply.ok(answer);
        });
    }

    /** A request of a known operation whose signature passed every check that needs no body. */
    private record Admitted(Operation operation, Map<String, String> labels, Map<String, List<String>> query,
                            Map<String, List<String>> headers, String account) {}

    /** An authenticated call of a known operation, before its input is bound. */
    private record Routed(Operation operation, Map<String, String> labels, Map<String, List<String>> query,
                          byte[] body, Call call) {}

    private Admitted admit(Request request, String method, String rawPath) throws Failure {
        List<String> segments;
        Map<String, List<String>> query;
        try {
            segments = UriParts.pathSegments(rawPath);
            query = UriParts.query(request.getHttpURI().getQuery());
        } catch (UriParts.MalformedUri e) {
            throw new Failure(WireError.of(400, "BadRequestError", "The request URI is malformed: " + e.getMessage()));
        }
        Router.Found found = resolve(method, rawPath, segments);
        Map<String, List<String>> headers = signedHeaders(request);
        String account;
        try {
            account = verifier.precheck(request.getHttpURI().getQuery(), headers);
        } catch (SigV4Exception e) {
            throw new Failure(WireError.of(403, e.errorType(), e.getMessage()));
        }
        return new Admitted(found.operation(), found.labels(), query, headers, account);
    }

    private Routed authenticated(Request request, Admitted admitted, byte[] body, String requestId) throws Failure {
        Principal principal;
        try {
            principal = verifier.verify(new SignedRequest(request.getMethod(), request.getHttpURI().getPath(),
                    request.getHttpURI().getQuery(), admitted.headers(), body));
        } catch (SigV4Exception e) {
            throw new Failure(WireError.of(403, e.errorType(), e.getMessage()));
        }
        Call call = new Call(principal.accountId(), principal.region(), principal.accessKeyId(), requestId,
                principal.operator());
        return new Routed(admitted.operation(), admitted.labels(), admitted.query(), body, call);
    }

    private OutputShaper.Body invoke(Request request, Routed routed) throws Failure {
        Operation op = routed.operation;
        Call call = routed.call;
        ObjectNode input;
        try {
            input = InputBinder.bind(op.input(), routed.labels, routed.query, name -> headerValues(request, name),
                    parseBody(op, routed.body));
        } catch (InputBinder.Repeated e) {
            throw new Failure(validationError(op, List.of(new FieldProblem(e.field(), e.field() + " " + e.getMessage()))));
        }
        List<FieldProblem> problems = InputValidator.validate(op.input(), input);
        if (!problems.isEmpty()) {
            throw new Failure(validationError(op, problems));
        }
        ObjectNode output;
        if (op.extension() && faultOperations.handles(op.name())) {
            output = faultOperations.invoke(op.name(), input, call);
        } else {
            String refusal = readiness.refusal();
            if (refusal != null) {
                throw new Failure(unavailable("Wickr Local cannot serve calls now: " + refusal));
            }
            Member tokenMember = op.idempotencyTokenMember();
            String token = tokenMember == null ? null : Json.text(input, tokenMember.name());
            output = service.invoke(op.name(), call, input, token, tokenMember == null ? null : tokenMember.name());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} account={} region={} request={}", op.name(), op.method(), call.accountId(), call.region(),
                    call.requestId());
        }
        return OutputShaper.body(op.output(), output);
    }

    private WireError injected(InjectedFault fault) {
        String type = fault.error().shapeName();
        return WireError.of(status(type), type, fault.message());
    }

    private Router.Found resolve(String method, String rawPath, List<String> segments) throws Failure {
        Router.Match match = router.route(method, segments);
        if (match instanceof Router.Found f) {
            return f;
        }
        String shown = rawPath.length() > 200 ? rawPath.substring(0, 200) + "..." : rawPath;
        if (match instanceof Router.WrongMethod w) {
            throw new Failure(WireError.of(400, "BadRequestError", "Method " + printable(method) + " is not allowed on "
                    + printable(shown) + "; this path accepts " + String.join(", ", w.allowed())));
        }
        throw new Failure(WireError.of(404, "ResourceNotFoundError", "No Wickr operation matches "
                + printable(method) + " " + printable(shown)));
    }

    /** The request's headers by lower-case name, each value as the client meant it (see {@link #utf8}). */
    private static Map<String, List<String>> signedHeaders(Request request) {
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

    private ObjectNode parseBody(Operation op, byte[] body) throws Failure {
        if (!op.hasBodyMembers() || body.length == 0) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Failure(WireError.of(400, "BadRequestError", "The request body is not valid JSON: "
                    + firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new Failure(WireError.of(400, "BadRequestError", "The request body could not be read"));
        }
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new Failure(WireError.of(400, "BadRequestError", "The request body must be a JSON object"));
        }
        return (ObjectNode) node;
    }

    private WireError tooLarge() {
        return WireError.of(400, "BadRequestError", "The request body is larger than the limit of "
                + maxBodyBytes + " bytes");
    }

    private WireError validationError(Operation op, List<FieldProblem> problems) {
        return new WireError(status("ValidationError"), "ValidationError", VALIDATION_FAILED, problems);
    }

    /**
     * A ValidationError that lists reasons says "Validation failed" and leaves the detail to the
     * reasons, each a sentence naming its field, as the live service was seen to answer (docs/AWS-EXAMPLES.md).
     */
    private WireError fromService(ServiceException e) {
        ErrorKind kind = e.kind();
        String message = kind == ErrorKind.VALIDATION && !e.problems().isEmpty() ? VALIDATION_FAILED : e.getMessage();
        return new WireError(status(kind.shapeName()), kind.shapeName(), message, e.problems());
    }

    private int status(String errorName) {
        Shape shape = contract.errorShape(errorName);
        return shape == null ? 500 : shape.errorStatus();
    }

    private static List<String> headerValues(Request request, String name) {
        List<String> values = request.getHeaders().getValuesList(name);
        if (values.isEmpty()) {
            return values;
        }
        List<String> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(utf8(v)));
        return out;
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
        return WireError.of(503, UNAVAILABLE, why + "; nothing of this call ran, so it is safe to send it again,"
                + " to this node or another");
    }

    /** The answer of a health or readiness probe: never cached; a 503 asks to try again in a second. */
    static void writeProbe(Response response, Callback callback, int status, byte[] body) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        write(response, callback, status, body);
    }

    static void writeError(Response response, Callback callback, WireError error) {
        response.getHeaders().put(ERROR_TYPE_HEADER, error.type());
        write(response, callback, error.status(), error.body());
    }

    private static void write(Response response, Callback callback, int status, byte[] body) {
        write(response, callback, status, body, "application/json");
    }

    private static void write(Response response, Callback callback, int status, byte[] body, String contentType) {
        // Every 503 (starting, or the database away) has run nothing: ask to try again in a second.
        if (status == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Client text echoed in a message: control characters replaced so a message stays one clean line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /** One step of answering a request; a Failure it throws becomes the answer. */
    @FunctionalInterface
    private interface Step {
        void run() throws Failure;
    }

    /**
     * The answer to one request, which may be given later than the request's own thread: an injected
     * latency waits on Jetty's scheduler, not on a request thread, then goes on on the thread pool.
     */
    private final class Reply {
        final Request request;
        final Response response;
        final Callback callback;
        final String requestId;
        final String method;
        final String rawPath;

        Reply(Request request, Response response, Callback callback, String requestId) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.requestId = requestId;
            this.method = request.getMethod();
            this.rawPath = request.getHttpURI().getPath();
        }

        void run(Step step) {
            try {
                step.run();
            } catch (Failure f) {
                writeError(response, callback, f.error);
            } catch (ServiceException e) {
                writeError(response, callback, fromService(e));
            } catch (RuntimeException e) {
                LOG.error("request {} ({} {}) failed", requestId, method, rawPath, e);
                writeError(response, callback, WireError.of(500, "InternalServerError",
                        "Wickr Local failed to process the request; it is safe to retry with the same client token"
                                + " (request id " + requestId + ")"));
            }
        }

        void after(int delayMs, Step step) throws Failure {
            if (delayMs <= 0) {
                step.run();
                return;
            }
            Executor executor = request.getComponents().getExecutor();
            request.getComponents().getScheduler().schedule(() -> executor.execute(() -> run(step)),
                    delayMs, TimeUnit.MILLISECONDS);
        }

        void ok(OutputShaper.Body answer) {
            write(response, callback, 200, answer.bytes(), answer.contentType());
        }
    }

    /** A request that ends early with a modeled error. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient WireError error;

        Failure(WireError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }
}
