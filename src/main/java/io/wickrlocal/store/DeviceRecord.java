package io.wickrlocal.store;

/**
 * A device a user signed in on. {@code suspended} mirrors the owner's suspension: a suspended
 * user's devices are all locked out with them.
 */
public record DeviceRecord(String appId, String networkId, long userId, String type, String statusText,
                           long createdAt, long lastLoginAt, boolean suspended) {}
