package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.TestFleet;

/**
 * The Azure Functions custom-handler package as {@code deploy/functions-custom-handler/stage.sh} lays it out around
 * the native binary, started the way the Functions host starts it: the executable and arguments that
 * {@code host.json} names, in the app's folder, with the port in {@code FUNCTIONS_CUSTOMHANDLER_PORT}; then an
 * allocation forwarded as the host forwards it (same path, the function key in {@code ?code=}). Needs the native
 * binary ({@code -Dnative}); skipped on a JVM build.
 */
class FunctionsStagingIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldServeAnAllocationFromTheStagedFolderAsTheFunctionsHostStartsIt() throws Exception {
        Path binary = Path.of(System.getProperty("native.image.path", "target/none-runner"));
        assumeTrue(Files.isExecutable(binary), "the custom-handler package holds the native binary: build with -Dnative");

        Process stage = new ProcessBuilder("bash", "deploy/functions-custom-handler/stage.sh").inheritIO().start();
        assertEquals(0, stage.waitFor());
        Path app = Path.of("target", "functions-custom-handler").toAbsolutePath();
        JsonNode host = JSON.readTree(app.resolve("host.json").toFile());
        JsonNode description = host.path("customHandler").path("description");
        assertTrue(host.path("customHandler").path("enableForwardingHttpRequest").asBoolean(), "requests are forwarded as sent");
        JsonNode function = JSON.readTree(app.resolve("validatejwt/function.json").toFile());
        assertEquals("function", function.path("bindings").get(0).path("authLevel").asText());

        List<String> command = new ArrayList<>();
        command.add(app.resolve(description.path("defaultExecutablePath").asText()).toString());
        description.path("arguments").forEach(argument -> command.add(argument.asText()));
        String workingDirectory = description.path("workingDirectory").asText("");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        long started = System.nanoTime();
        // one management port in the environment for both: host.json's arguments must keep two workers apart
        Map<String, String> environment = Map.of("FUNCTIONS_WORKER_RUNTIME", "custom",
                "DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(PackagedApp.freePort()));
        try (PackagedApp handler = PackagedApp.start(command, app.resolve(workingDirectory), "FUNCTIONS_CUSTOMHANDLER_PORT",
                environment)) {
            // the host gives a custom handler 60 s to serve
            HttpResponse<String> response = handler.firstAnswer(client, CustomHandlerIT.allocation(handler), 60);
            System.out.printf("staged custom handler: start to first allocation in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"iotHubHostName\""), response.body());

            // FUNCTIONS_WORKER_PROCESS_COUNT > 1: the host starts the same command again, on another port
            try (PackagedApp second = PackagedApp.start(command, app.resolve(workingDirectory), "FUNCTIONS_CUSTOMHANDLER_PORT",
                    environment)) {
                HttpResponse<String> secondResponse = second.firstAnswer(client, CustomHandlerIT.allocation(second), 60);
                assertEquals(200, secondResponse.statusCode(), second.output());
            }
        }
    }
}
