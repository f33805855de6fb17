package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged application run as a platform runs it: the native binary when the build made one ({@code -Dnative}),
 * else the jar; its output in a file of its own.
 */
final class PackagedApp implements AutoCloseable {

    final int port;
    /** The management interface's port (health), given as {@code QUARKUS_MANAGEMENT_PORT}. */
    final int managementPort;
    final Process process;
    final Path log;

    private PackagedApp(int port, int managementPort, Process process, Path log) {
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code folder} (null: here) on a free port, named by {@code portVariable}. */
    static PackagedApp start(List<String> command, Path folder, String portVariable, Map<String, String> environment)
            throws IOException {
        int port = freePort();
        int managementPort = freePort();
        Path log = Files.createTempFile("packaged-app", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (folder != null) {
            builder.directory(folder.toFile());
        }
        builder.environment().put(portVariable, Integer.toString(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().putAll(environment);
        return new PackagedApp(port, managementPort, builder.start(), log);
    }

    /** The binary or the jar, on a free port given as {@code QUARKUS_HTTP_PORT}. */
    static PackagedApp start(Map<String, String> environment) throws IOException {
        return start(command(), null, "QUARKUS_HTTP_PORT", environment);
    }

    /** Whether the packaged application under test is the native binary. */
    static boolean isNative() {
        return command().size() == 1;
    }

    /** How to run the packaged application: the native binary when one was built, else the jar. */
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

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A URL on the management interface, where health is. */
    String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /**
     * Sends {@code request} until it is answered with something other than 503 (the keys still loading), as a
     * platform's first request would be, within {@code seconds}.
     */
    HttpResponse<String> firstAnswer(HttpClient client, HttpRequest request, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        HttpResponse<String> response = null;
        while ((response == null || response.statusCode() == 503) && System.nanoTime() < deadline) {
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException notYetListening) {
                assertTrue(process.isAlive(), "the application exited early:\n" + output());
            }
            Thread.sleep(5);
        }
        return response;
    }

    /** Waits until {@code /q/health/ready} answers 200, within 60 s. */
    void awaitReady(HttpClient client) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(java.net.URI.create(managementUrl("/q/health/ready"))).build();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                assertTrue(process.isAlive(), "the application exited early:\n" + output());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not ready within 60 s:\n" + output());
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
