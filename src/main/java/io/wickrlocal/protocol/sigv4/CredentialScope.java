package io.wickrlocal.protocol.sigv4;

/**
 * The {@code Credential=} component: {@code AKID/yyyyMMdd/region/service/aws4_request}. Only the shape is
 * checked on parsing; whether the values are acceptable depends on the request and server, see
 * {@link SigV4Verifier}.
 */
record CredentialScope(String accessKeyId, String date, String region, String service, String terminator) {

    static final String TERMINATOR = "aws4_request";

    private static final String EXPECTED_SHAPE =
            "Credential must have the form <AccessKeyId>/<yyyyMMdd>/<region>/<service>/aws4_request";

    static CredentialScope parse(String value) throws SigV4Exception {
        String[] parts = value.split("/", -1);
        if (parts.length != 5) {
            throw SigV4Exception.incompleteSignature(
                    EXPECTED_SHAPE + "; got " + parts.length + " slash-separated part(s).");
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw SigV4Exception.incompleteSignature(EXPECTED_SHAPE + "; a part is empty.");
            }
        }
        if (!isEightDigits(parts[1])) {
            throw SigV4Exception.incompleteSignature(
                    "Invalid credential date " + Untrusted.quote(parts[1]) + ". Date is not the required format: yyyyMMdd.");
        }
        return new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    private static boolean isEightDigits(String s) {
        if (s.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The scope line of the string to sign (everything after the access key id). */
    String scopeLine() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }

    @Override
    public String toString() {
        return accessKeyId + "/" + scopeLine();
    }
}
