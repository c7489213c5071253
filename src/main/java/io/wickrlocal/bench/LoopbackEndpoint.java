package io.wickrlocal.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only endpoints the load generator will send to: {@code http(s)://} on a loopback address
 * (127.0.0.0/8, ::1) or {@code localhost}. A load generator pointed at a real service by a typo is a
 * denial-of-service tool, so anything that is not provably this machine is refused, including names that
 * would need DNS and the shorthand IPv4 forms ({@code 127.1}, {@code 2130706433}, {@code 0177.0.0.1})
 * whose meaning differs between parsers.
 */
final class LoopbackEndpoint {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private LoopbackEndpoint() {}

    /** @throws IllegalArgumentException saying why the endpoint is refused */
    static URI require(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("'" + endpoint + "' is not a URL such as http://127.0.0.1:8484");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + endpoint + "' must start with http:// or https://");
        }
        // java.net.URI leaves the host null for authorities such as 127.1 or 127.0.0.256.
        String host = uri.getHost();
        if (host == null || !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to send load to '"
                    + (host == null ? uri.getRawAuthority() : host)
                    + "': the load generator only targets this machine (127.0.0.0/8, ::1 or localhost)");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + endpoint + "' must be just scheme, host and port, e.g. "
                    + "http://127.0.0.1:8484");
        }
        return uri;
    }

    static boolean isLoopback(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            return isLoopbackIpv6Literal(host.substring(1, host.length() - 1));
        }
        if (host.equalsIgnoreCase("localhost")) {
            return resolvesOnlyToLoopback(host);
        }
        Matcher quad = DOTTED_QUAD.matcher(host);
        if (!quad.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            String octet = quad.group(i);
            if ((octet.length() > 1 && octet.startsWith("0")) || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return quad.group(1).equals("127");
    }

    private static boolean isLoopbackIpv6Literal(String literal) {
        if (literal.indexOf(':') < 0) {
            return false;
        }
        try {
            // A string with ':' is parsed as a literal; it never goes to DNS.
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** /etc/hosts could map localhost anywhere; what counts is where the HTTP client will connect. */
    private static boolean resolvesOnlyToLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
