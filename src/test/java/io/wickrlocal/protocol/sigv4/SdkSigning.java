package io.wickrlocal.protocol.sigv4;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the real AWS Java SDK v2 signer and turns the result into what our server receives. */
final class SdkSigning {

    static final String HOST = "admin.wickr.us-east-1.amazonaws.com";

    private SdkSigning() {}

    static SdkHttpFullRequest.Builder request(SdkHttpMethod method, String encodedPath) {
        return SdkHttpFullRequest.builder().method(method).protocol("https").host(HOST).encodedPath(encodedPath);
    }

    static SignedRequest sign(SdkHttpFullRequest.Builder request, byte[] body, AwsCredentialsIdentity identity,
            String region, Clock clock) {
        return sign(request, body, identity, region, clock, r -> {});
    }

    static SignedRequest sign(SdkHttpFullRequest.Builder request, byte[] body, AwsCredentialsIdentity identity,
            String region, Clock clock, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
        SdkHttpFullRequest unsigned = request.build();
        software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(identity)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "wickr")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock);
            extra.accept(r);
        });
        return onTheWire(signed.request(), body);
    }

    /** The request as an HTTP server sees it: encoded path, raw query, lower-case header names. */
    static SignedRequest onTheWire(SdkHttpRequest request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.forEachHeader((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        return new SignedRequest(request.method().name(), request.encodedPath(),
                request.encodedQueryParameters().orElse(null), headers, body);
    }
}
