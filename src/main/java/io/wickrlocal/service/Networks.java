package io.wickrlocal.service;

import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.NetworkStore;
import io.wickrlocal.store.Tx;

/** Finding the caller's network: one of another account or region is simply not found. */
final class Networks {
    private Networks() {}

    static NetworkRecord require(Tx tx, Call call, String networkId) {
        return NetworkStore.find(tx, call.accountId(), call.region(), networkId)
                .orElseThrow(() -> ServiceException.notFound("Network " + networkId + " was not found"));
    }
}
