package io.wickrlocal.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
import io.wickrlocal.service.OperationDescriptor;
import io.wickrlocal.service.OperationTable;
import io.wickrlocal.service.ServiceException;
import io.wickrlocal.service.WickrService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest-json protocol without sockets, driven by the contract: resolve the operation from method and
 * path, verify the signature, bind the input from labels, query, headers and body, validate it, invoke the
 * operation (inside the fault stage, for the contract's operations), and serialize the output or the
 * error. Nothing here knows any single operation: what is particular to one is in its
 * {@link OperationDescriptor}. Nothing here knows Jetty: {@link ApiHandler} reads the request off the
 * socket, within its bounds, and writes the {@link ApiResponse} back.
 *
 * <p>A request goes through in two stages, so that the adapter can refuse a request before it reads (and
 * holds) its body: {@link #admit} routes it and checks everything of the signature that needs no body;
 * {@link #answer} does the rest with the body. {@link #handle} runs both on a request held in memory.
 *
 * <p>The answer may come later than the call of {@link #answer}: an injected latency waits on the
 * {@link Later} the adapter gives, not on a request thread.
 */
public final class RestJsonProtocol {
    public static final String HEALTH_PATH = "/_local/health";
    /** Readiness: 200 when the store answers within its bounds, 503 with the reason when not (no signature). */
    public static final String READY_PATH = "/_local/ready";
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    public static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";
    static final String VALIDATION_FAILED = "Validation failed";

    private static final Logger LOG = LoggerFactory.getLogger(RestJsonProtocol.class);
    private static final int MAX_JSON_DEPTH = 64;

    private final Router router;
    private final SigV4Verifier verifier;
    private final WickrService service;
    private final OperationTable operations;
    private final FaultStage faultStage;
    private final Readiness readiness;
    private final ObjectMapper json;

    /**
     * @param faults    the server's fault plan
     * @param throttle  the throttle of every account and operation, or null for none
     * @param readiness what {@link #READY_PATH} answers, and when calls that reach the store are refused
     */
    public RestJsonProtocol(ServiceContract contract, SigV4Verifier verifier, WickrService service,
                            FaultInjector faults, Throttle throttle, Readiness readiness) {
        this.router = new Router(contract.operations());
        this.verifier = verifier;
        this.service = service;
        this.readiness = readiness;
        this.operations = new OperationTable().addAll(service.descriptors())
                .addAll(new FaultOperations(faults, throttle).descriptors());
        this.faultStage = new FaultStage(faults, throttle, throttledMessage(contract));
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonParser.Feature.ALLOW_COMMENTS);
    }

    /** The descriptors of every operation this protocol serves: the service's and the /_local/faults ones. */
    public OperationTable operations() {
        return operations;
    }

    /** Waits before a step of an answer: how an injected latency is served without holding a thread. */
    @FunctionalInterface
    public interface Later {
        /** Runs the step once {@code delayMs} (above 0) have passed, on a thread that may block. */
        void after(int delayMs, Runnable step);

        /** Waits on the calling thread: for requests held in memory (tests). */
        Later SLEEPING = (delayMs, step) -> {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            step.run();
        };
    }

    /** A request of a known operation whose signature passed every check that needs no body. */
    public static final class Admitted {
        final Operation operation;
        final OperationDescriptor descriptor;
        final Map<String, String> labels;
        final Map<String, List<String>> query;
        final String method;
        final String path;
        final String rawQuery;
        final Map<String, List<String>> headers;
        final String account;

        Admitted(Operation operation, OperationDescriptor descriptor, Map<String, String> labels,
                 Map<String, List<String>> query, String method, String path, String rawQuery,
                 Map<String, List<String>> headers, String account) {
            this.operation = operation;
            this.descriptor = descriptor;
            this.labels = labels;
            this.query = query;
            this.method = method;
            this.path = path;
            this.rawQuery = rawQuery;
            this.headers = headers;
            this.account = account;
        }

        /** The account the signature names (not yet verified): what the body budget is shared by. */
        public String account() {
            return account;
        }
    }

    /** A request that ends early with an error of the table ({@link ProtocolError}). */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient WireError error;

        public Refusal(WireError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public WireError error() {
            return error;
        }
    }

    /**
     * The answer of a health or readiness probe ({@link #HEALTH_PATH}, {@link #READY_PATH}, with GET or
     * HEAD, no signature), or null when the request is not one.
     */
    public ApiResponse probe(String method, String path) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return null;
        }
        if (HEALTH_PATH.equals(path)) {
            ObjectNode health = Json.object();
            health.put("status", "ok");
            health.put("operations", service.implementedOperations().size());
            return ApiResponse.probe(200, Json.write(health).getBytes(StandardCharsets.UTF_8));
        }
        if (READY_PATH.equals(path)) {
            String reason = readiness.notReady();
            ObjectNode ready = Json.object();
            ready.put("status", reason == null ? "ready" : "unavailable");
            if (reason != null) {
                ready.put("reason", reason);
            }
            return ApiResponse.probe(reason == null ? 200 : 503, Json.write(ready).getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    /**
     * The first stage, before the body: resolves the operation and checks everything of the signature
     * that needs no body.
     *
     * @param headers the headers by lower-case name (see {@link ApiRequest#headers()})
     * @throws Refusal a 400 for a malformed URI or a method the path does not take, a 404 for a path of no
     *                 operation, a 403 for a signature that fails already
     */
    public Admitted admit(String method, String path, String rawQuery, Map<String, List<String>> headers)
            throws Refusal {
        List<String> segments;
        Map<String, List<String>> query;
        try {
            segments = UriParts.pathSegments(path);
            query = UriParts.query(rawQuery);
        } catch (UriParts.MalformedUri e) {
            throw new Refusal(ProtocolError.BAD_REQUEST.error("The request URI is malformed: " + e.getMessage()));
        }
        Router.Found found = resolve(method, path, segments);
        String account;
        try {
            account = verifier.precheck(rawQuery, headers);
        } catch (SigV4Exception e) {
            throw new Refusal(signatureError(e));
        }
        Operation op = found.operation();
        return new Admitted(op, operations.get(op.name()), found.labels(), query, method, path, rawQuery, headers,
                account);
    }

    /**
     * The second stage, with the body: verifies the signature, binds and validates the input, invokes the
     * operation and serializes its output, or the error any step earned. The answer goes to {@code reply},
     * at once or, after an injected latency, later on the {@code later}'s thread.
     */
    public void answer(Admitted admitted, byte[] body, String requestId, Later later, Consumer<ApiResponse> reply) {
        Exchange exchange = new Exchange(admitted, requestId, later, reply);
        exchange.run(() -> {
            Call call = authenticated(admitted, body, requestId);
            OperationDescriptor descriptor = admitted.descriptor;
            if (descriptor == null || !descriptor.faults()) {
                exchange.send(invoke(admitted, descriptor, body, call));
                return;
            }
            faultStage.around(call, descriptor.name(), () -> invoke(admitted, descriptor, body, call), exchange);
        });
    }

    /** Both stages on a request held in memory, with a fresh request id in {@link #REQUEST_ID_HEADER}. */
    public ApiResponse handle(ApiRequest request) {
        String requestId = UUID.randomUUID().toString();
        ApiResponse probe = probe(request.method(), request.path());
        CompletableFuture<ApiResponse> answered = new CompletableFuture<>();
        if (probe != null) {
            answered.complete(probe);
        } else {
            try {
                Admitted admitted = admit(request.method(), request.path(), request.rawQuery(), request.headers());
                answer(admitted, request.body(), requestId, Later.SLEEPING, answered::complete);
            } catch (Refusal refused) {
                answered.complete(ApiResponse.error(refused.error()));
            }
        }
        ApiResponse response = answered.join();
        response.headers().put(REQUEST_ID_HEADER, requestId);
        return response;
    }

    private Call authenticated(Admitted admitted, byte[] body, String requestId) throws Refusal {
        Principal principal;
        try {
            principal = verifier.verify(new SignedRequest(admitted.method, admitted.path, admitted.rawQuery,
                    admitted.headers, body));
        } catch (SigV4Exception e) {
            throw new Refusal(signatureError(e));
        }
        return new Call(principal.accountId(), principal.region(), principal.accessKeyId(), requestId,
                principal.operator());
    }

    /** Binds and validates the input, runs the operation, and shapes its output. */
    private ApiResponse invoke(Admitted admitted, OperationDescriptor descriptor, byte[] body, Call call)
            throws Refusal {
        Operation op = admitted.operation;
        ObjectNode input;
        try {
            input = InputBinder.bind(op.input(), admitted.labels, admitted.query,
                    name -> header(admitted.headers, name), parseBody(op, body));
        } catch (InputBinder.Repeated e) {
            throw new Refusal(validationError(List.of(new FieldProblem(e.field(), e.field() + " " + e.getMessage()))));
        }
        List<FieldProblem> problems = InputValidator.validate(op.input(), input);
        if (!problems.isEmpty()) {
            throw new Refusal(validationError(problems));
        }
        if (descriptor == null) {
            throw ServiceException.badRequest(op.name() + " is not implemented by Wickr Local yet");
        }
        if (descriptor.reachesStore()) {
            String refusal = readiness.refusal();
            if (refusal != null) {
                throw new Refusal(unavailable("Wickr Local cannot serve calls now: " + refusal));
            }
        }
        Member tokenMember = op.idempotencyTokenMember();
        String token = tokenMember == null ? null : Json.text(input, tokenMember.name());
        ObjectNode output = service.invoke(descriptor, call, input, token,
                tokenMember == null ? null : tokenMember.name());
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} account={} region={} request={}", op.name(), op.method(), call.accountId(),
                    call.region(), call.requestId());
        }
        OutputShaper.Body shaped = OutputShaper.body(op.output(), output);
        return ApiResponse.ok(shaped.bytes(), shaped.contentType());
    }

    private static List<String> header(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : values;
    }

    private Router.Found resolve(String method, String rawPath, List<String> segments) throws Refusal {
        Router.Match match = router.route(method, segments);
        if (match instanceof Router.Found f) {
            return f;
        }
        String shown = rawPath.length() > 200 ? rawPath.substring(0, 200) + "..." : rawPath;
        if (match instanceof Router.WrongMethod w) {
            throw new Refusal(ProtocolError.BAD_REQUEST.error("Method " + printable(method) + " is not allowed on "
                    + printable(shown) + "; this path accepts " + String.join(", ", w.allowed())));
        }
        throw new Refusal(ProtocolError.NOT_FOUND.error("No Wickr operation matches "
                + printable(method) + " " + printable(shown)));
    }

    private ObjectNode parseBody(Operation op, byte[] body) throws Refusal {
        if (!op.hasBodyMembers() || body.length == 0) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refusal(ProtocolError.BAD_REQUEST.error("The request body is not valid JSON: "
                    + Json.firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new Refusal(ProtocolError.BAD_REQUEST.error("The request body could not be read"));
        }
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new Refusal(ProtocolError.BAD_REQUEST.error("The request body must be a JSON object"));
        }
        return (ObjectNode) node;
    }

    private static WireError signatureError(SigV4Exception e) {
        return ProtocolError.ofType(e.errorType()).error(e.getMessage());
    }

    private static WireError validationError(List<FieldProblem> problems) {
        return ProtocolError.VALIDATION.error(VALIDATION_FAILED, problems);
    }

    /**
     * A ValidationError that lists reasons says "Validation failed" and leaves the detail to the
     * reasons, each a sentence naming its field, as the live service was seen to answer (docs/AWS-EXAMPLES.md).
     */
    static WireError fromService(ServiceException e) {
        ErrorKind kind = e.kind();
        String message = kind == ErrorKind.VALIDATION && !e.problems().isEmpty() ? VALIDATION_FAILED : e.getMessage();
        return ProtocolError.of(kind).error(message, e.problems());
    }

    /**
     * A 503 for a call of which nothing ran: safe to send again anywhere, with or without a client token
     * (what lets a load balancer send it to another node).
     */
    static WireError unavailable(String why) {
        return ProtocolError.UNAVAILABLE.error(why + "; nothing of this call ran, so it is safe to send it again,"
                + " to this node or another");
    }

    /** The message of a throttled call: RateLimitError's default message in the contract. */
    private static String throttledMessage(ServiceContract contract) {
        Shape error = contract.errorShape(ProtocolError.RATE_LIMIT.type());
        Member message = error == null ? null : error.member("message");
        return message == null || message.defaultValue() == null ? "Too many requests sent" : message.defaultValue();
    }

    /** Client text echoed in a message: control characters replaced so a message stays one clean line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /** One step of answering a request; a Refusal or ServiceException it throws becomes the answer. */
    @FunctionalInterface
    interface Step {
        void run() throws Refusal;
    }

    /** The invocation the fault stage goes around: the operation's answer, or the error it throws. */
    @FunctionalInterface
    interface Invocation {
        ApiResponse run() throws Refusal;
    }

    /**
     * Throttling and injected faults, one stage around the invocation of a contract operation (never a
     * /_local one, see {@link OperationDescriptor#faults()}): the throttle first, then a fault of the before
     * phase (its latency, then its error in place of the call, or the call), then the call, then a fault of
     * the after phase in place of the call's answer (its latency, then its error or the answer). A call the
     * operation refused gets no fault after it.
     */
    static final class FaultStage {
        private final FaultInjector faults;
        private final Throttle throttle;
        private final String throttledMessage;

        FaultStage(FaultInjector faults, Throttle throttle, String throttledMessage) {
            this.faults = faults;
            this.throttle = throttle;
            this.throttledMessage = throttledMessage;
        }

        void around(Call call, String operation, Invocation invocation, Exchange exchange) throws Refusal {
            String account = call.accountId();
            FaultInjector.Snapshot plan = faults.snapshot(account);
            if (throttle != null && !throttle.tryAcquire(account, operation)) {
                // What the service itself answers when it throttles: the model's default message.
                throw new Refusal(ProtocolError.RATE_LIMIT.error(throttledMessage));
            }
            exchange.unless(plan.decide(FaultPhase.BEFORE, operation, account), () -> {
                ApiResponse answer = invocation.run();
                exchange.unless(plan.decide(FaultPhase.AFTER, operation, account), () -> exchange.send(answer));
            });
        }
    }

    /** The answer to one request, which may be given later than the request's own thread. */
    static final class Exchange {
        private final Admitted admitted;
        private final String requestId;
        private final Later later;
        private final Consumer<ApiResponse> reply;

        Exchange(Admitted admitted, String requestId, Later later, Consumer<ApiResponse> reply) {
            this.admitted = admitted;
            this.requestId = requestId;
            this.later = later;
            this.reply = reply;
        }

        void send(ApiResponse response) {
            reply.accept(response);
        }

        /** Runs the step; what it throws becomes the answer (an unexpected failure a logged 500). */
        void run(Step step) {
            try {
                step.run();
            } catch (Refusal r) {
                send(ApiResponse.error(r.error()));
            } catch (ServiceException e) {
                send(ApiResponse.error(fromService(e)));
            } catch (RuntimeException e) {
                LOG.error("request {} ({} {}) failed", requestId, admitted.method, admitted.path, e);
                send(ApiResponse.error(ProtocolError.INTERNAL.error("Wickr Local failed to process the request;"
                        + " it is safe to retry with the same client token (request id " + requestId + ")")));
            }
        }

        /**
         * Runs the step unless an injected fault takes its place: with no fault, at once; with one, after its
         * latency, its error (if it has one) or else the step.
         */
        void unless(InjectedFault fault, Step step) throws Refusal {
            if (fault == null) {
                step.run();
                return;
            }
            Step faulted = () -> {
                if (fault.error() != null) {
                    String type = fault.error().shapeName();
                    throw new Refusal(ProtocolError.ofType(type).error(fault.message()));
                }
                step.run();
            };
            if (fault.latencyMs() <= 0) {
                faulted.run();
                return;
            }
            later.after(fault.latencyMs(), () -> run(faulted));
        }
    }
}
