package io.wickrlocal.store;

/**
 * A security group row. {@code settings} is the group's settings document, kept opaque here;
 * the member counts are counted when read (0 in a record about to be written).
 */
public record GroupRecord(String networkId, String groupId, String name, boolean isDefault, String settings,
                          long modifiedAt, long activeMembers, long botMembers) {}
