package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every way a user can hand the tool the wrong file: each answer names the file, says what is wrong and what to
 * do, shows no parser internals or exception class, and exits 1.
 */
class CliErrorsTest {

    static final String NEVER = "1970-01-01T00:00:00Z";

    @TempDir
    Path dir;

    @BeforeEach
    void keys() {
        assertEquals(0, Cli.run("keygen", "-o", dir.toString(), "-n", "dev").exitCode);
    }

    String path(String name) {
        return dir.resolve(name).toString();
    }

    static void assertClear(Cli cli, String... phrases) {
        assertEquals(1, cli.exitCode, cli.out + cli.err);
        for (String phrase : phrases) {
            assertTrue(cli.err.contains(phrase), "'" + phrase + "' in: " + cli.err);
        }
        assertFalse(cli.err.contains("Exception"), cli.err);
        assertFalse(cli.err.contains("REDACTED"), cli.err);
        assertFalse(cli.err.contains("at ["), cli.err);
        assertEquals(1, cli.err.strip().lines().count(), "one line: " + cli.err);
    }

    @Test
    void shouldNameAMissingExportAndSaySo() {
        assertClear(Cli.run("import-gcp", path("nope.json"), "-o", path("out")), "cannot read the export", "nope.json",
                "no such file");
    }

    @Test
    void shouldNameAMissingOrWrongPrivateKey() {
        assertClear(Cli.run("simulate", "-r", "dev", "-k", path("nope.pem"), "-u", "http://127.0.0.1:9/"),
                "cannot read the private key", "nope.pem", "no such file");
        assertClear(Cli.run("token", "-r", "dev", "-k", path("dev_public.pem")), "dev_public.pem holds no usable private key",
                "keygen");
        assertClear(Cli.run("token", "-r", "dev", "-k", dir.toString()), "is a folder");
    }

    @Test
    void shouldSayATruncatedExportLooksCutOff() throws Exception {
        Files.writeString(dir.resolve("cut.json"), "[{\"id\":\"dev\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":\"abc");
        assertClear(Cli.run("import-gcp", path("cut.json"), "-o", path("out")), "cut.json ends before its JSON does",
                "line 1", "cut off");
        assertFalse(Files.exists(dir.resolve("out/registry.json")), "nothing written");
    }

    @Test
    void shouldSayAPemIsNotAnExport() {
        assertClear(Cli.run("import-gcp", path("dev_public.pem"), "-o", path("out")), "is a PEM key, not a registry export");
    }

    @Test
    void shouldSayBrokenJsonAndYamlAreNotExports() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "[{\"id\": \"dev\",, }]");
        assertClear(Cli.run("import-gcp", path("bad.json"), "-o", path("out")), "bad.json is not valid JSON", "line 1");
        Files.writeString(dir.resolve("bad.yaml"), "id: dev\ncredentials: [\n");
        assertClear(Cli.run("import-gcp", path("bad.yaml"), "-o", path("out")), "bad.yaml is neither JSON nor the YAML");
    }

    @Test
    void shouldRefuseAnExportWithoutDevices() throws Exception {
        Files.writeString(dir.resolve("empty.json"), "[]");
        Files.writeString(dir.resolve("other.json"), "{\"foo\": 1}");
        assertClear(Cli.run("import-gcp", path("empty.json"), "-o", path("out")), "no devices found in", "empty.json");
        assertClear(Cli.run("import-gcp", path("other.json"), "-o", path("out")), "no devices found in", "other.json");
        assertFalse(Files.exists(dir.resolve("out/registry.json")), "nothing written");
    }

    @Test
    void shouldReadEveryExportFileOfAFolder() throws Exception {
        // docs/migration.md's loop: one 'gcloud iot devices describe --format=json' per device into export/
        Path export = Files.createDirectories(dir.resolve("export"));
        String key = ImportGcpTest.json(Files.readString(dir.resolve("dev_public.pem")));
        for (String id : new String[] { "dev-1", "dev-2" }) {
            Files.writeString(export.resolve(id + ".json"), "{\"id\":\"" + id + "\",\"credentials\":[{\"publicKey\":"
                    + "{\"format\":\"ES256_PEM\",\"key\":" + key + "},\"expirationTime\":\"" + NEVER + "\"}]}");
        }
        Files.writeString(export.resolve("notes.txt"), "not an export");
        Cli cli = Cli.run("import-gcp", export.toString(), "-o", path("out"));
        assertEquals(0, cli.exitCode, cli.out + cli.err);
        assertTrue(cli.out.contains("read 2 devices"), cli.out);
        assertEquals(2, new ObjectMapper().readTree(dir.resolve("out/registry.json").toFile()).size());

        Files.createDirectories(dir.resolve("none"));
        assertClear(Cli.run("import-gcp", path("none"), "-o", path("out")), "holds no export files");
    }

    @Test
    void shouldTakeHubListsWithCommasOrSpacesOnEveryCommand() throws Exception {
        Files.writeString(dir.resolve("one.json"), "{\"id\":\"dev-1\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":"
                + ImportGcpTest.json(Files.readString(dir.resolve("dev_public.pem"))) + "}}]}");
        for (String[] hubs : new String[][] { { "--iot-hubs", "a.azure-devices.net,b.azure-devices.net" },
                { "--iot-hubs", "a.azure-devices.net b.azure-devices.net" },
                { "--iot-hubs", "a.azure-devices.net, b.azure-devices.net" },
                { "--iot-hubs", "a.azure-devices.net", "--iot-hubs", "b.azure-devices.net" } }) {
            String[] args = new String[hubs.length + 4];
            System.arraycopy(new String[] { "import-gcp", path("one.json"), "-o", path("out") }, 0, args, 0, 4);
            System.arraycopy(hubs, 0, args, 4, hubs.length);
            assertEquals(0, Cli.run(args).exitCode);
            assertTrue(Files.readString(dir.resolve("out/create-enrollment.sh"))
                    .contains("IOT_HUBS=${IOT_HUBS:-'a.azure-devices.net b.azure-devices.net'}"), String.join(" ", hubs));
        }
        SimulateCommand simulate = new SimulateCommand();
        picocli.CommandLine line = new picocli.CommandLine(simulate);
        line.parseArgs("-r", "dev", "--hubs", "a.azure-devices.net b.azure-devices.net,c.azure-devices.net");
        assertEquals(java.util.List.of("a.azure-devices.net", "b.azure-devices.net", "c.azure-devices.net"), simulate.hubs);
    }
}
