package io.wickrlocal.protocol.sigv4;

/** Who a verified request was signed by, and the region the client signed for. */
public record Principal(String accountId, String accessKeyId, String region) {}
