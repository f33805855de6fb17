package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class ProvisionTest {

    static final String GROUP_KEY = "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==";
    static final String ID = "sn-007-888-abc-mac-a1-b2-c3-d4-e5-f6";

    @TempDir
    Path dir;

    @BeforeEach
    void keys() {
        assertEquals(0, Cli.run("keygen", "-o", dir.toString()).exitCode);
    }

    ProvisionCommand parse(String... args) {
        ProvisionCommand command = new ProvisionCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void shouldPresentTheGroupDerivedKeyAndTheDeviceSignedToken() throws Exception {
        ProvisionCommand command = parse("--id-scope", "0ne00000000", "-r", ID, "--group-key", GROUP_KEY, "-k",
                dir.resolve("ec_private.pem").toString(), "--aud", "my-project");
        ProvisionCommand.Registration registration = command.prepare();
        assertEquals("Jsm0lyGpjaVYVP2g3FnmnmG9dI/9qU24wNoykUmermc=", registration.deviceKey());
        JsonNode payload = new ObjectMapper().readTree(registration.payload());
        String token = payload.path("jwt").asText();
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(ID, claims.path("registration_id").asText());
        assertEquals("my-project", claims.path("aud").asText());
        assertEquals(1, payload.size(), "the payload is exactly {\"jwt\": ...}, as the seed's device sends");
    }

    @Test
    void shouldUseAnIndividualKeyAsGiven() throws Exception {
        ProvisionCommand command = parse("--id-scope", "0ne00000000", "-r", "dev-1", "--symmetric-key", " aGVsbG8= ", "-k",
                dir.resolve("ec_private.pem").toString());
        assertEquals("aGVsbG8=", command.prepare().deviceKey());
    }

    @Test
    void shouldStopBeforeTheNetworkOnDryRun() {
        Cli cli = Cli.run("provision", "--id-scope", "0ne00000000", "-r", ID, "--group-key", GROUP_KEY, "-k",
                dir.resolve("ec_private.pem").toString(), "--dry-run");
        assertEquals(0, cli.exitCode, cli.err);
        assertTrue(cli.out.contains("group-derived key"), cli.out);
        assertTrue(cli.out.contains("payload: {\"jwt\":\"eyJ"), cli.out);
    }

    @Test
    void shouldExitThreeWhenDpsCannotBeReached() {
        // nothing listens for MQTT on this machine: the SDK's connection is refused
        Cli cli = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(90),
                () -> Cli.run("provision", "--id-scope", "0ne00000000", "-r", ID, "--group-key", GROUP_KEY, "-k",
                        dir.resolve("ec_private.pem").toString(), "--global-endpoint", "127.0.0.1"));
        assertEquals(3, cli.exitCode, cli.out + cli.err);
        assertTrue(cli.err.contains("cannot register with DPS at 127.0.0.1: Failed to register: "), cli.err);
        // the root cause, not only the SDK's "Failed to register"
        assertTrue(cli.err.matches("(?s).*Failed to register: \\w+(Exception|Error): .+; check the network.*"), cli.err);
    }

    @Test
    void shouldRequireExactlyOneAttestationKey() {
        String key = dir.resolve("ec_private.pem").toString();
        assertEquals(2, Cli.run("provision", "--id-scope", "s", "-r", ID, "-k", key).exitCode);
        assertEquals(2, Cli.run("provision", "--id-scope", "s", "-r", ID, "-k", key, "--group-key", GROUP_KEY, "--symmetric-key", "x")
                .exitCode);
        assertEquals(1, Cli.run("provision", "--id-scope", "s", "-r", ID, "-k", key, "--group-key", "not base64!", "--dry-run")
                .exitCode);
    }
}
