package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wickrlocal.store.NetworkRecord;
import io.wickrlocal.store.OidcConfigRecord;
import io.wickrlocal.store.OidcConfigStore;
import io.wickrlocal.store.Tx;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** RegisterOidcConfigTest, RegisterOidcConfig, GetOidcInfo: single sign-on through an OIDC provider. */
final class SsoOperations {
    static final int DEFAULT_TOKEN_BUFFER_MINUTES = 5;
    static final int MIN_TOKEN_BUFFER_MINUTES = 1;
    static final int MAX_TOKEN_BUFFER_MINUTES = 60;
    /** A network has one OIDC application, so its id never changes. */
    static final int APPLICATION_ID = 1;
    private static final Pattern COMPANY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** A Wickr region code such as UE1 (us-east-1), the prefix the live service wants before a company's name. */
    private static final Pattern WICKR_REGION_CODE = Pattern.compile("[A-Z]{2}[0-9]");
    private static final Pattern SCOPE_SEPARATORS = Pattern.compile("[\\s,]+");
    /** The GetOidcInfo inputs that only matter to a token exchange with the provider. */
    private static final List<String> TOKEN_EXCHANGE_INPUTS =
            List.of("code", "grantType", "codeVerifier", "redirectUri", "clientId", "clientSecret", "url", "certificate");

    private final Clock clock;
    private final OidcDiscoveryClient discovery;

    SsoOperations(Clock clock) {
        this(clock, new OidcDiscoveryClient());
    }

    SsoOperations(Clock clock, OidcDiscoveryClient discovery) {
        this.clock = clock;
        this.discovery = discovery;
    }

    void register(OperationTable into) {
        // The provider is asked before the transaction: its answer may take the fetch's whole deadline.
        into.add(OperationDescriptor.change("RegisterOidcConfigTest", OperationHandler.withWorkBefore(this::discover, SsoOperations::test)));
        into.add(OperationDescriptor.change("RegisterOidcConfig", this::save));
        into.add(OperationDescriptor.read("GetOidcInfo", this::get));
    }

    /**
     * The step before RegisterOidcConfigTest: checks the network (in a short read) and the input, then
     * asks the provider for its discovery document, with no transaction open, and makes the answer.
     */
    private ObjectNode discover(OperationHandler.Reads reads, Call call, ObjectNode in) {
        reads.read(tx -> Networks.require(tx, call, Json.text(in, "networkId")));
        OidcIssuer issuer = OidcIssuer.parse(requiredIssuer(in));
        scopes(in);
        String pem = Json.text(in, "certificate");
        OidcCaCertificate ca = pem == null || pem.isBlank() ? null : OidcCaCertificate.parse("certificate", pem);
        OidcProviderMetadata m = discovery.discover(issuer, ca);
        ObjectNode out = Json.object();
        out.put("issuer", m.issuer());
        out.put("authorizationEndpoint", m.authorizationEndpoint());
        out.put("tokenEndpoint", m.tokenEndpoint());
        putText(out, "userinfoEndpoint", m.userinfoEndpoint());
        putText(out, "endSessionEndpoint", m.endSessionEndpoint());
        putText(out, "revocationEndpoint", m.revocationEndpoint());
        putText(out, "logoutEndpoint", m.logoutEndpoint());
        putList(out, "responseTypesSupported", m.responseTypesSupported());
        putList(out, "scopesSupported", m.scopesSupported());
        putList(out, "grantTypesSupported", m.grantTypesSupported());
        putList(out, "tokenEndpointAuthMethodsSupported", m.tokenEndpointAuthMethodsSupported());
        out.put("microsoftMultiRefreshToken", issuer.isMicrosoft());
        return out;
    }

    /** Reports what the provider published (asked before the transaction); stores nothing. */
    private static ObjectNode test(Tx tx, Call call, ObjectNode in, ObjectNode discovered) {
        Networks.require(tx, call, Json.text(in, "networkId"));
        return discovered.deepCopy();
    }

    /**
     * Stores the network's configuration, replacing any earlier one. The provider is not
     * contacted (RegisterOidcConfigTest does that), so SSO can be configured offline.
     */
    private ObjectNode save(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        ObjectNode config = configuration(network.networkId(), in, call.region());
        OidcConfigStore.save(tx, new OidcConfigRecord(network.networkId(), Json.write(config),
                clock.instant().getEpochSecond()));
        return config;
    }

