package io.wickrlocal.protocol.faults;

import java.util.Arrays;
import java.util.List;

/** The errors a fault rule can answer with: two of the contract's modeled errors. */
public enum FaultError {
    /** 429, as a throttled call. */
    RATE_LIMIT("RateLimitError"),
    /** 500, as a server that failed. */
    INTERNAL_SERVER_ERROR("InternalServerError");

    private final String shapeName;

    FaultError(String shapeName) {
        this.shapeName = shapeName;
    }

    /** The error's name in the contract, as sent in x-amzn-ErrorType. */
    public String shapeName() {
        return shapeName;
    }

    /** The error of a contract name, or null for a name that is not one of them. */
    public static FaultError ofShapeName(String name) {
        for (FaultError e : values()) {
            if (e.shapeName.equals(name)) {
                return e;
            }
        }
        return null;
    }

    static List<String> shapeNames() {
        return Arrays.stream(values()).map(FaultError::shapeName).toList();
    }
}
