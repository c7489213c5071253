package com.example;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.wickr.WickrClient;

/** The AWS SDK's WickrClient, pointed at a Wickr Local server instead of AWS. */
final class WickrClients {
    private WickrClients() {
    }

    static WickrClient local(URI endpoint) {
        return WickrClient.builder()
                .endpointOverride(endpoint)          // the server, instead of AWS's endpoint
                .region(Region.US_EAST_1)            // any region; each has its own networks
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")))  // what the server accepts by default
                .httpClient(Apache5HttpClient.create())  // it can send PATCH; the URL-connection client cannot
                .build();
    }
}