    /**
     * The stored configuration document made from RegisterOidcConfig's input members, checked by
     * the rules of that operation; also how a snapshot's configuration is brought back, with
     * {@code region} null: a configuration stored before companyId needed its region prefix still
     * comes back.
     */
    static ObjectNode configuration(String networkId, ObjectNode in, String region) {
        String companyId = companyId(Json.text(in, "companyId"), region);
        OidcIssuer issuer = OidcIssuer.parse(requiredIssuer(in));
        String scopes = scopes(in);
        int buffer = tokenBufferMinutes(in);
        String userId = Json.text(in, "userId");
        String secret = Json.text(in, "secret");

        ObjectNode config = Json.object();
        config.put("companyId", companyId);
        config.put("issuer", issuer.toString());
        config.put("scopes", scopes);
        putText(config, "userId", userId);
        // The contract calls the input userId "also the client ID", and answers with both names.
        putText(config, "clientId", userId);
        putText(config, "secret", secret);
        putText(config, "clientSecret", secret);
        putText(config, "customUsername", Json.text(in, "customUsername"));
        putText(config, "extraAuthParams", Json.text(in, "extraAuthParams"));
        config.put("ssoTokenBufferMinutes", buffer);
        config.put("applicationId", APPLICATION_ID);
        config.put("applicationName", "wickr-local-" + networkId);
        config.put("redirectUrl", redirectUrl(networkId));
        return config;
    }

    /** The configuration, or empty companyId, issuer and scopes when SSO was never set up. */
    private ObjectNode get(Tx tx, Call call, ObjectNode in) {
        NetworkRecord network = Networks.require(tx, call, Json.text(in, "networkId"));
        List<String> exchange = TOKEN_EXCHANGE_INPUTS.stream().filter(in::hasNonNull).toList();
        if (!exchange.isEmpty()) {
            // Names only: some of these inputs are secrets.
            throw ServiceException.badRequest("Wickr Local does not emulate the OAuth token exchange; call GetOidcInfo"
                    + " without " + String.join(", ", exchange) + " to read the network's SSO configuration");
        }
        ObjectNode out = Json.object();
        out.set("openidConnectInfo", OidcConfigStore.find(tx, network.networkId())
                .map(c -> Json.read(c.config()))
                .orElseGet(() -> Json.object().put("companyId", "").put("issuer", "").put("scopes", "")));
        return out;
    }

    static String redirectUrl(String networkId) {
        // .invalid is reserved (RFC 2606): the URL is plainly not a real endpoint.
        return "https://wickr-local.invalid/oidc/" + networkId + "/callback";
    }

    /**
     * The company id: at most 64 letters, digits, dots, hyphens or underscores, and (for a call, whose
     * {@code region} is known) starting with a region prefix and a hyphen: the call's region as AWS
     * names it ("us-east-1-acme") or a Wickr region code ("UE1-acme").
     */
    private static String companyId(String value, String region) {
        if (value == null || value.isEmpty()) {
            throw ServiceException.badRequest("Company ID is required");
        }
        if (!COMPANY_ID.matcher(value).matches() || (region != null && !regionPrefixed(value, region))) {
            throw ServiceException.badRequest("Invalid companyId");
        }
        return value;
    }

    private static boolean regionPrefixed(String companyId, String region) {
        String awsPrefix = region + "-";
        if (companyId.startsWith(awsPrefix) && companyId.length() > awsPrefix.length()) {
            return true;
        }
        int dash = companyId.indexOf('-');
        return dash > 0 && dash < companyId.length() - 1 && WICKR_REGION_CODE.matcher(companyId.substring(0, dash)).matches();
    }

    /** An empty issuer is refused before its shape is looked at, as AWS's examples show. */
    private static String requiredIssuer(ObjectNode in) {
        String issuer = Json.text(in, "issuer");
        if (issuer == null || issuer.isBlank()) {
            throw ServiceException.badRequest("issuer is a required field");
        }
        return issuer;
    }

    /** The scopes as given; they must ask for openid, without which the provider issues no ID token. */
    private static String scopes(ObjectNode in) {
        String scopes = Json.text(in, "scopes");
        boolean openid = scopes != null && Arrays.stream(SCOPE_SEPARATORS.split(scopes.strip()))
                .anyMatch("openid"::equals);
        if (!openid) {
            throw ServiceException.invalid("scopes", "must include openid, as in \"openid profile email\"");
        }
        return scopes;
    }

    private static int tokenBufferMinutes(ObjectNode in) {
        JsonNode v = in.get("ssoTokenBufferMinutes");
        if (v == null || v.isNull()) {
            return DEFAULT_TOKEN_BUFFER_MINUTES;
        }
        int minutes = v.asInt();
        if (!v.canConvertToInt() || minutes < MIN_TOKEN_BUFFER_MINUTES || minutes > MAX_TOKEN_BUFFER_MINUTES) {
            throw ServiceException.invalid("ssoTokenBufferMinutes", "must be between " + MIN_TOKEN_BUFFER_MINUTES
                    + " and " + MAX_TOKEN_BUFFER_MINUTES + " minutes");
        }
        return minutes;
    }

    private static void putText(ObjectNode out, String member, String value) {
        if (value != null) {
            out.put(member, value);
        }
    }

    private static void putList(ObjectNode out, String member, List<String> values) {
        if (values != null) {
            values.forEach(out.putArray(member)::add);
        }
    }
}
