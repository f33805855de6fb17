package io.github.dpsjwt.hosting;

import static io.github.dpsjwt.hosting.DeviceToolIT.tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.Azurite;
import io.github.dpsjwt.support.DpsRequests;

/**
 * The packaged webhook (the native binary when one is built) following its registry while the device tool edits
 * it, as an operator would: on a file, and on a blob in a real Azurite. A device blocked with
 * {@code dps-device registry block} is refused within the refresh (1 s here) plus 2 s.
 */
class LiveRegistryIT {

    static final long BOUND_MILLIS = 3_000;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private int allocate(PackagedApp app, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.url("/api/validatejwt")))
                .header("content-type", "application/json").header("x-functions-key", "live-key")
                .POST(HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(DpsRequests.individual("dev-1", token))))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private long millisUntil(PackagedApp app, String token, int status) throws Exception {
        long started = System.nanoTime();
        while (allocate(app, token) != status) {
            assertTrue(System.nanoTime() - started < 20_000_000_000L, "still not " + status + " after 20 s:\n" + app.output());
            Thread.sleep(50);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Adds dev-1 with the tool and returns a token it signed. */
    private String device(List<String> registry) throws Exception {
        assertEquals(0, tool("keygen", "-o", dir.toString(), "-n", "dev").exitCode());
        List<String> add = new ArrayList<>(List.of("registry", "add", "dev-1", "--key", dir.resolve("dev_public.pem").toString()));
        add.addAll(registry);
        DeviceToolIT.Run added = tool(add.toArray(String[]::new));
        assertEquals(0, added.exitCode(), added.output());
        DeviceToolIT.Run token = tool("token", "-k", dir.resolve("dev_private.pem").toString(), "-r", "dev-1");
        assertEquals(0, token.exitCode(), token.output());
        return token.output().strip();
    }

    private void blockAndUnblock(PackagedApp app, String token, List<String> registry) throws Exception {
        app.awaitReady(http);
        assertEquals(200, allocate(app, token));
        List<String> block = new ArrayList<>(List.of("registry", "block", "dev-1"));
        block.addAll(registry);
        DeviceToolIT.Run blocked = tool(block.toArray(String[]::new));
        assertEquals(0, blocked.exitCode(), blocked.output());
        long refusedAfter = millisUntil(app, token, 403);
        assertTrue(refusedAfter <= BOUND_MILLIS, "blocked, refused after " + refusedAfter + " ms");

        List<String> unblock = new ArrayList<>(List.of("registry", "unblock", "dev-1"));
        unblock.addAll(registry);
        assertEquals(0, tool(unblock.toArray(String[]::new)).exitCode());
        long admittedAfter = millisUntil(app, token, 200);
        assertTrue(admittedAfter <= BOUND_MILLIS, "unblocked, admitted after " + admittedAfter + " ms");
    }

    @Test
    void shouldFollowARegistryFileEditedWithTheDeviceTool() throws Exception {
        Path file = dir.resolve("registry.json");
        List<String> registry = List.of("--registry", file.toString());
        String token = device(registry);
        try (PackagedApp app = PackagedApp.start(Map.of("ALLOCATOR_REGISTRY_FILE", file.toString(),
                "ALLOCATOR_REGISTRY_REFRESH", "1s", "ALLOCATOR_CALLER_KEYS", "live-key"))) {
            blockAndUnblock(app, token, registry);
        }
    }

    @Test
    void shouldFollowARegistryBlobEditedWithTheDeviceTool() throws Exception {
        Azurite azurite = Azurite.shared();
        String container = "live-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.blob(container, "registry.json");
        String url = azurite.url(container, "registry.json");
        List<String> registry = List.of("--registry", url, "--connection-string", azurite.connectionString());
        String token = device(registry);
        Map<String, String> environment = new HashMap<>(Map.of("ALLOCATOR_REGISTRY_BLOB_URL", url,
                "ALLOCATOR_REGISTRY_BLOB_CONNECTION_STRING", azurite.connectionString(),
                "ALLOCATOR_REGISTRY_REFRESH", "1s", "ALLOCATOR_CALLER_KEYS", "live-key"));
        try (PackagedApp app = PackagedApp.start(environment)) {
            blockAndUnblock(app, token, registry);
            String ready = http.send(HttpRequest.newBuilder(URI.create(app.managementUrl("/q/health/ready"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(ready.contains("\"devices\": 1") || ready.contains("\"devices\":1"), ready);
            assertFalse(app.output().contains("AccountKey"), "the connection string is never logged");
        }
    }
}
