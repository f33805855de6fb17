package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.TestFleet;

/**
 * The Azure Functions custom-handler contract, on the packaged application as the Functions host runs
 * it: no arguments, the port in {@code FUNCTIONS_CUSTOMHANDLER_PORT}, the seed's settings in the
 * environment, and {@code POST /api/validatejwt} forwarded as is. Runs the native binary when one was
 * built ({@code -Dnative}), else the jar.
 */
class CustomHandlerIT {

    static final String FUNCTION_KEY = "fUnCt1on-k3y";

    @Test
    void shouldServeOnThePortTheFunctionsHostGivesFromTheSeedsSettings() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("custom-handler", ".log");
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FUNCTIONS_CUSTOMHANDLER_PORT", Integer.toString(port));
        builder.environment().put("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()));
        builder.environment().put("IOT_HUB_HOSTNAME", "hub-b.azure-devices.net");
        // an operator may turn the access log on: the function key the host forwards in ?code= must not reach it
        builder.environment().put("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true");
        String body = new ObjectMapper().writeValueAsString(
                DpsRequests.individual("dev-001", Jwts.device("ES256", "dev-001").sign(TestFleet.EC.getPrivate())));

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/validatejwt?code=" + FUNCTION_KEY))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();

        long started = System.nanoTime();
        Process process = builder.start();
        try {
            HttpResponse<String> response = null;
            // until the first 200: refused connections while it starts, 503 while the key loads
            while ((response == null || response.statusCode() == 503) && System.nanoTime() - started < 60_000_000_000L) {
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException notYetListening) {
                    assertTrue(process.isAlive(), "the handler exited early");
                }
                Thread.sleep(10);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("custom handler: process start to first allocation in " + millis + " ms");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"iotHubHostName\":\"hub-b.azure-devices.net\""), response.body());
        } finally {
            process.destroy();
            process.waitFor();
        }
        String output = Files.readString(log);
        assertTrue(output.contains("/api/validatejwt?code=<redacted>"), "the access log line, redacted:\n" + output);
        assertTrue(!output.contains(FUNCTION_KEY), "the function key in the log:\n" + output);
    }

    static List<String> command() {
        Path nativeBinary = Path.of(System.getProperty("native.image.path", "target/none-runner"));
        if (Files.isExecutable(nativeBinary)) {
            return List.of(nativeBinary.toAbsolutePath().toString());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString());
        return command;
    }
}
