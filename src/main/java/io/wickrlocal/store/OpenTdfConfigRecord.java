package io.wickrlocal.store;

/** A network's OpenTDF provider settings. */
public record OpenTdfConfigRecord(String networkId, String clientId, String clientSecret, String domain,
                                  String provider, long modifiedAt) {}
