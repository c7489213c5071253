package io.wickrlocal.protocol.sigv4;

/** Makes client-supplied text safe to echo in an error message. */
final class Untrusted {

    private static final int MAX_ECHO = 64;

    private Untrusted() {}

    /**
     * Truncates and replaces anything but printable ASCII, so a hostile header can neither bloat the error
     * body nor inject line breaks into logs that record the message.
     */
    static String quote(String value) {
        if (value == null) {
            return "''";
        }
        int n = Math.min(value.length(), MAX_ECHO);
        StringBuilder sb = new StringBuilder(n + 5).append('\'');
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (value.length() > MAX_ECHO) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
