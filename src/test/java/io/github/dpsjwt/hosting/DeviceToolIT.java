package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration, end to end, with the device tool as a user runs it: keygen, a Google Cloud IoT Core
 * export, import-gcp, the packaged webhook started on the imported registry, and simulate as DPS.
 */
class DeviceToolIT {

    static final Path TOOL = Path.of("device", "target", "dps-device.jar").toAbsolutePath();

    @TempDir
    Path dir;

    Process webhook;

    record Run(int exitCode, String output) {
    }

    static Run tool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                TOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }

    static String json(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    @AfterEach
    void stopWebhook() throws InterruptedException {
        if (webhook != null) {
            webhook.destroy();
            webhook.waitFor();
        }
    }

    @Test
    void shouldMigrateAFleetAndAdmitOnlyItsDevices() throws Exception {
        assertTrue(Files.exists(TOOL), "build the device tool first: ./mvnw package");
        assertEquals(0, tool("keygen", "-o", dir.toString(), "-n", "field").exitCode());
        assertEquals(0, tool("keygen", "-o", dir.toString(), "-n", "stranger").exitCode());
        String publicPem = Files.readString(dir.resolve("field_public.pem"));

        Path export = dir.resolve("gcloud-devices.json");
        Files.writeString(export, "[" + String.join(",",
                "{\"id\":\"field-001\",\"numId\":\"1\",\"blocked\":false,\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":"
                        + json(publicPem) + "},\"expirationTime\":\"1970-01-01T00:00:00Z\"}]}",
                "{\"id\":\"field-blocked\",\"numId\":\"2\",\"blocked\":true,\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":"
                        + json(publicPem) + "},\"expirationTime\":\"1970-01-01T00:00:00Z\"}]}",
                "{\"id\":\"field+003\",\"numId\":\"3\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":"
                        + json(publicPem) + "}}]}") + "]");
        Run imported = tool("import-gcp", export.toString(), "-o", dir.resolve("migration").toString());
        assertEquals(1, imported.exitCode(), imported.output());
        assertTrue(imported.output().contains("read 3 devices: 2 migrate, 1 cannot"), imported.output());
        assertTrue(Files.readString(dir.resolve("migration/report.csv")).contains("field+003,skipped"));

        int port = startWebhook(dir.resolve("migration/registry.json"));
        String url = "http://127.0.0.1:" + port + "/api/validatejwt";

        Run allocated = tool("simulate", "-u", url, "--code", "e2e-key", "-r", "field-001", "-k", dir.resolve("field_private.pem").toString());
        assertEquals(0, allocated.exitCode(), allocated.output());
        assertTrue(allocated.output().contains("allocated: hub-"), allocated.output());

        Run reRegistered = tool("simulate", "-u", url, "--code", "e2e-key", "-r", "field-001", "-k",
                dir.resolve("field_private.pem").toString(), "--group", "gcp-migration", "--current-hub", "hub-b.azure-devices.net");
        assertEquals(0, reRegistered.exitCode(), reRegistered.output());
        assertTrue(reRegistered.output().contains("allocated: hub-b.azure-devices.net"), reRegistered.output());

        Run wrongKey = tool("simulate", "-u", url, "--code", "e2e-key", "-r", "field-001", "-k", dir.resolve("stranger_private.pem").toString());
        assertEquals(1, wrongKey.exitCode(), wrongKey.output());
        assertTrue(wrongKey.output().contains("refused: HTTP 403 token_signature_invalid"), wrongKey.output());

        Run blocked = tool("simulate", "-u", url, "--code", "e2e-key", "-r", "field-blocked", "-k", dir.resolve("field_private.pem").toString());
        assertEquals(1, blocked.exitCode(), blocked.output());
        assertTrue(blocked.output().contains("device_blocked"), blocked.output());

        Run notMigrated = tool("simulate", "-u", url, "--code", "e2e-key", "-r", "field-003", "-k", dir.resolve("field_private.pem").toString());
        assertEquals(1, notMigrated.exitCode(), notMigrated.output());
        assertTrue(notMigrated.output().contains("device_unknown"), notMigrated.output());

        Run noCallerKey = tool("simulate", "-u", url, "-r", "field-001", "-k", dir.resolve("field_private.pem").toString());
        assertEquals(1, noCallerKey.exitCode(), noCallerKey.output());
        assertTrue(noCallerKey.output().contains("400209"), noCallerKey.output());
    }

    private int startWebhook(Path registry) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path nativeBinary = Path.of(System.getProperty("native.image.path", "target/none-runner"));
        List<String> command = Files.isExecutable(nativeBinary) ? List.of(nativeBinary.toAbsolutePath().toString())
                : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                        Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("webhook.log").toFile());
        int managementPort = PackagedApp.freePort();
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("ALLOCATOR_REGISTRY_FILE", registry.toString());
        builder.environment().put("ALLOCATOR_CALLER_KEYS", "e2e-key");
        webhook = builder.start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                assertTrue(webhook.isAlive(), "the webhook exited: " + Files.readString(dir.resolve("webhook.log")));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the webhook was not ready within 60 s");
    }
}
