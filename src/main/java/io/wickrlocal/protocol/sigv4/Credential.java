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

    private static final java.util.regex.Pattern ACCESS_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_+=.@-]{1,128}");
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[0-9]{12}");

    /**
     * A credential a server may accept, checked by the one rule the command line ({@code --credential})
     * and the embedding builder both follow: an access key id of 1 to 128 letters, digits or
     * {@code _+=.@-} (a slash would break the signature's scope), a secret that is not empty, and a
     * 12-digit account id. A value that breaks it is an {@link IllegalArgumentException} naming it.
     */
    public static Credential checked(String accessKeyId, String secretAccessKey, String accountId, boolean operator) {
        if (accessKeyId == null || !ACCESS_KEY.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("accessKeyId must be 1 to 128 letters, digits or _+=.@-");
        }
        if (secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("secretAccessKey must not be empty");
        }
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("accountId must be 12 digits, such as 000000000000");
        }
        return new Credential(accessKeyId, secretAccessKey, accountId, operator);
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
