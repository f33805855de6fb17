package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ImportGcpTest {

    static final KeyPair EC;
    static final String EC_PEM;

    static {
        try {
            EC = PemKeys.generateEc();
            EC_PEM = PemKeys.publicPem(EC.getPublic());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @TempDir
    Path dir;

    static String json(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }

    static String device(String id, String format, String key, String expiry, boolean blocked) {
        return "{\"id\":\"" + id + "\",\"numId\":\"123\",\"name\":\"projects/p/locations/l/registries/r/devices/123\",\"blocked\":"
                + blocked + ",\"config\":{\"version\":\"1\"},\"credentials\":[{\"publicKey\":{\"format\":\"" + format + "\",\"key\":"
                + json(key) + "},\"expirationTime\":\"" + expiry + "\"}]}";
    }

    JsonNode registry() throws Exception {
        return new ObjectMapper().readTree(dir.resolve("out/registry.json").toFile());
    }

    @Test
    void shouldMigrateGoodDevicesAndReportTheRest() throws Exception {
        String never = "1970-01-01T00:00:00Z";
        Path export = dir.resolve("export.json");
        Files.writeString(export, "[" + String.join(",", List.of(
                device("dev-ok", "ES256_PEM", EC_PEM, never, false),
                device("dev-blocked", "ES256_PEM", EC_PEM, never, true),
                device("dev+plus", "ES256_PEM", EC_PEM, never, false),
                device("dev-expired", "ES256_PEM", EC_PEM, "2020-01-01T00:00:00Z", false),
                device("dev-rs", "RSA_PEM", PemKeys.publicPem(PemKeys.generateRsa(1024).getPublic()), never, false),
                device("dev-bad-format", "ES384_PEM", EC_PEM, never, false),
                device("Dev-Twin", "ES256_PEM", EC_PEM, never, false),
                device("dev-twin", "ES256_PEM", EC_PEM, never, false),
                device("dev-later", "ES256_PEM", EC_PEM, Instant.now().plusSeconds(86_400).toString(), false))) + "]");
        Cli cli = Cli.run("import-gcp", export.toString(), "-o", dir.resolve("out").toString(),
                "--webhook-url", "https://fn.azurewebsites.net/api/validatejwt?code=k", "--iot-hubs", "hub-a.azure-devices.net");
        assertEquals(1, cli.exitCode, cli.err);
        assertTrue(cli.out.contains("read 9 devices: 3 migrate, 6 cannot"), cli.out);

        JsonNode registry = registry();
        assertEquals(3, registry.size());
        assertEquals("dev-ok", registry.get(0).path("id").asText());
        assertTrue(registry.get(1).path("blocked").asBoolean());
        assertEquals("ES256_PEM", registry.get(0).path("credentials").get(0).path("publicKey").path("format").asText());
        assertEquals(EC_PEM, registry.get(0).path("credentials").get(0).path("publicKey").path("key").asText());

        String report = Files.readString(dir.resolve("out/report.csv"));
        for (String expected : List.of("dev+plus,skipped,id is not a valid DPS registration id",
                "dev-expired,warning,credentials[0] dropped: expired", "dev-expired,skipped,device has no usable credential",
                "dev-rs,warning,credentials[0] dropped: RSA key of 1024 bits", "dev-bad-format,warning,credentials[0] dropped: unsupported key format ES384_PEM",
                "Dev-Twin,skipped,id differs only in case", "dev-twin,skipped,id differs only in case",
                "dev-blocked,warning,\"blocked in Google Cloud IoT Core")) {
            assertTrue(report.contains(expected), "missing '" + expected + "' in\n" + report);
        }
        String script = Files.readString(dir.resolve("out/create-enrollment.sh"));
        assertTrue(script.contains("/enroll.sh\" --resource-group"), script);
        assertTrue(script.contains("'https://fn.azurewebsites.net/api/validatejwt?code=k'"), script);
        assertTrue(Files.isExecutable(dir.resolve("out/create-enrollment.sh")));
        assertEquals(Files.readString(Path.of("../deploy/azure/enroll.sh")), Files.readString(dir.resolve("out/enroll.sh")),
                "the project's enrollment script, with its checks");
        assertTrue(Files.isExecutable(dir.resolve("out/enroll.sh")));
        assertEnrollsTheGroup(dir.resolve("out/create-enrollment.sh"));
    }

    /** Runs the written script against a stand-in az: the group is created with custom allocation through the webhook. */
    private void assertEnrollsTheGroup(Path script) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("az-calls.txt");
        Files.writeString(bin.resolve("az"), "#!/usr/bin/env bash\necho \"$*\" >> '" + calls + "'\n"
                + "case \"$*\" in 'iot dps enrollment-group show'*) exit 3 ;; esac\n");
        assertTrue(bin.resolve("az").toFile().setExecutable(true));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", script.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().put("DPS_NAME", "my-dps");
        builder.environment().put("RESOURCE_GROUP", "rg");
        builder.environment().put("IOT_HUBS", "hub-a.azure-devices.net");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        String create = Files.readAllLines(calls).stream().filter(c -> c.startsWith("iot dps enrollment-group create"))
                .findFirst().orElseThrow(() -> new AssertionError(output));
        assertTrue(create.contains("--allocation-policy custom --webhook-url https://fn.azurewebsites.net/api/validatejwt?code=k"
                + " --api-version 2021-10-01 --iot-hubs hub-a.azure-devices.net"), create);
    }

    @Test
    void shouldReadTheYamlGcloudDescribePrints() throws Exception {
        String indentedKey = EC_PEM.strip().replace("\n", "\n      ");
        Path export = dir.resolve("describe.yaml");
        Files.writeString(export, """
                blocked: false
                config:
                  cloudUpdateTime: '2022-01-01T00:00:00Z'
                credentials:
                - expirationTime: '1970-01-01T00:00:00Z'
                  publicKey:
                    format: ES256_PEM
                    key: |
                      %s
                id: dev-yaml-1
                name: projects/p/locations/l/registries/r/devices/2820001
                numId: '2820001'
                ---
                id: dev-yaml-2
                credentials:
                - publicKey:
                    format: ES256_PEM
                    key: |
                      %s
                """.formatted(indentedKey, indentedKey));
        Cli cli = Cli.run("import-gcp", export.toString(), "-o", dir.resolve("out").toString(), "--individual");
        assertEquals(0, cli.exitCode, cli.out + cli.err);
        assertEquals(2, registry().size());
        assertEquals("dev-yaml-2", registry().get(1).path("id").asText());
        String script = Files.readString(dir.resolve("out/create-enrollment.sh"));
        assertTrue(script.contains("az iot dps enrollment create") && script.contains("--enrollment-id 'dev-yaml-2'"), script);
        assertFalse(script.contains("enrollment-group create"));
    }

    @Test
    void shouldImportOneHundredThousandDevicesInSeconds() throws Exception {
        Path export = dir.resolve("large.json");
        try (BufferedWriter out = Files.newBufferedWriter(export)) {
            out.write("{\"devices\":[");
            for (int i = 0; i < 100_000; i++) {
                out.write((i == 0 ? "" : ",") + device("device-" + i, "ES256_PEM", EC_PEM, "1970-01-01T00:00:00Z", false));
            }
            out.write("]}");
        }
        long started = System.nanoTime();
        Cli cli = Cli.run("import-gcp", export.toString(), "-o", dir.resolve("out").toString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, cli.exitCode, cli.err);
        assertEquals(100_000, registry().size());
        System.out.println("import-gcp: 100,000 devices in " + millis + " ms");
        assertTrue(millis < 30_000, "took " + millis + " ms");
    }
}
