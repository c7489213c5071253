package io.wickrlocal.protocol.sigv4;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} header.
 *
 * <p>The limits below are far above anything a real SDK sends; they exist so that a hostile header costs
 * bounded work and can only ever produce an {@code IncompleteSignatureException}.
 */
record AuthorizationHeader(CredentialScope scope, List<String> signedHeaders, String signature) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    static final int MAX_LENGTH = 8 * 1024;
    static final int MAX_SIGNED_HEADERS = 128;
    private static final int MAX_HEADER_NAME_LENGTH = 256;

    private static final String EXPECTED_FORM =
            ALGORITHM + " Credential=<AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request, "
                    + "SignedHeaders=<a;b;c>, Signature=<hex>";

    static AuthorizationHeader parse(String raw) throws SigV4Exception {
        if (raw.length() > MAX_LENGTH) {
            throw SigV4Exception.incompleteSignature(
                    "Authorization header is longer than " + MAX_LENGTH + " characters.");
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            throw SigV4Exception.incompleteSignature("Authorization header is empty; expected " + EXPECTED_FORM + ".");
        }
        int space = indexOfWhitespace(value);
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw SigV4Exception.incompleteSignature("Unsupported authorization algorithm " + Untrusted.quote(algorithm)
                    + "; only " + ALGORITHM + " (SigV4 in the Authorization header) is accepted.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        String rest = space < 0 ? "" : value.substring(space + 1);
        for (String component : rest.split(",", -1)) {
            String c = component.strip();
            if (c.isEmpty()) {
                continue;
            }
            int eq = c.indexOf('=');
            if (eq < 0) {
                throw SigV4Exception.incompleteSignature(Untrusted.quote(c)
                        + " is not a valid key=value pair (missing equal-sign) in Authorization header.");
            }
            String key = c.substring(0, eq).strip();
            String val = c.substring(eq + 1).strip();
            switch (key) {
                case "Credential" -> credential = once(credential, val, key);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, val, key);
                case "Signature" -> signature = once(signature, val, key);
                default -> throw SigV4Exception.incompleteSignature("Unexpected component " + Untrusted.quote(key)
                        + " in Authorization header; expected " + EXPECTED_FORM + ".");
            }
        }
        requireAll(credential, signedHeaders, signature);
        return new AuthorizationHeader(
                CredentialScope.parse(credential), parseSignedHeaders(signedHeaders), signature);
    }

    /** The signed-headers line of the canonical request. */
    String signedHeadersLine() {
        return String.join(";", signedHeaders);
    }

    private static String once(String previous, String value, String key) throws SigV4Exception {
        if (previous != null) {
            throw SigV4Exception.incompleteSignature(
                    "Authorization header contains '" + key + "' more than once.");
        }
        if (value.isEmpty()) {
            throw SigV4Exception.incompleteSignature("Authorization header has an empty '" + key + "' value.");
        }
        return value;
    }

    private static void requireAll(String credential, String signedHeaders, String signature) throws SigV4Exception {
        StringBuilder missing = new StringBuilder();
        if (credential == null) {
            missing.append(" Authorization header requires 'Credential' parameter.");
        }
        if (signedHeaders == null) {
            missing.append(" Authorization header requires 'SignedHeaders' parameter.");
        }
        if (signature == null) {
            missing.append(" Authorization header requires 'Signature' parameter.");
        }
        if (!missing.isEmpty()) {
            throw SigV4Exception.incompleteSignature(
                    missing.toString().strip() + " Expected " + EXPECTED_FORM + " (components separated by commas).");
        }
    }

    private static List<String> parseSignedHeaders(String value) throws SigV4Exception {
        // Bound the work before splitting: a name needs at least one character plus a separator.
        if (value.length() > MAX_SIGNED_HEADERS * (MAX_HEADER_NAME_LENGTH + 1)) {
            throw SigV4Exception.incompleteSignature("SignedHeaders is too long.");
        }
        String[] names = value.split(";", -1);
        if (names.length > MAX_SIGNED_HEADERS) {
            throw SigV4Exception.incompleteSignature(
                    "SignedHeaders lists more than " + MAX_SIGNED_HEADERS + " headers.");
        }
        List<String> result = new ArrayList<>(names.length);
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!isToken(name)) {
                throw SigV4Exception.incompleteSignature(
                        "SignedHeaders contains an invalid header name " + Untrusted.quote(name) + ".");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                throw SigV4Exception.incompleteSignature(
                        "SignedHeaders lists " + Untrusted.quote(lower) + " more than once.");
            }
            result.add(lower);
        }
        return List.copyOf(result);
    }

    /** RFC 9110 token; anything else cannot be a header name, so it cannot have been signed. */
    private static boolean isToken(String s) {
        if (s.isEmpty() || s.length() > MAX_HEADER_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        // The client's signature is not secret, but there is no reason to spread it around either.
        return "AuthorizationHeader[" + scope + ", SignedHeaders=" + signedHeadersLine() + "]";
    }
}
