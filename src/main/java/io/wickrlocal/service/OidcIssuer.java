package io.wickrlocal.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * An identity provider's issuer URL, checked before anything is fetched from it or stored: only
 * http and https, a host, and no query, fragment or credentials (OIDC issuers have none, and a
 * password in a URL would end up in error messages).
 */
record OidcIssuer(URI uri) {
    /** Hosts of Microsoft Entra ID (and its national clouds), whose refresh tokens work for several resources. */
    private static final List<String> MICROSOFT_HOSTS = List.of("login.microsoftonline.com", "login.microsoftonline.us",
            "login.partner.microsoftonline.cn", "login.chinacloudapi.cn", "sts.windows.net", ".b2clogin.com",
            ".ciamlogin.com");
    private static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    static OidcIssuer parse(String text) {
        if (text == null || text.isBlank()) {
            throw ServiceException.invalid("issuer", "must not be empty");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw ServiceException.invalid("issuer", "must be a URL such as https://login.example.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw ServiceException.invalid("issuer", "must be an http or https URL such as https://login.example.com");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ServiceException.invalid("issuer", "must name a host, as in https://login.example.com");
        }
        if (uri.getRawUserInfo() != null) {
            throw ServiceException.invalid("issuer", "must not carry a user name or password");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ServiceException.invalid("issuer", "must not have a query string or fragment");
        }
        return new OidcIssuer(uri);
    }

    boolean isHttps() {
        return uri.getScheme().equalsIgnoreCase("https");
    }

    /** Where the provider publishes its configuration: the issuer with the well-known path appended. */
    URI discoveryUri() {
        return URI.create(withoutTrailingSlash(uri.toString()) + DISCOVERY_PATH);
    }

    /**
     * Whether a document's issuer names this one. The specification wants them identical; one
     * trailing slash is forgiven because administrators often type it and providers differ on it.
     */
    boolean matches(String documentIssuer) {
        return documentIssuer != null
                && withoutTrailingSlash(documentIssuer).equals(withoutTrailingSlash(uri.toString()));
    }

    boolean isMicrosoft() {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return MICROSOFT_HOSTS.stream().anyMatch(h -> h.startsWith(".") ? host.endsWith(h) : host.equals(h));
    }

    private static String withoutTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
