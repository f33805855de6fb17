package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code dps-device registry ...} on a file: every command, what each refuses, and edits that race. */
class RegistryCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path registry;
    Path ecKey;
    Path ecKey2;
    Path rsaKey;

    @BeforeEach
    void keys() {
        assertEquals(0, Cli.run("keygen", "--out-dir", dir.toString(), "--name", "a").exitCode);
        assertEquals(0, Cli.run("keygen", "--out-dir", dir.toString(), "--name", "b").exitCode);
        assertEquals(0, Cli.run("keygen", "--out-dir", dir.toString(), "--name", "r", "--rsa").exitCode);
        ecKey = dir.resolve("a_public.pem");
        ecKey2 = dir.resolve("b_public.pem");
        rsaKey = dir.resolve("r_public.pem");
        registry = dir.resolve("registry.json");
    }

    private Cli registry(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "registry";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--registry";
        all[args.length + 2] = registry.toString();
        return Cli.run(all);
    }

    private JsonNode device(String id) throws Exception {
        for (JsonNode device : JSON.readTree(registry.toFile())) {
            if (device.path("id").asText().equals(id)) {
                return device;
            }
        }
        return null;
    }

    @Test
    void shouldManageDevicesAsGooglesDeviceManagerDid() throws Exception {
        Cli add = registry("add", "dev-1", "--key", ecKey.toString());
        assertEquals(0, add.exitCode, add.err);
        assertTrue(add.out.contains("added dev-1 (ES256_PEM)"), add.out);
        assertEquals(0, registry("add", "dev-2", "--key", Files.readString(rsaKey), "--expires", "2030-01-01T00:00:00Z").exitCode);
        assertEquals("RSA_PEM", device("dev-2").at("/credentials/0/publicKey/format").asText());
        assertEquals("2030-01-01T00:00:00Z", device("dev-2").at("/credentials/0/expirationTime").asText());

        assertEquals(0, registry("block", "DEV-1").exitCode, "ids ignore case, as DPS's do");
        assertTrue(device("dev-1").path("blocked").asBoolean());
        Cli blocked = registry("list", "--blocked");
        assertTrue(blocked.out.contains("dev-1") && !blocked.out.contains("dev-2"), blocked.out);
        assertTrue(blocked.out.contains("1 devices blocked; page 1 of 1"), blocked.out);
        Cli notBlocked = registry("list", "--not-blocked");
        assertTrue(notBlocked.out.contains("dev-2") && !notBlocked.out.contains("dev-1 "), notBlocked.out);
        assertEquals(0, registry("unblock", "dev-1").exitCode);
        assertFalse(device("dev-1").path("blocked").asBoolean());

        assertEquals(0, registry("add-credential", "dev-1", "--key", ecKey2.toString()).exitCode);
        assertEquals(0, registry("add-credential", "dev-1", "--key", rsaKey.toString()).exitCode);
        Cli fourth = registry("add-credential", "dev-1", "--key", dir.resolve("x").toString());
        assertEquals(1, fourth.exitCode);
        Cli full = registry("add-credential", "dev-1", "--key", Files.readString(ecKey2));
        assertEquals(1, full.exitCode);
        assertTrue(full.err.contains("already has 3 credentials"), full.err);
        assertEquals(0, registry("remove-credential", "dev-1", "0").exitCode);
        assertEquals(2, device("dev-1").path("credentials").size());
        assertEquals("ES256_PEM", device("dev-1").at("/credentials/0/publicKey/format").asText(), "the second key is first now");
        Cli noSuch = registry("remove-credential", "dev-1", "5");
        assertTrue(noSuch.err.contains("has no credential 5: it has 2 (0 to 1)"), noSuch.err);

        Cli show = registry("show", "dev-1");
        assertEquals("dev-1", JSON.readTree(show.out).path("id").asText());
        assertEquals(0, registry("remove", "dev-2").exitCode);
        assertEquals(null, device("dev-2"));
        Cli gone = registry("show", "dev-2");
        assertEquals(1, gone.exitCode);
        assertTrue(gone.err.contains("dps-device registry show: no device dev-2"), gone.err);
    }

    @Test
    void shouldPageTheList() throws Exception {
        StringBuilder devices = new StringBuilder("[");
        String pem = JSON.writeValueAsString(Files.readString(ecKey));
        for (int i = 0; i < 250; i++) {
            devices.append(i == 0 ? "" : ",").append("{\"id\":\"d-").append(String.format("%03d", i))
                    .append("\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":").append(pem).append("}}]}");
        }
        Files.writeString(registry, devices.append("]"));
        Cli page = registry("list", "--page", "3", "--page-size", "100");
        assertTrue(page.out.contains("d-200") && page.out.contains("d-249") && !page.out.contains("d-199"), page.out);
        assertTrue(page.out.contains("250 devices; page 3 of 3"), page.out);
        assertTrue(registry("list").out.contains("(--page 2 for more)"));
    }

    @Test
    void shouldKeepWhatItDoesNotEditAndTheFilesShape() throws Exception {
        Files.writeString(registry, "{\"devices\":[{\"id\":\"dev-1\",\"numId\":\"2820001\",\"metadata\":{\"site\":\"lab\"},"
                + "\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + JSON.writeValueAsString(Files.readString(ecKey))
                + "}}]}],\"nextPageToken\":\"\"}");
        assertEquals(0, registry("block", "dev-1").exitCode);
        JsonNode root = JSON.readTree(registry.toFile());
        assertTrue(root.has("nextPageToken"));
        assertEquals("lab", root.at("/devices/0/metadata/site").asText());
        assertEquals("2820001", root.at("/devices/0/numId").asText());
        assertTrue(root.at("/devices/0/blocked").asBoolean());
    }

    @Test
    void shouldRefuseWhatTheWebhookCouldNotUse() throws Exception {
        assertEquals(0, registry("add", "dev-1", "--key", ecKey.toString()).exitCode);
        String before = Files.readString(registry);

        Cli badId = registry("add", "dev 2", "--key", ecKey.toString());
        assertTrue(badId.err.contains("dev 2 is not a valid DPS registration id"), badId.err);
        Cli twice = registry("add", "DEV-1", "--key", ecKey2.toString());
        assertTrue(twice.err.contains("already has a device dev-1"), twice.err);
        Cli privateKey = registry("add", "dev-3", "--key", dir.resolve("a_private.pem").toString());
        assertTrue(privateKey.err.contains("is a private key"), privateKey.err);
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        String p384Pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(p384.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Cli curve = registry("add", "dev-3", "--key", p384Pem);
        assertTrue(curve.err.contains("another curve"), curve.err);
        KeyPairGenerator rsa1024 = KeyPairGenerator.getInstance("RSA");
        rsa1024.initialize(1024);
        String shortRsa = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa1024.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Cli weak = registry("add", "dev-3", "--key", shortRsa);
        assertTrue(weak.err.contains("1024 bits; at least 2048"), weak.err);
        Cli garbage = registry("add", "dev-3", "--key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----");
        assertTrue(garbage.err.contains("cannot be used"), garbage.err);
        Cli when = registry("add", "dev-3", "--key", ecKey.toString(), "--expires", "next tuesday");
        assertTrue(when.err.contains("not an RFC 3339 timestamp"), when.err);
        for (Cli refused : new Cli[] { badId, twice, privateKey, curve, weak, garbage, when }) {
            assertEquals(1, refused.exitCode, refused.err);
            assertFalse(refused.err.contains("Exception"), refused.err);
        }
        assertEquals(before, Files.readString(registry), "nothing written");

        Cli none = Cli.run("registry", "list", "--registry", dir.resolve("missing.json").toString());
        assertTrue(none.err.contains("there is no registry at"), none.err);
        Files.writeString(dir.resolve("broken.json"), "[{\"id\":");
        Cli broken = Cli.run("registry", "block", "x", "--registry", dir.resolve("broken.json").toString());
        assertTrue(broken.err.contains("is not valid JSON (line 1"), broken.err);
    }

    @Test
    void shouldPushOnlyARegistryWhoseEveryDeviceIsUsable() throws Exception {
        Path good = dir.resolve("good.json");
        String pem = JSON.writeValueAsString(Files.readString(ecKey));
        Files.writeString(good, "[{\"id\":\"dev-1\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + pem + "}}]}]");
        Cli push = registry("push", good.toString());
        assertEquals(0, push.exitCode, push.err);
        assertTrue(push.out.contains("pushed 1 devices"), push.out);

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[{\"id\":\"dev-1\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + pem + "}}]},"
                + "{\"id\":\"DEV-1\",\"credentials\":[{\"publicKey\":{\"format\":\"RSA_PEM\",\"key\":" + pem + "}}]},"
                + "{\"id\":\"dev 3\"},{\"id\":\"dev-4\",\"blocked\":\"yes\",\"credentials\":[]}]");
        Cli refused = registry("push", bad.toString());
        assertEquals(1, refused.exitCode);
        assertTrue(refused.err.contains("has 5 problems; nothing was pushed"), refused.err);
        assertTrue(refused.err.contains("DEV-1: the same registration id as dev-1"), refused.err);
        assertTrue(refused.err.contains("DEV-1: credentials[0]: unreadable public key for RSA_PEM"), refused.err);
        assertTrue(refused.err.contains("dev 3: not a valid DPS registration id"), refused.err);
        assertTrue(refused.err.contains("dev-4: 'blocked' is not true or false"), refused.err);
        assertTrue(refused.err.contains("dev-4: no credentials"), refused.err);
        Files.writeString(bad, "[]");
        assertTrue(registry("push", bad.toString()).err.contains("holds no devices; nothing was pushed"));
        assertEquals(Files.readString(good).length() > 0, true);

        Path pulled = dir.resolve("pulled.json");
        assertEquals(0, registry("pull", pulled.toString()).exitCode);

        // push replaces a registry that does not even parse: it is the way out of one
        Files.writeString(registry, "[{\"id\":");
        assertEquals(0, registry("push", good.toString()).exitCode);
        assertEquals(JSON.readTree(good.toFile()), JSON.readTree(pulled.toFile()));
    }

    @Test
    void shouldNotLoseAnotherOperatorsChangeMadeMeanwhile() throws Exception {
        assertEquals(0, registry("add", "dev-1", "--key", ecKey.toString()).exitCode);
        assertEquals(0, registry("add", "dev-2", "--key", ecKey2.toString()).exitCode);
        // the other operator's change takes the file a second further, as a real edit's time would
        RacingStore racing = new RacingStore(new RegistryStore.File(registry), () -> {
            Cli other = registry("block", "dev-2");
            assertEquals(0, other.exitCode, other.err);
            try {
                Files.setLastModifiedTime(registry, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 1000));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        RegistryCommand.edit(racing, false, (doc, where) -> {
            doc.require("dev-1", where).put("blocked", true);
            return "blocked dev-1";
        }, new PrintWriter(out, true), new PrintWriter(err, true));
        assertTrue(err.toString().contains("changed while this change was made; reading it again"), err.toString());
        assertTrue(device("dev-1").path("blocked").asBoolean(), "this edit, made again on the new version");
        assertTrue(device("dev-2").path("blocked").asBoolean(), "the other operator's edit is kept");
    }
}
