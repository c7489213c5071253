package io.wickrlocal.service;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * How a bot's password (its "challenge", also the data retention bot's) is kept: a salted PBKDF2-HMAC-SHA256 hash in the form
 * {@code pbkdf2-sha256$iterations$salt$hash}, so a copy of the database reveals no password.
 * The iteration count is modest because this is a local emulator that hashes on every sign-in;
 * it is stored with each hash so it can change without breaking existing ones.
 */
final class PasswordHash {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 10_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {}

    /** A new salted hash of the password. */
    static String of(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /**
     * True when the text has the form this class writes (scheme, a sane iteration count, a salt and
     * a 256-bit hash): what a snapshot may bring in for a bot's password.
     */
    static boolean wellFormed(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            return iterations >= 1_000 && iterations <= 10_000_000 && salt.length >= 8 && salt.length <= 64
                    && hash.length == HASH_BITS / 8;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when the password is the one hashed; the hashes are compared in constant time. */
    static boolean matches(String stored, String password) {
        if (stored == null || password == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        return pbkdf2(password, salt, iterations, HASH_BITS);
    }

    /** PBKDF2-HMAC-SHA256 of the secret; the secret's characters are wiped from the copies made here. */
    static byte[] pbkdf2(String secret, byte[] salt, int iterations, int bits) {
        char[] chars = secret.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
