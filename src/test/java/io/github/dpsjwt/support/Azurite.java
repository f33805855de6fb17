package io.github.dpsjwt.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * A real Azurite Blob service for the tests, installed from npm on first use (into
 * {@code ~/.cache/dps-jwt-allocator}, about 40 s once) and started on a free loopback port, one per test JVM,
 * stopped when the JVM exits. Needs Node 20 or later on the PATH.
 */
public final class Azurite {

    public static final String VERSION = "3.35.0";
    /** Azurite's well-known development account: public, the same on every machine, not a secret. */
    public static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Pattern LISTENING = Pattern.compile("successfully listens on (http://\\S+)");

    private static Azurite shared;

    private final Process process;
    private final String endpoint;

    private Azurite(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The one Azurite of this JVM, started on first use. */
    public static synchronized Azurite shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy));
        }
        return shared;
    }

    /** Where Azurite is installed, with npm when it is not there yet. */
    public static Path install() {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "dps-jwt-allocator", "azurite-" + VERSION);
        Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
        if (Files.isRegularFile(main)) {
            return main;
        }
        try {
            Files.createDirectories(home);
            Process npm = new ProcessBuilder("npm", "install", "--prefix", home.toString(), "--no-audit", "--no-fund",
                    "--loglevel=error", "azurite@" + VERSION).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isRegularFile(main)) {
                throw new IllegalStateException("npm install azurite@" + VERSION + " failed:\n" + output);
            }
            return main;
        } catch (IOException e) {
            throw new IllegalStateException("the Blob tests need Node 20+ and npm on the PATH to install Azurite: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Azurite start() {
        Path main = install();
        try {
            Process process = new ProcessBuilder(List.of("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                    "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose"))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            // go on draining its output, or Azurite blocks once the pipe is full
                            Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "azurite-output");
                            drain.setDaemon(true);
                            drain.start();
                            return m.group(1);
                        }
                        seen.append(line).append('\n');
                    }
                } catch (IOException e) {
                    seen.append(e);
                }
                throw new IllegalStateException("Azurite did not start:\n" + seen);
            });
            return new Azurite(process, url.get(60, TimeUnit.SECONDS) + "/" + ACCOUNT);
        } catch (Exception e) {
            throw new IllegalStateException("Azurite did not start: " + e.getMessage(), e);
        }
    }

    /** The account's Blob endpoint, e.g. {@code http://127.0.0.1:41234/devstoreaccount1}. */
    public String endpoint() {
        return endpoint;
    }

    /** The development account's connection string, for this Azurite's port. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint=" + endpoint + ";";
    }

    /** A connection string with a key Azurite does not know: every request is refused with 403. */
    public String wrongKeyConnectionString() {
        return connectionString().replace(KEY, KEY.substring(0, 10) + "AAAAAAAAAA" + KEY.substring(20));
    }

    /** The blob {@code container/name}, its container created if need be. */
    public BlobClient blob(String container, String name) {
        BlobContainerClient client = new BlobServiceClientBuilder().connectionString(connectionString()).buildClient()
                .getBlobContainerClient(container);
        client.createIfNotExists();
        return client.getBlobClient(name);
    }

    /** The blob's full URL, without credentials. */
    public String url(String container, String name) {
        return endpoint + "/" + container + "/" + name;
    }

    /** Writes {@code text} as the blob's new version. */
    public void upload(String container, String name, String text) {
        blob(container, name).upload(BinaryData.fromString(text), true);
    }
}
