package io.wickrlocal.protocol.sigv4;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Immutable lookup of credentials by access key id; safe to share between request threads. */
public final class CredentialStore {

    /**
     * The pair LocalStack-style tooling and the docs use, so a fresh install works with {@code test/test}.
     * With no other credential there is one user, who is the operator.
     */
    public static final Credential DEFAULT = new Credential("test", "test", "000000000000", true);

    private static final CredentialStore DEFAULTS = of(List.of(DEFAULT));

    private final Map<String, Credential> byAccessKeyId;
    private final List<Credential> all;

    private CredentialStore(Map<String, Credential> byAccessKeyId) {
        this.byAccessKeyId = Map.copyOf(byAccessKeyId);
        this.all = List.copyOf(byAccessKeyId.values());
    }

    /**
     * @throws IllegalArgumentException if two credentials share an access key id, because which secret
     *     wins would otherwise depend on list order and silently break one of them
     */
    public static CredentialStore of(List<Credential> creds) {
        Objects.requireNonNull(creds, "creds");
        Map<String, Credential> map = new LinkedHashMap<>();
        for (Credential c : creds) {
            Objects.requireNonNull(c, "credential");
            if (map.putIfAbsent(c.accessKeyId(), c) != null) {
                throw new IllegalArgumentException("duplicate access key id: " + c.accessKeyId());
            }
        }
        return new CredentialStore(map);
    }

    public static CredentialStore defaults() {
        return DEFAULTS;
    }

    public Optional<Credential> find(String accessKeyId) {
        if (accessKeyId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byAccessKeyId.get(accessKeyId));
    }

    /** In the order given to {@link #of(List)}. */
    public List<Credential> all() {
        return all;
    }

    @Override
    public String toString() {
        return "CredentialStore[" + all.size() + " credential(s)]";
    }
}
