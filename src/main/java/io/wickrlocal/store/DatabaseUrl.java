package io.wickrlocal.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL location as users write it: {@code postgresql://user:password@host:port/db?...},
 * the same with {@code user=} and {@code password=} in the query, or a JDBC URL
 * ({@code jdbc:postgresql://host:port/db?user=...}). The password is kept out of
 * {@link #describe()}, which is what logs show.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password, String describe) {

    @Override
    public String toString() {
        return describe;
    }

    /** host:port of the server, such as {@code 127.0.0.1:5432} (the default port when the URL gives none). */
    public String address() {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
        return hasPort ? hostPort : hostPort + ":5432";
    }

    public static DatabaseUrl parse(String text) {
        String s = text.strip();
        if (s.startsWith("jdbc:")) {
            s = s.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a database URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("only PostgreSQL URLs are supported (postgresql://host:port/database)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the database URL needs a host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1) {
            throw new IllegalArgumentException("the database URL needs a database name (postgresql://host:port/database)");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] info = uri.getRawUserInfo().split(":", 2);
            user = decode(info[0]);
            password = info.length > 1 ? decode(info[1]) : null;
        }
        List<String> kept = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
                if (key.equals("user")) {
                    user = value;
                } else if (key.equals("password")) {
                    password = value;
                } else if (!pair.isEmpty()) {
                    kept.add(pair);
                }
            }
        }
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String jdbc = "jdbc:postgresql://" + hostPort + path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        String shown = "postgresql://" + (user == null ? "" : user + "@") + hostPort + path;
        return new DatabaseUrl(jdbc, user, password, shown);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
