package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the secrets a network stores in clear (the OIDC client secret, the OpenTDF client secret)
 * travel in a snapshot: sealed with AES-256-GCM under a key derived from the caller's passphrase
 * (PBKDF2-HMAC-SHA256, a random salt per document). Each value is bound to where it belongs (its
 * network and field), so a sealed value moved elsewhere in the document does not open. Without a
 * passphrase there is no instance of this class, and the secrets are left out of the document.
 */
final class SnapshotSecrets {
    static final String CIPHER = "AES-256-GCM";
    static final String KDF = "PBKDF2-HMAC-SHA256";
    static final int ITERATIONS = 210_000;
    /** The fewest iterations an imported document may name (the contract's minimum too). */
    static final int MIN_ITERATIONS = 10_000;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] salt;
    private final int iterations;

    private SnapshotSecrets(String passphrase, byte[] salt, int iterations) {
        this.salt = salt;
        this.iterations = iterations;
        this.key = new SecretKeySpec(PasswordHash.pbkdf2(passphrase, salt, iterations, 256), "AES");
    }

    /** Fresh secrets for an export: a new salt. */
    static SnapshotSecrets create(String passphrase) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new SnapshotSecrets(passphrase, salt, ITERATIONS);
    }

    /**
     * The secrets of a document being imported, from its {@code secrets} member: the header is checked
     * ({@link #checkHeader}), then the key derived, which takes a while on purpose (do it before any
     * transaction).
     */
    static SnapshotSecrets open(JsonNode header, String passphrase, String path) {
        byte[] salt = checkHeader(header, path);
        return new SnapshotSecrets(passphrase, salt, header.path("iterations").asInt());
    }

    /**
     * Checks a document's {@code secrets} member without deriving anything, and answers its salt: the
     * iteration count names the derivation's cost, so it must be from {@value #MIN_ITERATIONS} to
     * {@link PasswordHash#MAX_ITERATIONS} (as the contract also says).
     */
    static byte[] checkHeader(JsonNode header, String path) {
        JsonNode iterations = header.path("iterations");
        if (!iterations.canConvertToInt() || !iterations.isIntegralNumber() || iterations.intValue() < MIN_ITERATIONS
                || iterations.intValue() > PasswordHash.MAX_ITERATIONS) {
            throw ServiceException.invalid(path + ".iterations", "must be a whole number from " + MIN_ITERATIONS
                    + " to " + PasswordHash.MAX_ITERATIONS);
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(header.path("salt").asText());
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(path + ".salt", "must be base64");
        }
        if (salt.length < SALT_BYTES) {
            throw ServiceException.invalid(path + ".salt", "must be at least " + SALT_BYTES + " bytes");
        }
        return salt;
    }

    /** The document's {@code secrets} member: what an import needs, besides the passphrase, to open them. */
    ObjectNode header() {
        ObjectNode out = Json.object();
        out.put("cipher", CIPHER);
        out.put("kdf", KDF);
        out.put("iterations", iterations);
        out.put("salt", Base64.getEncoder().encodeToString(salt));
        return out;
    }

    /** The value sealed for one place in the document: base64 of nonce, ciphertext and tag. */
    String seal(String plaintext, String place) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plaintext of a sealed value; a wrong passphrase or an altered value is a 400 that says so. */
    String unseal(String sealed, String place, String path) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(path, "must be base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw ServiceException.invalid(path, "is too short to be a sealed secret");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw ServiceException.badRequest("The secret at " + path + " could not be decrypted: the passphrase is"
                    + " not the one the snapshot was exported with, or the document was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
