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
 *
 * <p>Hashing and verifying take time on purpose, so callers do both before their transaction (see
 * {@link OperationHandler}). A hash that comes from outside (a snapshot) names its own iteration
 * count, and so its own cost: at most {@link #MAX_ITERATIONS} are accepted, and a stored hash over
 * that is not verified at all.
 */
final class PasswordHash {
    private static final String SCHEME = "pbkdf2-sha256";
    /** The iterations of the hashes Wickr Local makes. */
    static final int ITERATIONS = 10_000;
    /** The fewest iterations a hash from outside may have. */
    static final int MIN_ITERATIONS = 1_000;
    /**
     * The most iterations a hash from outside may have, and the most a sign-in verifies: OWASP's
     * figure for PBKDF2-HMAC-SHA256, so any hash made by a sound policy fits, and a wrong password
     * costs at most that much work.
     */
    static final int MAX_ITERATIONS = 600_000;
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
     * Why the text cannot be a bot's password hash brought in from outside (a snapshot), or null when
     * it can: it must have the form this class writes (scheme, iteration count, salt, 256-bit hash)
     * with {@value #MIN_ITERATIONS} to {@value #MAX_ITERATIONS} iterations.
     */
    static String importProblem(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return "must be a password hash as Wickr Local exports it";
        }
        long iterations;
        try {
            iterations = Long.parseLong(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (salt.length < 8 || salt.length > 64 || hash.length != HASH_BITS / 8) {
                return "must be a password hash as Wickr Local exports it";
            }
        } catch (IllegalArgumentException e) {
            return "must be a password hash as Wickr Local exports it";
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            return "has " + iterations + " PBKDF2 iterations; Wickr Local accepts " + MIN_ITERATIONS + " to "
                    + MAX_ITERATIONS;
        }
        return null;
    }

    /**
     * Whether a sign-in may verify a password against this stored hash: false when it asks for more
     * than {@value #MAX_ITERATIONS} iterations (a hash imported before that bound existed).
     */
    static boolean verifiable(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return true; // matches refuses it at no cost
        }
        try {
            return Long.parseLong(parts[1]) <= MAX_ITERATIONS;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * True when the password is the one hashed; the hashes are compared in constant time. A stored hash
     * of more than {@value #MAX_ITERATIONS} iterations never matches (ask {@link #verifiable} first to
     * tell the caller why).
     */
    static boolean matches(String stored, String password) {
        if (stored == null || password == null || !verifiable(stored)) {
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
            return iterations >= 1 && MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A new password and its hash, made before the transaction that stores it; {@link #hashOf} gives the
     * hash only for the very password it was made from.
     */
    record NewHash(String password, String hash) {
        static NewHash of(String password) {
            return new NewHash(password, PasswordHash.of(password));
        }

        /** The hash, when it was made from this password; otherwise the step before hashed something else. */
        String hashOf(String candidate) {
            if (!password.equals(candidate)) {
                throw new IllegalStateException("the password hashed before the transaction is not the one given");
            }
            return hash;
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
