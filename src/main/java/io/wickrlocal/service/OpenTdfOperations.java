package io.wickrlocal.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.OpenTdfConfigRecord;
import io.wickrlocal.store.OpenTdfConfigStore;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** RegisterOpentdfConfig, GetOpentdfConfig: one OpenTDF provider per network. */
final class OpenTdfOperations {
    /** The only provider the service integrates with; names are compared ignoring case. */
    static final String PROVIDER = "virtru";
    private static final int MAX_HOSTNAME = 253;
    private static final String HTTPS = "https://";
    private static final Pattern HOSTNAME =
            Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

    private final Clock clock;

    OpenTdfOperations(Clock clock) {
        this.clock = clock;
    }

    void register(OperationTable into) {
        into.add(OperationDescriptor.change("RegisterOpentdfConfig", this::registerConfig));
        into.add(OperationDescriptor.read("GetOpentdfConfig", this::get));
    }

    private ObjectNode registerConfig(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        OpenTdfConfigRecord config = new OpenTdfConfigRecord(network.networkId(),
                nonBlank(in, "clientId"), nonBlank(in, "clientSecret"), domain(Json.text(in, "domain")),
                provider(Json.text(in, "provider")), clock.instant().getEpochSecond());
        // A dry run stands for the real service's connection test: Wickr Local contacts no
        // provider, so it only checks the settings and answers as a save would.
        if (!in.path("dryRun").asBoolean(false)) {
            OpenTdfConfigStore.save(tx, config);
        }
        return view(config);
    }

    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        // Never configured: every member empty, as AWS's example GetOpentdfConfig#2 answers.
        return OpenTdfConfigStore.find(tx, network.networkId()).map(OpenTdfOperations::view)
                .orElseGet(() -> Json.object().put("clientId", "").put("clientSecret", "").put("domain", "")
                        .put("provider", ""));
    }

    static String nonBlank(ObjectNode in, String member) {
        String value = Json.text(in, member);
        if (value == null || value.isBlank()) {
            throw ServiceException.invalid(member, "must not be empty");
        }
        return value;
    }

    /** A host name, bare or as an https URL of it ("https://api.sample.com", AWS example RegisterOpentdfConfig#1); kept as given. */
    static String domain(String value) {
        if (value == null || value.isBlank()) {
            throw ServiceException.invalid("domain", "must not be empty");
        }
        String host = value;
        if (host.regionMatches(true, 0, HTTPS, 0, HTTPS.length())) {
            host = host.substring(HTTPS.length());
            if (host.endsWith("/")) {
                host = host.substring(0, host.length() - 1);
            }
        }
        if (host.contains("://") || host.contains("/")) {
            throw ServiceException.invalid("domain", "must be a host name such as tdf.example.com or an https URL "
                    + "of one such as https://tdf.example.com, without a path");
        }
        if (host.length() > MAX_HOSTNAME || !HOSTNAME.matcher(host).matches()) {
            throw ServiceException.invalid("domain", "must be a host name such as tdf.example.com: labels of "
                    + "letters, digits and hyphens separated by dots, without a port");
        }
        return value;
    }

    static String provider(String value) {
        if (value == null || !PROVIDER.equals(value.strip().toLowerCase(Locale.ROOT))) {
            throw ServiceException.invalid("provider", "must be " + PROVIDER + ", the only OpenTDF provider supported");
        }
        return PROVIDER;
    }

    private static ObjectNode view(OpenTdfConfigRecord c) {
        ObjectNode out = Json.object();
        out.put("clientId", c.clientId());
        out.put("clientSecret", c.clientSecret());
        out.put("domain", c.domain());
        out.put("provider", c.provider());
        return out;
    }
}
