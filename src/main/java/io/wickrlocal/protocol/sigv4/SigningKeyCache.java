package io.wickrlocal.protocol.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Derived SigV4 signing keys, least-recently-used first out. Deriving a key costs four HMACs and its inputs
 * change at most once a day per credential and region, while every API call needs one.
 */
final class SigningKeyCache {

    static final int DEFAULT_CAPACITY = 256;

    private final Map<Key, byte[]> keys;

    SigningKeyCache() {
        this(DEFAULT_CAPACITY);
    }

    SigningKeyCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        // Bounded because region and date come from the client: unbounded, a flood of requests with made-up
        // regions for a valid key would grow the map forever.
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The returned array is shared; callers must not modify it. */
    byte[] signingKey(String secret, String date, String region, String service) {
        Key key = new Key(secret, date, region, service);
        synchronized (keys) {
            byte[] cached = keys.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Derived outside the lock; two threads racing on the same key just compute the same bytes twice.
        byte[] derived = derive(secret, date, region, service);
        synchronized (keys) {
            keys.put(key, derived);
        }
        return derived;
    }

    int size() {
        synchronized (keys) {
            return keys.size();
        }
    }

    static byte[] derive(String secret, String date, String region, String service) {
        byte[] kDate = Crypto.hmacSha256(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = Crypto.hmacSha256(kDate, region);
        byte[] kService = Crypto.hmacSha256(kRegion, service);
        return Crypto.hmacSha256(kService, CredentialScope.TERMINATOR);
    }

    /** Holds the secret, so it must never print it. */
    private static final class Key {
        private final String secret;
        private final String date;
        private final String region;
        private final String service;

        Key(String secret, String date, String region, String service) {
            this.secret = secret;
            this.date = date;
            this.region = region;
            this.service = service;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && secret.equals(k.secret) && date.equals(k.date) && region.equals(k.region)
                    && service.equals(k.service);
        }

        @Override
        public int hashCode() {
            return Objects.hash(secret, date, region, service);
        }

        @Override
        public String toString() {
            return "Key[" + date + "/" + region + "/" + service + "]";
        }
    }
}
