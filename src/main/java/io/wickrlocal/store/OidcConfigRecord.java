package io.wickrlocal.store;

/** A network's SSO (OIDC) configuration; the store keeps the document as opaque text. */
public record OidcConfigRecord(String networkId, String config, long modifiedAt) {}
