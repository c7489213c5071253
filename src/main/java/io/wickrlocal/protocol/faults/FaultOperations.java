package io.wickrlocal.protocol.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.service.ServiceException;
import java.util.Set;

/**
 * The /_local/faults operations: read, replace, extend and clear the installed fault plan. They act
 * on the server's memory, not on the store, so they run in the protocol layer without a transaction.
 * Every one answers with the rules as they are afterwards.
 */
public final class FaultOperations {
    public static final String GET = "LocalGetFaults";
    public static final String PUT = "LocalPutFaults";
    public static final String ADD = "LocalAddFaults";
    public static final String CLEAR = "LocalClearFaults";
    /** The operations of the contract that this class serves instead of the service. */
    public static final Set<String> NAMES = Set.of(GET, PUT, ADD, CLEAR);

    private final FaultInjector faults;
    private final Throttle throttle;

    /** @param throttle the server's throttle, or null when throttling is off */
    public FaultOperations(FaultInjector faults, Throttle throttle) {
        this.faults = faults;
        this.throttle = throttle;
    }

    public boolean handles(String operation) {
        return NAMES.contains(operation);
    }

    /** Runs one of {@link #NAMES} on its bound, contract-validated input. */
    public ObjectNode invoke(String operation, ObjectNode input) {
        try {
            switch (operation) {
                case PUT -> faults.replace(FaultPlan.fromJson(input));
                case ADD -> faults.add(FaultPlanJson.rules(input.path("rules"), "rules"));
                case CLEAR -> faults.clear();
                case GET -> { }
                default -> throw new IllegalArgumentException("not a faults operation: " + operation);
            }
        } catch (FaultPlanException e) {
            throw ServiceException.invalid(e.field().isEmpty() ? "rules" : e.field(), e.reason());
        }
        return status();
    }

    private ObjectNode status() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("seed", faults.seed());
        ArrayNode list = out.putArray("rules");
        for (FaultInjector.RuleStatus s : faults.rules()) {
            ObjectNode item = FaultPlanJson.write(s.rule());
            if (s.remaining() != null) {
                item.put("remaining", s.remaining());
            }
            item.put("matched", s.matched());
            item.put("fired", s.fired());
            list.add(item);
        }
        if (throttle != null) {
            ObjectNode t = out.putObject("throttle");
            t.put("ratePerSecond", throttle.limit().ratePerSecond());
            t.put("burst", throttle.limit().burst());
        }
        return out;
    }
}
