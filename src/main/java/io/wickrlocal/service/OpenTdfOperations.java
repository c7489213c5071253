package io.wickrlocal.service;

import java.time.Clock;
import java.util.Map;

/** Placeholder: the operations of this area are being written. */
final class OpenTdfOperations {
    private final Clock clock;

    OpenTdfOperations(Clock clock) {
        this.clock = clock;
    }

    void register(Map<String, OperationHandler> into) {
        // filled in with this area's operations
    }
}
