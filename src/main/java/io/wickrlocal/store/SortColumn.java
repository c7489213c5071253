package io.wickrlocal.store;

/** A column a list can be ordered by, and the Java type of its values in page keys. */
public enum SortColumn {
    NETWORK_ID("n.network_id", String.class),
    NETWORK_NAME("n.name_key", String.class),
    GROUP_ID("g.group_id", String.class),
    GROUP_NAME("g.name_key", String.class),
    USER_ID("u.user_id", Long.class),
    USERNAME("u.username_key", String.class),
    FIRST_NAME("u.first_name_key", String.class),
    LAST_NAME("u.last_name_key", String.class),
    STATUS("u.status", Long.class),
    USER_GROUPS("u.group_key", String.class),
    DEVICE_ID("d.app_id", String.class),
    DEVICE_TYPE("d.device_type", String.class),
    DEVICE_CREATED("d.created_at", Long.class),
    DEVICE_LAST_LOGIN("d.last_login_at", Long.class),
    DEVICE_SUSPENDED("u.suspended", Long.class),
    BOT_ID("b.bot_id", Long.class),
    BOT_USERNAME("b.username_key", String.class),
    BOT_DISPLAY_NAME("b.display_name_key", String.class),
    BOT_STATUS("b.status", Long.class),
    BOT_GROUP("b.group_id", String.class),
    GUEST_HASH("gu.username_hash", String.class),
    GUEST_USERNAME("gu.username_key", String.class),
    GUEST_BILLING_PERIOD("ga.billing_period", String.class),
    BLOCK_HASH("gb.username_hash", String.class),
    BLOCK_ADMIN("gb.admin_key", String.class),
    BLOCK_MODIFIED("gb.modified_at", Long.class),
    AUDIT_TIME("a.occurred_at", Long.class),
    AUDIT_EVENT_ID("a.event_id", String.class);

    final String sql;
    private final Class<?> valueType;

    SortColumn(String sql, Class<?> valueType) {
        this.sql = sql;
        this.valueType = valueType;
    }

    /** True when a value decoded from a client's page token has the right type for this column. */
    public boolean accepts(Object value) {
        return value != null && (valueType == Long.class
                ? value instanceof Long || value instanceof Integer
                : valueType.isInstance(value));
    }
}
