package io.wickrlocal;

import io.wickrlocal.service.Call;
import io.wickrlocal.service.Json;
import io.wickrlocal.service.WickrService;
import io.wickrlocal.store.SqliteDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

/**
 * Exercises the start-up and request paths once, so that a JVM run with
 * -XX:ArchiveClassesAtExit records every class a real start needs (see the pom).
 */
final class WarmUp {
    private WarmUp() {}

    static void run(ServerSettings settings) throws Exception {
        try (WickrLocalServer server = WickrLocalServer.start(settings, SqliteDatabase::inMemory)) {
            HttpClient http = HttpClient.newHttpClient();
            http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/_local/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
            // An unsigned and a badly signed call walk the routing, binding and signature code.
            http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/networks/12345678/users/toggleSuspend?suspend=true"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"userIds\":[\"1\"]}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/networks"))
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/wickr/aws4_request,"
                            + " SignedHeaders=host;x-amz-date, Signature=00")
                    .header("X-Amz-Date", "20260101T000000Z").build(), HttpResponse.BodyHandlers.discarding());
        }
        // The service and store paths, without HTTP.
        try (SqliteDatabase db = SqliteDatabase.inMemory()) {
            WickrService service = new WickrService(db, Clock.systemUTC());
            Call call = new Call("000000000000", "us-east-1", "warm-up", "warm-up");
            var create = Json.object();
            create.put("networkName", "warm-up");
            create.put("accessLevel", "STANDARD");
            String networkId = service.invoke("CreateNetwork", call, create, null, null).get("networkId").asText();
            var list = Json.object();
            list.put("networkId", networkId);
            service.invoke("ListUsers", call, list, null, null);
            service.invoke("ListSecurityGroups", call, list, null, null);
        }
    }
}
