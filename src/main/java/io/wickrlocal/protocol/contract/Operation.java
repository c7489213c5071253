package io.wickrlocal.protocol.contract;

/** One operation: its HTTP binding and its input and output shapes. */
public final class Operation {
    private final String name;
    private final String method;
    private final UriTemplate uri;
    private final Shape input;
    private final Shape output;
    private final int successStatus;
    private final boolean extension;
    private final Member idempotencyTokenMember;
    private final boolean hasBodyMembers;

    Operation(String name, String method, UriTemplate uri, Shape input, Shape output, int successStatus,
              boolean extension) {
        this.name = name;
        this.method = method;
        this.uri = uri;
        this.input = input;
        this.output = output;
        this.successStatus = successStatus;
        this.extension = extension;
        this.idempotencyTokenMember = input == null ? null
                : input.members().values().stream().filter(Member::idempotencyToken).findFirst().orElse(null);
        this.hasBodyMembers = input != null
                && input.members().values().stream().anyMatch(m -> m.location() == Location.BODY);
    }

    public String name() { return name; }
    public String method() { return method; }
    public UriTemplate uri() { return uri; }
    public Shape input() { return input; }
    public Shape output() { return output; }
    public int successStatus() { return successStatus; }
    /** True for Wickr Local's own /_local operations, which are not part of the AWS contract. */
    public boolean extension() { return extension; }
    /** The member carrying the client's idempotency token, or null when the operation has none. */
    public Member idempotencyTokenMember() { return idempotencyTokenMember; }
    /** True when part of the input travels in the JSON body, so a body is worth parsing. */
    public boolean hasBodyMembers() { return hasBodyMembers; }

    @Override
    public String toString() { return name + " " + method + " " + uri; }
}
