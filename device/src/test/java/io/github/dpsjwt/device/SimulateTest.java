package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

class SimulateTest {

    @TempDir
    Path dir;

    HttpServer server;
    final AtomicReference<JsonNode> received = new AtomicReference<>();
    final AtomicReference<String> query = new AtomicReference<>();
    volatile int status = 200;
    volatile String answer = "{\"iotHubHostName\":\"hub-b.azure-devices.net\",\"payload\":{\"iotHubHostName\":\"hub-b.azure-devices.net\"}}";

    @BeforeEach
    void startWebhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/validatejwt", exchange -> {
            received.set(new ObjectMapper().readTree(exchange.getRequestBody()));
            query.set(exchange.getRequestURI().getRawQuery());
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        assertEquals(0, Cli.run("keygen", "-o", dir.toString()).exitCode);
    }

    @AfterEach
    void stopWebhook() {
        server.stop(0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/validatejwt";
    }

    @Test
    void shouldPostWhatDpsPostsAndReportTheAllocation() {
        Cli cli = Cli.run("simulate", "-u", url(), "--code", "s3cret/+", "-r", "dev-1", "-k", dir.resolve("ec_private.pem").toString());
        assertEquals(0, cli.exitCode, cli.out + cli.err);
        assertTrue(cli.out.contains("allocated: hub-b.azure-devices.net"), cli.out);
        JsonNode body = received.get();
        assertEquals("dev-1", body.path("deviceRuntimeContext").path("registrationId").asText());
        assertTrue(body.path("deviceRuntimeContext").path("payload").path("jwt").asText().startsWith("eyJ"));
        assertTrue(body.path("deviceRuntimeContext").path("symmetricKey").isObject());
        assertFalse(body.path("deviceRuntimeContext").has("currentIotHubHostName"));
        assertEquals("dev-1", body.path("individualEnrollment").path("registrationId").asText());
        assertEquals("custom", body.path("individualEnrollment").path("allocationPolicy").asText());
        assertEquals(2, body.path("linkedHubs").size());
        assertEquals("code=s3cret%2F%2B", query.get());
    }

    @Test
    void shouldSimulateAGroupReRegistration() {
        Cli cli = Cli.run("simulate", "-u", url(), "-r", "dev-2", "-k", dir.resolve("ec_private.pem").toString(), "--group", "fleet",
                "--current-hub", "hub-a.azure-devices.net", "--hubs", "hub-a.azure-devices.net");
        assertEquals(0, cli.exitCode, cli.err);
        JsonNode body = received.get();
        assertEquals("fleet", body.path("enrollmentGroup").path("enrollmentGroupId").asText());
        assertFalse(body.has("individualEnrollment"));
        assertEquals("hub-a.azure-devices.net", body.path("deviceRuntimeContext").path("currentIotHubHostName").asText());
        assertEquals("dev-2", body.path("deviceRuntimeContext").path("currentDeviceId").asText());
        assertEquals(1, body.path("linkedHubs").size());
    }

    @Test
    void shouldExitOneOnRefusalAndSayWhatDpsWouldDo() {
        status = 403;
        answer = "{\"error\":\"token_signature_invalid\",\"message\":\"no\"}";
        Cli cli = Cli.run("simulate", "-u", url(), "-r", "dev-3", "-t", "a.b.c");
        assertEquals(1, cli.exitCode);
        assertTrue(cli.out.contains("refused: HTTP 403 token_signature_invalid: no"), cli.out);
        assertTrue(cli.out.contains("400207"), cli.out);
        assertEquals("a.b.c", received.get().path("deviceRuntimeContext").path("payload").path("jwt").asText());
    }

    @Test
    void shouldExitOneWhenTheAnswerNamesNoHub() {
        answer = "{\"iotHubHostName\":\"\"}";
        Cli cli = Cli.run("simulate", "-u", url(), "-r", "dev-4");
        assertEquals(1, cli.exitCode);
        assertTrue(cli.out.contains("400208"), cli.out);
        assertFalse(received.get().path("deviceRuntimeContext").has("payload"));
    }

    @Test
    void shouldExitThreeWhenDpsWouldRetryOrTheWebhookIsUnreachable() throws IOException {
        status = 503;
        answer = "{\"error\":\"registry_not_ready\"}";
        assertEquals(3, Cli.run("simulate", "-u", url(), "-r", "dev-5").exitCode);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli cli = Cli.run("simulate", "-u", "http://127.0.0.1:" + closedPort + "/api/validatejwt", "-r", "dev-5");
        assertEquals(3, cli.exitCode);
        assertTrue(cli.err.contains("cannot reach"), cli.err);
    }
}
