package io.wickrlocal.protocol.sigv4;

import java.util.Objects;

/**
 * An access key pair known to the emulator, the account it belongs to, and whether it holds the
 * operator role: the right to Wickr Local's server-wide controls (every account's snapshot, a reset of
 * every account, fault rules for other accounts). An ordinary credential reaches its own account only.
 *
 * <p>{@link #toString()} is overridden because records print every component and credentials end up in
 * log lines, exception messages and debugger views far more often than anyone intends.
 */
public record Credential(String accessKeyId, String secretKey, String accountId, boolean operator) {

    public Credential {
        requireText(accessKeyId, "accessKeyId");
        requireText(secretKey, "secretKey");
        requireText(accountId, "accountId");
    }

    /** An ordinary credential, without the operator role. */
    public Credential(String accessKeyId, String secretKey, String accountId) {
        this(accessKeyId, secretKey, accountId, false);
    }

    /** The same key pair with the operator role. */
    public Credential asOperator() {
        return new Credential(accessKeyId, secretKey, accountId, true);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Credential[accessKeyId=" + accessKeyId + ", secretKey=<redacted>, accountId=" + accountId
                + (operator ? ", operator" : "") + "]";
    }
}
