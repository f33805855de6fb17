package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dpsjwt.support.Keys;

class RegistryFileReaderTest {

    static final KeyPair EC = Keys.ec();
    static final String PEM = json(Keys.pem(EC.getPublic()));

    @TempDir
    Path dir;

    static String json(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    static String device(String id, String extra) {
        return "{\"id\":\"" + id + "\",\"numId\":\"1\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + PEM
                + "},\"expirationTime\":\"1970-01-01T00:00:00Z\"}]" + extra + "}";
    }

    RegistryFileReader.Result read(String content) throws IOException {
        Path file = dir.resolve("registry.json");
        Files.writeString(file, content);
        return RegistryFileReader.read(file);
    }

    @Test
    void shouldReadTheShapesGcloudAndTheApiPrint() throws Exception {
        assertEquals(2, read("[" + device("a", "") + "," + device("b", "") + "]").devices().size());
        assertEquals(2, read("{\"devices\":[" + device("a", "") + "," + device("b", "") + "],\"nextPageToken\":\"x\"}").devices().size());
        assertEquals(1, read(device("single", "")).devices().size());
        assertEquals(0, read("[]").devices().size());
    }

    @Test
    void shouldReadBlockedFlagExpiryAndIgnoreUnknownFields() throws Exception {
        RegistryFileReader.Result result = read("[" + device("a", ",\"blocked\":true,\"metadata\":{\"k\":\"v\"},\"config\":{}") + ","
                + "{\"id\":\"b\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + PEM
                + "},\"expirationTime\":\"2030-05-01T10:00:00.500Z\"}]}]");
        Device a = result.devices().get("a");
        assertTrue(a.blocked());
        assertNull(a.credentials().get(0).expiresAt());
        assertEquals(Instant.parse("2030-05-01T10:00:00.500Z"), result.devices().get("b").credentials().get(0).expiresAt());
        assertFalse(result.devices().get("b").blocked());
        assertTrue(result.problems().isEmpty());
    }

    @Test
    void shouldLoadTheRestAndReportEachBrokenEntry() throws Exception {
        RegistryFileReader.Result result = read("["
                + device("good", "") + ","
                + "42,"
                + "{\"numId\":\"7\"},"
                + device("bad id!", "") + ","
                + "{\"id\":\"bad-format\",\"credentials\":[{\"publicKey\":{\"format\":\"ES384_PEM\",\"key\":" + PEM + "}}]},"
                + "{\"id\":\"bad-key-text\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":\"AAAA\"}}]},"
                + "{\"id\":\"bad-expiry\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + PEM
                + "},\"expirationTime\":\"tomorrow\"}]},"
                + "{\"id\":\"no-credentials\"},"
                + "{\"id\":\"bad-blocked\",\"blocked\":\"yes\",\"credentials\":[]}"
                + "]");
        assertTrue(result.devices().containsKey("good"));
        String problems = result.problems().stream().map(p -> p.id() + ": " + p.reason()).collect(Collectors.joining("\n"));
        for (String expected : List.of("#1: entry is not a JSON object", "#2: entry has no 'id'", "bad id!: not a valid DPS registration id",
                "bad-format: credentials[0]: unsupported key format 'ES384_PEM'", "bad-key-text: credentials[0]: publicKey.key is not PEM",
                "bad-expiry: credentials[0]: expirationTime", "no-credentials: device has no credentials", "bad-blocked: 'blocked'")) {
            assertTrue(problems.contains(expected), "missing problem '" + expected + "' in\n" + problems);
        }
        // devices whose credentials were all broken are kept, so that they are refused with a precise reason
        assertTrue(result.devices().get("bad-format").credentials().isEmpty());
        assertFalse(problems.contains("BEGIN PUBLIC KEY"), "problems must not quote key material");
    }

    @Test
    void shouldRefuseIdsThatCollideIgnoringCase() throws Exception {
        RegistryFileReader.Result result = read("[" + device("Dev-1", "") + "," + device("dev-1", "") + "," + device("DEV-1", "") + ","
                + device("dev-2", "") + "]");
        assertEquals(List.of("dev-2"), List.copyOf(result.devices().keySet()));
        assertEquals(3, result.problems().size());
    }

    @Test
    void shouldFailOnFilesThatAreNotARegistry() throws Exception {
        assertThrows(IOException.class, () -> read("[" + device("a", "")));
        assertThrows(IOException.class, () -> read("not json"));
        assertThrows(IOException.class, () -> read("\"a string\""));
        assertThrows(IOException.class, () -> read("[] []"));
        assertThrows(IOException.class, () -> RegistryFileReader.read(dir.resolve("missing.json")));
    }

    @Test
    void shouldLoadOneHundredThousandDevicesQuickly() throws Exception {
        Path file = dir.resolve("large.json");
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write('[');
            for (int i = 0; i < 100_000; i++) {
                out.write(i == 0 ? "" : ",");
                out.write(device("device-" + i, ""));
            }
            out.write(']');
        }
        RegistryFileReader.read(file); // warm-up
        long started = System.nanoTime();
        RegistryFileReader.Result result = RegistryFileReader.read(file);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("100,000-device registry read in " + millis + " ms");
        assertEquals(100_000, result.devices().size());
        assertTrue(result.problems().isEmpty());
        assertTrue(millis < 5_000, "100,000 devices took " + millis + " ms");
    }

