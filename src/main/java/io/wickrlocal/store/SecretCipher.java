package io.wickrlocal.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the store keeps (client secrets of SSO and OpenTDF) with AES-256-GCM from the
 * JDK. A value is stored as {@code v1:} and the base64 of a random 96-bit nonce, the ciphertext and the
 * 128-bit tag. The associated data names the column and the network, so a value copied to another
 * network's row, or to another column, does not decrypt. Two keys are derived from the store's key with
 * HMAC-SHA256: one encrypts, the other makes the check value a database keeps to recognise its key.
 */
final class SecretCipher {
    static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryption;
    private final String checkValue;

    SecretCipher(byte[] key) {
        if (key.length != SecretsKey.LENGTH) {
            throw new IllegalArgumentException("a secrets key is " + SecretsKey.LENGTH + " bytes");
        }
        byte[] enc = hmac(key, "wickr-local secrets v1: AES-256-GCM key");
        byte[] check = hmac(key, "wickr-local secrets v1: key check");
        this.encryption = new SecretKeySpec(enc, "AES");
        this.checkValue = Base64.getEncoder().encodeToString(check);
        Arrays.fill(enc, (byte) 0);
        Arrays.fill(key, (byte) 0);
    }

    /** An HMAC of a constant under the key: tells whether a database was used with this key, and nothing else. */
    String checkValue() {
        return checkValue;
    }

    /**
     * @param column the table and column the value goes to, such as {@code opentdf_configs.client_secret}
     * @param networkId the row's network
     */
    String seal(String clear, String column, String networkId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(column, networkId));
            byte[] sealed = c.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot encrypt a secret: " + e.getMessage(), e, false);
        }
    }

    /**
     * The clear text of a stored value.
     *
     * @param what how the value is called in a message, such as "OpenTDF client secret"
     * @throws StoreException when it is not a value this key sealed for this column and network
     */
    String open(String stored, String column, String networkId, String what) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw unreadable(what, networkId, "it is not encrypted", null);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw unreadable(what, networkId, "it is not well-formed", e);
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw unreadable(what, networkId, "it is too short", null);
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            c.updateAAD(associatedData(column, networkId));
            return new String(c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw unreadable(what, networkId, "it was altered, copied from another row, or written with another key", e);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot decrypt a secret: " + e.getMessage(), e, false);
        }
    }

    private static StoreException unreadable(String what, String networkId, String why, Throwable cause) {
        return new StoreException("the stored " + what + " of network " + networkId
                + " cannot be decrypted with this store's secrets key: " + why, cause, false);
    }

    private static byte[] associatedData(String column, String networkId) {
        // The column is one of the store's constants; the network id comes last, so the two cannot blur.
        return ("wickr-local secret v1\0" + column + "\0" + networkId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
