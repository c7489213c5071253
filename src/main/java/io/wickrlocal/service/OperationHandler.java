package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.Tx;

/**
 * The business rules of one operation. The input has been bound and validated against the
 * contract already; the handler runs inside the request's single transaction and returns the
 * output members.
 */
@FunctionalInterface
public interface OperationHandler {
    ObjectNode handle(Tx tx, Call call, ObjectNode input);
}
