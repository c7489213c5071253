package io.wickrlocal.protocol.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.service.Call;
import io.wickrlocal.service.OperationDescriptor;
import io.wickrlocal.service.ServiceException;
import java.util.List;

/**
 * The /_local/faults operations: read, replace, extend and clear fault rules. They act on the
 * server's memory, not on the store, so they run in the protocol layer without a transaction.
 * Every one answers with the rules the caller may see as they are afterwards.
 *
 * <p>Who acts on what: an operator credential reads every rule and changes the server's plan, whose
 * rules may name any account or none (every account). An ordinary credential changes its account's
 * own plan only: its rules act on its account's calls alone (a rule without {@code accountId} is
 * given the caller's), and a rule naming another account is refused with {@code 403 ForbiddenError}
 * before anything changes. It reads its own rules and, read-only, the server plan's rules that apply
 * to its account; never another account's rules or ids. Each rule shown carries its {@code owner}.
 */
public final class FaultOperations {
    private final FaultInjector faults;
    private final Throttle throttle;

    /** @param throttle the server's throttle, or null when throttling is off */
    public FaultOperations(FaultInjector faults, Throttle throttle) {
        this.faults = faults;
        this.throttle = throttle;
    }

    /**
     * The descriptors of the four operations: each acts on the server's memory (no transaction, served
     * while the store is unreachable), none is audited, and faults never act on them.
     */
    public List<OperationDescriptor> descriptors() {
        return List.of(
                OperationDescriptor.inMemory("LocalGetFaults", (call, in) -> status(call)),
                OperationDescriptor.inMemory("LocalPutFaults", refusing(this::put)),
                OperationDescriptor.inMemory("LocalAddFaults", refusing(this::add)),
                OperationDescriptor.inMemory("LocalClearFaults", this::clear));
    }

    /** Replaces the plan: the server's for an operator, the caller account's own otherwise. */
    private ObjectNode put(Call call, ObjectNode input) {
        FaultPlan plan = FaultPlan.fromJson(input);
        if (call.operator()) {
            faults.replace(plan);
        } else {
            requireOwn(plan.rules(), call);
            faults.replace(call.accountId(), plan);
        }
        return status(call);
    }

    /** Adds rules to the plan: the server's for an operator, the caller account's own otherwise. */
    private ObjectNode add(Call call, ObjectNode input) {
        List<FaultRule> rules = FaultPlanJson.rules(input.path("rules"), "rules");
        if (call.operator()) {
            faults.add(rules);
        } else {
            requireOwn(rules, call);
            faults.add(call.accountId(), rules);
        }
        return status(call);
    }

    /** Clears the plan: the server's for an operator, the caller account's own otherwise. */
    private ObjectNode clear(Call call, ObjectNode input) {
        if (call.operator()) {
            faults.clear();
        } else {
            faults.clear(call.accountId());
        }
        return status(call);
    }

    /** The rules the caller may see, as they are now. */
    private ObjectNode status(Call call) {
        return call.operator() ? status(faults.seed(), faults.all(), false)
                : status(faults.seed(call.accountId()), faults.applying(call.accountId()), true);
    }

    /** The handler, a rule it refuses (in the input, or beyond the plan's bounds) a 422 naming the member. */
    private static OperationDescriptor.MemoryHandler refusing(OperationDescriptor.MemoryHandler handler) {
        return (call, input) -> {
            try {
                return handler.handle(call, input);
            } catch (FaultPlanException e) {
                throw ServiceException.invalid(e.field().isEmpty() ? "rules" : e.field(), e.reason());
            }
        };
    }

    /** Refuses, before anything changes, a rule of an ordinary credential that names another account. */
    private static void requireOwn(List<FaultRule> rules, Call call) {
        for (int i = 0; i < rules.size(); i++) {
            String target = rules.get(i).accountId();
            if (target != null && !target.equals(call.accountId())) {
                throw ServiceException.forbidden("The operator role is needed for a fault rule of another account"
                        + " (rules[" + i + "].accountId); the credential " + call.accessKeyId() + " reaches account "
                        + call.accountId() + " only, and its rules act on that account's calls (leave accountId out,"
                        + " or mark an operator credential with --credential KEY:SECRET:ACCOUNT:operator)");
            }
        }
    }

    /**
     * @param forAccount the view of an ordinary credential: the counts of an operator rule that acts on
     *                   every account are left out, as they count other accounts' calls too
     */
    private ObjectNode status(long seed, List<FaultInjector.RuleStatus> rules, boolean forAccount) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("seed", seed);
        ArrayNode list = out.putArray("rules");
        for (FaultInjector.RuleStatus s : rules) {
            ObjectNode item = FaultPlanJson.write(s.rule());
            item.put("owner", s.owner());
            if (forAccount && s.rule().accountId() == null) {
                list.add(item);
                continue;
            }
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
