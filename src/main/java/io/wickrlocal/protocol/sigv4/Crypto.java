package io.wickrlocal.protocol.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The two primitives SigV4 is built from. */
final class Crypto {

    private static final HexFormat HEX = HexFormat.of();

    private Crypto() {}

    static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256; reaching this means a broken JRE, not bad input.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String sha256Hex(byte[] data) {
        return HEX.formatHex(sha256(data));
    }

    static String sha256Hex(String data) {
        return sha256Hex(data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** ASCII only: {@code Character.digit} would also accept e.g. full-width digits, which HexFormat rejects. */
    static boolean isHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    /** Caller must have checked the input with {@link #isHex}. */
    static byte[] parseHex(String s) {
        return HEX.parseHex(s);
    }
}
