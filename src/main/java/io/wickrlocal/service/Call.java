package io.wickrlocal.service;

/**
 * Who is calling and where: the account (from the credential), the region (from the signature
 * scope), and the request's id. Every piece of state is partitioned by account and region.
 */
public record Call(String accountId, String region, String accessKeyId, String requestId) {}
