package io.wickrlocal.protocol.sigv4;

/**
 * Who a verified request was signed by, and the region the client signed for. {@code operator}: the
 * credential holds the operator role (see {@link Credential}).
 */
public record Principal(String accountId, String accessKeyId, String region, boolean operator) {}
