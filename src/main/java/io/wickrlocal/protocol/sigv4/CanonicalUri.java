package io.wickrlocal.protocol.sigv4;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The canonical-URI line of the canonical request.
 *
 * <p>For every service but S3, AWS signers take the path as it goes on the wire (already percent-encoded)
 * and URI-encode it once more, so {@code /a%20b} is signed as {@code /a%2520b}; botocore and the Java SDK v2
 * also remove dot segments first. Signers with normalization switched off sign the path as it is, so that
 * form is tried second. Single (S3-style) encoding is not accepted: it would let one signature cover two
 * different wire paths, such as {@code /x%20y} and {@code /x%2520y}.
 */
final class CanonicalUri {

    private CanonicalUri() {}

    /** Most likely first: what botocore and the Java SDK v2 produce for service {@code wickr}. */
    static List<String> candidates(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String normalized = removeDotSegments(path);
        Set<String> out = new LinkedHashSet<>(3);
        out.add(UriEncoding.encode(normalized, true));
        // Signers with path normalization switched off.
        out.add(UriEncoding.encode(path, true));
        return List.copyOf(out);
    }

    /**
     * RFC 3986 dot-segment removal plus collapsing of empty segments, exactly as botocore does it (AWS
     * services treat {@code //} as {@code /}). A trailing slash survives because it is significant.
     */
    static String removeDotSegments(String path) {
        if (path.isEmpty()) {
            return "/";
        }
        List<String> out = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(segment);
            }
        }
        String first = path.charAt(0) == '/' ? "/" : "";
        String last = path.charAt(path.length() - 1) == '/' && !out.isEmpty() ? "/" : "";
        return first + String.join("/", out) + last;
    }
}
