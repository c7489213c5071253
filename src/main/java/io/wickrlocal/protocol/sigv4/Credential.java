package io.wickrlocal.protocol.sigv4;

import java.util.Objects;

/**
 * An access key pair known to the emulator and the account it belongs to.
 *
 * <p>{@link #toString()} is overridden because records print every component and credentials end up in
 * log lines, exception messages and debugger views far more often than anyone intends.
 */
public record Credential(String accessKeyId, String secretKey, String accountId) {

    public Credential {
        requireText(accessKeyId, "accessKeyId");
        requireText(secretKey, "secretKey");
        requireText(accountId, "accountId");
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Credential[accessKeyId=" + accessKeyId + ", secretKey=<redacted>, accountId=" + accountId + "]";
    }
}
