package io.wickrlocal.store;

/**
 * A network's SSO (OIDC) configuration; the store keeps the document as opaque text, encrypted at rest
 * ({@link OidcConfigStore}). The document holds the client secret, so {@link #toString()} leaves it out.
 */
public record OidcConfigRecord(String networkId, String config, long modifiedAt) {
    @Override
    public String toString() {
        return "OidcConfigRecord[networkId=" + networkId + ", config=(" + config.length() + " characters), modifiedAt="
                + modifiedAt + "]";
    }
}
