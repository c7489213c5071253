package io.wickrlocal.store;

/**
 * A security group row. {@code settings} is the group's settings document, kept opaque here;
 * {@code activeMembers} is counted when read (0 when not asked for).
 */
public record GroupRecord(String networkId, String groupId, String name, boolean isDefault, String settings,
                          long modifiedAt, long activeMembers) {}
