package io.wickrlocal.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What an identity provider's discovery document says about it, after checking that the members
 * a sign-in needs are there and have the right types. A broken document is the provider's (or
 * the issuer URL's) fault, so every problem is a 400 naming the member.
 */
record OidcProviderMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri,
                            String userinfoEndpoint, String endSessionEndpoint, String revocationEndpoint,
                            String logoutEndpoint, List<String> responseTypesSupported, List<String> scopesSupported,
                            List<String> grantTypesSupported, List<String> tokenEndpointAuthMethodsSupported) {

    /** @param source where the document came from, for messages */
    static OidcProviderMetadata from(JsonNode doc, String source) {
        if (doc == null || !doc.isObject()) {
            throw problem(source, "is not a JSON object");
        }
        Reader r = new Reader(doc, source);
        return new OidcProviderMetadata(
                r.requiredText("issuer"),
                r.requiredText("authorization_endpoint"),
                r.requiredText("token_endpoint"),
                r.requiredText("jwks_uri"),
                r.optionalText("userinfo_endpoint"),
                r.optionalText("end_session_endpoint"),
                r.optionalText("revocation_endpoint"),
                r.optionalText("logout_endpoint"),
                r.requiredTexts("response_types_supported"),
                r.optionalTexts("scopes_supported"),
                r.optionalTexts("grant_types_supported"),
                r.optionalTexts("token_endpoint_auth_methods_supported"));
    }

    private static ServiceException problem(String source, String what) {
        return ServiceException.badRequest("The OpenID Connect discovery document at " + source + " " + what);
    }

    private record Reader(JsonNode doc, String source) {
        String requiredText(String name) {
            String v = optionalText(name);
            if (v == null || v.isBlank()) {
                throw problem(source, "lacks the required member " + name);
            }
            return v;
        }

        String optionalText(String name) {
            JsonNode v = doc.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw problem(source, "has a member " + name + " that is not a string");
            }
            return v.asText();
        }

        List<String> requiredTexts(String name) {
            List<String> v = optionalTexts(name);
            if (v == null || v.isEmpty()) {
                throw problem(source, "lacks the required member " + name);
            }
            return v;
        }

        List<String> optionalTexts(String name) {
            JsonNode v = doc.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                throw problem(source, "has a member " + name + " that is not a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw problem(source, "has a member " + name + " that is not a list of strings");
                }
                out.add(item.asText());
            }
            return List.copyOf(out);
        }
    }
}
