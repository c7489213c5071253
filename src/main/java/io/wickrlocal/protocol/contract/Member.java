package io.wickrlocal.protocol.contract;

/** A member of a structure: its target shape, where it is bound, and member-level limits. */
public final class Member {
    private final String name;
    private final Shape target;
    private final Location location;
    private final String locationName;
    private final boolean idempotencyToken;
    private final String defaultValue;
    Limits extraLimits = Limits.NONE;
    String reason;

    Member(String name, Shape target, Location location, String locationName, boolean idempotencyToken,
           String defaultValue) {
        this.name = name;
        this.target = target;
        this.location = location;
        this.locationName = locationName == null ? name : locationName;
        this.idempotencyToken = idempotencyToken;
        this.defaultValue = defaultValue;
    }

    public String name() { return name; }
    public Shape target() { return target; }
    public Location location() { return location; }
    public String locationName() { return locationName; }
    public boolean idempotencyToken() { return idempotencyToken; }
    /** The model's default for the member (such as RateLimitError's message), as text; null when none. */
    public String defaultValue() { return defaultValue; }

    /**
     * The sentence a length, range, pattern or presence problem of this member is reported with, when
     * the contract gives it one (supplement.json's {@code memberReasons}); null for the generic one.
     */
    public String reason() { return reason; }

    /** The target's own limits narrowed by any rule the contract states only in prose. */
    public Limits limits() {
        return extraLimits.isNone() ? target.limits() : target.limits().narrowedBy(extraLimits);
    }
}
