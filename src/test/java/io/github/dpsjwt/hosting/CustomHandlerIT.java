package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.TestFleet;

/**
 * The Azure Functions custom-handler contract, on the packaged application as the Functions host runs
 * it: no arguments, the port in {@code FUNCTIONS_CUSTOMHANDLER_PORT}, the seed's settings in the
 * environment, and {@code POST /api/validatejwt} forwarded as is, with the function key in {@code ?code=}. Runs
 * the native binary when one was built ({@code -Dnative}), else the jar.
 */
class CustomHandlerIT {

    static final String FUNCTION_KEY = "fUnCt1on-k3y";

    /** An allocation for dev-001 as the host forwards it, with the function key. */
    static HttpRequest allocation(PackagedApp app) throws Exception {
        String body = new ObjectMapper().writeValueAsString(
                DpsRequests.individual("dev-001", Jwts.device("ES256", "dev-001").sign(TestFleet.EC.getPrivate())));
        return HttpRequest.newBuilder(URI.create(app.url("/api/validatejwt?code=" + FUNCTION_KEY)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void shouldServeOnThePortTheFunctionsHostGivesFromTheSeedsSettings() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        long started = System.nanoTime();
        String output;
        try (PackagedApp app = PackagedApp.start(PackagedApp.command(), null, "FUNCTIONS_CUSTOMHANDLER_PORT", Map.of(
                "DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()),
                "IOT_HUB_HOSTNAME", "hub-b.azure-devices.net",
                // an operator may turn the access log on: the function key the host forwards must not reach it
                "QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true"))) {
            // until the first 200: refused connections while it starts, 503 while the key loads
            HttpResponse<String> response = app.firstAnswer(client, allocation(app), 60);
            System.out.println("custom handler: process start to first allocation in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"iotHubHostName\":\"hub-b.azure-devices.net\""), response.body());
            app.close();
            output = app.output();
        }
        assertTrue(output.contains("/api/validatejwt?code=<redacted>"), "the access log line, redacted:\n" + output);
        assertTrue(!output.contains(FUNCTION_KEY), "the function key in the log:\n" + output);
    }
}
