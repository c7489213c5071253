package io.wickrlocal.service;

import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.NetworkStore;
import io.wickrlocal.store.Tx;

/**
 * Finding the caller's network, the one rule every operation on a network follows: a network the
 * caller's account deleted is {@code 403 ForbiddenError}, as the live service answers during and after
 * a deletion; any other network the caller does not have (never created, or of another account or
 * region) is {@code 404 ResourceNotFoundError "Network not found"}, as AWS's examples show.
 */
final class Networks {
    static final String NOT_FOUND = "Network not found";
    static final String DELETED = "Network has been deleted";

    private Networks() {}

    static NetworkRecord require(Tx tx, Call call, String networkId) {
        return NetworkStore.find(tx, call.accountId(), call.region(), networkId).orElseThrow(() ->
                NetworkStore.wasDeleted(tx, call.accountId(), call.region(), networkId)
                        ? ServiceException.forbidden(DELETED)
                        : ServiceException.notFound(NOT_FOUND));
    }
}