    @Test
    void shouldReadLargeFilesWhole() throws Exception {
        byte[] content = new byte[(3 << 20) + 12345];
        new java.util.Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("large.bin"), content);
        assertTrue(java.util.Arrays.equals(content, RegistryFileReader.readBytes(file)));
        assertEquals(0, RegistryFileReader.readBytes(Files.write(dir.resolve("empty.bin"), new byte[0])).length);
    }

    static String deviceWithKeys(String id, String... pems) {
        StringBuilder credentials = new StringBuilder();
        for (String pem : pems) {
            credentials.append(credentials.isEmpty() ? "" : ",").append("{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":")
                    .append(json(pem)).append("}}");
        }
        return "{\"id\":\"" + id + "\",\"credentials\":[" + credentials + "]}";
    }

    @Test
    void shouldMarkWhichKeysBelongToOneDeviceAlone() throws Exception {
        String shared = Keys.pem(Keys.ec().getPublic());
        String own = Keys.pem(Keys.ec().getPublic());
        String twice = Keys.pem(Keys.ec().getPublic());
        // the same key with other line breaks is the same key
        String sharedReflowed = shared.replace("\n", "\n\n").replaceFirst("(?m)^(.{20})", "$1\n");
        var devices = read("[" + deviceWithKeys("a", shared, own) + "," + deviceWithKeys("b", sharedReflowed)
                + "," + deviceWithKeys("c", twice, twice) + "]").devices();
        assertEquals(KeyOwners.SEVERAL_DEVICES, devices.get("a").credentials().get(0).keyOwners());
        assertEquals(KeyOwners.ONE_DEVICE, devices.get("a").credentials().get(1).keyOwners());
        assertEquals(KeyOwners.SEVERAL_DEVICES, devices.get("b").credentials().get(0).keyOwners());
        assertEquals(KeyOwners.ONE_DEVICE, devices.get("c").credentials().get(0).keyOwners(), "one device's key listed twice");
        assertEquals(KeyOwners.ONE_DEVICE, devices.get("c").credentials().get(1).keyOwners());

        byte[] entry = deviceWithKeys("d", own).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(KeyOwners.NOT_KNOWN_YET, RegistryFileReader.readEntry(entry, 0, entry.length).orElseThrow().credentials().get(0)
                .keyOwners(), "an entry read alone, for the index, cannot know the other entries' keys");
    }
}
