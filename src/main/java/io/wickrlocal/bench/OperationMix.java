package io.wickrlocal.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** How often each operation is picked, from a spec such as {@code toggle=8,get-user=1,list-users=1}. */
final class OperationMix {

    /** Keeps the cumulative sums far from overflow while allowing any sensible ratio. */
    static final int MAX_WEIGHT = 1_000_000;

    private final Map<Operation, Integer> weights;
    private final Operation[] operations;
    private final int[] cumulative;

    private OperationMix(Map<Operation, Integer> weights) {
        this.weights = weights;
        Map<Operation, Integer> used = new EnumMap<>(Operation.class);
        weights.forEach((op, w) -> {
            if (w > 0) {
                used.put(op, w);
            }
        });
        this.operations = used.keySet().toArray(new Operation[0]);
        this.cumulative = new int[operations.length];
        int sum = 0;
        for (int i = 0; i < operations.length; i++) {
            sum += used.get(operations[i]);
            cumulative[i] = sum;
        }
    }

    /** True when CREATE is the only operation picked: such a run needs no existing users. */
    boolean onlyCreates() {
        return operations.length == 1 && operations[0] == Operation.CREATE;
    }

    /** @throws IllegalArgumentException with a message fit for the command line */
    static OperationMix parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("the mix is empty; expected e.g. " + example());
        }
        Map<Operation, Integer> weights = new EnumMap<>(Operation.class);
        for (String part : spec.split(",", -1)) {
            String item = part.strip();
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + item + "' is not name=weight; expected e.g. " + example());
            }
            String name = item.substring(0, eq).strip();
            Operation op = Operation.byCliName(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown operation '" + name + "'; known: " + knownNames()));
            if (weights.put(op, weight(name, item.substring(eq + 1).strip())) != null) {
                throw new IllegalArgumentException("'" + name + "' is given more than once");
            }
        }
        if (weights.values().stream().mapToLong(Integer::longValue).sum() == 0) {
            throw new IllegalArgumentException("every weight is 0; at least one operation must have a positive weight");
        }
        return new OperationMix(weights);
    }

    private static int weight(String name, String text) {
        int w;
        try {
            w = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            w = -1;
        }
        if (w < 0 || w > MAX_WEIGHT) {
            throw new IllegalArgumentException("the weight of '" + name + "' must be a whole number from 0 to "
                    + MAX_WEIGHT + ", not '" + text + "'");
        }
        return w;
    }

    int totalWeight() {
        return cumulative[cumulative.length - 1];
    }

    /** @param draw uniform in {@code [0, totalWeight())} */
    Operation pick(int draw) {
        if (draw < 0 || draw >= totalWeight()) {
            throw new IllegalArgumentException("draw out of range: " + draw);
        }
        for (int i = 0; i < cumulative.length; i++) {
            if (draw < cumulative[i]) {
                return operations[i];
            }
        }
        throw new AssertionError("unreachable");
    }

    Operation pick(RandomGenerator random) {
        return pick(random.nextInt(totalWeight()));
    }

    boolean includes(Operation op) {
        return weights.getOrDefault(op, 0) > 0;
    }

    /** The canonical spec, in the enum's order, operations of weight 0 included. */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(",");
        weights.forEach((op, w) -> out.add(op.cliName() + "=" + w));
        return out.toString();
    }

    private static String example() {
        return "toggle=8,get-user=1,list-users=1";
    }

    private static String knownNames() {
        return Arrays.stream(Operation.values()).map(Operation::cliName).collect(Collectors.joining(", "));
    }
}
