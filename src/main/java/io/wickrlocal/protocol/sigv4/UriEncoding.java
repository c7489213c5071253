package io.wickrlocal.protocol.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** SigV4's URI encoding: RFC 3986 unreserved characters kept, every other byte as upper-case {@code %XX}. */
final class UriEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {}

    static String encode(String s, boolean keepSlash) {
        return encode(s.getBytes(StandardCharsets.UTF_8), keepSlash);
    }

    static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c) || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /**
     * Decodes {@code %XX} escapes to bytes. A {@code %} not followed by two hex digits is kept literally
     * rather than rejected: the bytes are only re-encoded for comparison, and a malformed escape will then
     * simply not match what the client signed. {@code +} stays {@code +}; SigV4 signers never send it
     * for a space.
     */
    static byte[] decode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int hi;
            int lo;
            if (in[i] == '%' && i + 2 < in.length && (hi = hexValue(in[i + 1])) >= 0
                    && (lo = hexValue(in[i + 2])) >= 0) {
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
