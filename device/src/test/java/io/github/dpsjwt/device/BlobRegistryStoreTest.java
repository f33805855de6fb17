package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * The registry commands on a blob in a real Azurite: If-Match on the ETag, so a change made meanwhile is never
 * overwritten. Azurite comes from the webhook's test set-up (installed from npm into ~/.cache/dps-jwt-allocator),
 * or from npm here when this project is built alone.
 */
class BlobRegistryStoreTest {

    private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static Process azurite;
    private static String connectionString;

    @TempDir
    Path dir;

    @BeforeAll
    static void startAzurite() throws Exception {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "dps-jwt-allocator", "azurite-3.35.0");
        Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
        if (!Files.isRegularFile(main)) {
            Process npm = new ProcessBuilder("npm", "install", "--prefix", home.toString(), "--no-audit", "--no-fund",
                    "azurite@3.35.0").inheritIO().start();
            assertEquals(0, npm.waitFor(), "npm install azurite");
        }
        azurite = new ProcessBuilder("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(azurite.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.contains("successfully listens on ")) {
            // the start-up lines before the address
        }
        assertTrue(line != null, "Azurite started");
        String endpoint = line.substring(line.indexOf("http://")).strip() + "/devstoreaccount1";
        connectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY + ";BlobEndpoint=" + endpoint + ";";
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // Azurite blocks once its output pipe is full
                }
            } catch (java.io.IOException stopped) {
                // Azurite was stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.destroy();
    }

    private BlobClient blob(String container) {
        var client = new BlobServiceClientBuilder().connectionString(connectionString).buildClient().getBlobContainerClient(container);
        client.createIfNotExists();
        return client.getBlobClient("registry.json");
    }

    @Test
    void shouldEditABlobAndNeverOverwriteAChangeMadeMeanwhile() throws Exception {
        String container = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        BlobClient blob = blob(container);
        String url = blob.getBlobUrl();
        assertEquals(0, Cli.run("keygen", "--out-dir", dir.toString(), "--name", "a").exitCode);
        String key = dir.resolve("a_public.pem").toString();

        Cli add = Cli.run("registry", "add", "dev-1", "--key", key, "--registry", url, "--connection-string", connectionString);
        assertEquals(0, add.exitCode, add.err);
        assertEquals(0, Cli.run("registry", "add", "dev-2", "--key", key, "--registry", url, "--connection-string", connectionString).exitCode);
        Cli list = Cli.run("registry", "list", "--registry", url, "--connection-string", connectionString);
        assertTrue(list.out.contains("2 devices; page 1 of 1"), list.out);

        RegistryStore store = RegistryStore.of(url, connectionString);
        RegistryStore.Snapshot read = store.read();
        blob.upload(BinaryData.fromString(new String(read.text(), StandardCharsets.UTF_8).replace("\"dev-2\"", "\"dev-2b\"")), true);
        assertThrows(RegistryStore.Conflict.class, () -> store.write(read.text(), read.version()), "If-Match on the ETag read");

        // an edit that loses the race reads the registry again and is made again on the other operator's version
        RegistryStore racing = new RacingStore(store, () -> {
            Cli other = Cli.run("registry", "block", "dev-2b", "--registry", url, "--connection-string", connectionString);
            assertEquals(0, other.exitCode, other.err);
        });
        StringWriter err = new StringWriter();
        RegistryCommand.edit(racing, false, (registry, where) -> {
            registry.require("dev-1", where).put("blocked", true);
            return "blocked dev-1";
        }, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertTrue(err.toString().contains("reading it again"), err.toString());
        String now = blob.downloadContent().toString();
        assertTrue(now.matches("(?s).*\"id\" : \"dev-1\",\\s*\"blocked\" : true.*"), now);
        assertTrue(now.matches("(?s).*\"id\" : \"dev-2b\",\\s*\"blocked\" : true.*"), now);

        Path pulled = dir.resolve("pulled.json");
        assertEquals(0, Cli.run("registry", "pull", pulled.toString(), "--registry", url, "--connection-string", connectionString).exitCode);
        assertEquals(now, Files.readString(pulled));
        Cli pushed = Cli.run("registry", "push", pulled.toString(), "--registry", url.replace("registry.json", "copy.json"),
                "--connection-string", connectionString);
        assertEquals(0, pushed.exitCode, pushed.err);
    }

    @Test
    void shouldSayWhatTheStoreRefusedWithoutSecrets() throws Exception {
        String container = "ops-" + UUID.randomUUID().toString().substring(0, 8);
        String url = blob(container).getBlobUrl();
        String wrong = connectionString.replace(KEY.substring(0, 12), "AAAAAAAAAAAA");
        Cli denied = Cli.run("registry", "list", "--registry", url, "--connection-string", wrong);
        assertEquals(1, denied.exitCode);
        assertTrue(denied.err.contains("the store answered 403"), denied.err);
        assertTrue(!denied.err.contains("AccountKey") && !denied.err.contains(KEY.substring(20)), denied.err);

        Cli missing = Cli.run("registry", "list", "--registry", url, "--connection-string", connectionString);
        assertTrue(missing.err.contains("there is no registry at " + url), missing.err);

        // a new account: the first write makes the container
        assertEquals(0, Cli.run("keygen", "--out-dir", dir.toString(), "--name", "k").exitCode);
        String fresh = url.replace(container, "new-" + container);
        Cli first = Cli.run("registry", "add", "dev-1", "--key", dir.resolve("k_public.pem").toString(), "--registry", fresh,
                "--connection-string", connectionString);
        assertEquals(0, first.exitCode, first.err);

        long started = System.nanoTime();
        Cli unreachable = Cli.run("registry", "list", "--registry", "http://127.0.0.1:9/devstoreaccount1/c/registry.json",
                "--connection-string", connectionString);
        assertTrue(unreachable.err.contains("cannot reach the registry blob"), unreachable.err);
        assertTrue(System.nanoTime() - started < 15_000_000_000L, "a store that is down is reported within seconds");
    }
}
