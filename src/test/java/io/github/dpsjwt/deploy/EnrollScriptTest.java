package io.github.dpsjwt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/azure/enroll.sh against a stand-in {@code az} that records its calls: each precondition fails with its own
 * message before anything is changed, and a group is created, or updated when it exists, with custom allocation.
 */
class EnrollScriptTest {

    private static final String SCRIPT = "deploy/azure/enroll.sh";
    private static final String WEBHOOK = "https://dps-alloc.azurewebsites.net/api/validatejwt?code=s3cret";

    @TempDir
    Path dir;

    record Run(int exit, String output, List<String> azCalls) {
    }

    /** A fake az: answers 'account show', 'extension show', 'iot dps show' and 'enrollment-group show' as told. */
    private Path fakeAz(boolean loggedIn, boolean extension, boolean groupExists) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/usr/bin/env bash\n"
                + "echo \"$*\" >> \"" + dir.resolve("calls.txt") + "\"\n"
                + "case \"$*\" in\n"
                + "  'account show'*) exit " + (loggedIn ? 0 : 1) + " ;;\n"
                + "  'extension show'*) exit " + (extension ? 0 : 1) + " ;;\n"
                + "  'iot dps show'*) exit 0 ;;\n"
                + "  'iot dps enrollment-group show'*) exit " + (groupExists ? 0 : 3) + " ;;\n"
                + "  *) exit 0 ;;\n"
                + "esac\n");
        assertTrue(az.toFile().setExecutable(true));
        return bin;
    }

    private Run run(Path bin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash", SCRIPT));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> List.of("RESOURCE_GROUP", "DPS_NAME", "ENROLLMENT_ID", "WEBHOOK_URL", "IOT_HUBS").contains(key));
        // no az at all: a PATH with nothing on it (a real az, as on CI runners, must not answer)
        env.put("PATH", bin == null ? Files.createDirectories(dir.resolve("empty")).toString() : bin + ":/usr/bin:/bin");
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Path calls = dir.resolve("calls.txt");
        return new Run(process.exitValue(), output, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    private static String[] args(String webhook, String hubs) {
        return new String[] {"--resource-group", "rg", "--dps", "my-dps", "--enrollment-id", "gcp-fleet",
                "--webhook-url", webhook, "--iot-hubs", hubs};
    }

    @Test
    void shouldCreateTheGroupWithCustomAllocation() throws Exception {
        Run run = run(fakeAz(true, true, false), args(WEBHOOK, "hub-a.azure-devices.net hub-b.azure-devices.net"));
        assertEquals(0, run.exit(), run.output());
        String create = run.azCalls().stream().filter(c -> c.startsWith("iot dps enrollment-group create")).findFirst()
                .orElseThrow(() -> new AssertionError(run.azCalls().toString()));
        assertTrue(create.contains("--enrollment-id gcp-fleet --attestation-type symmetrickey --allocation-policy custom"
                + " --webhook-url " + WEBHOOK + " --api-version 2021-10-01 --iot-hubs hub-a.azure-devices.net hub-b.azure-devices.net"), create);
        assertTrue(run.output().contains("enrollment group gcp-fleet created"), run.output());
        assertFalse(run.output().contains("s3cret"), "the key is not printed");
    }

    @Test
    void shouldUpdateAGroupThatExists() throws Exception {
        Run run = run(fakeAz(true, true, true), args(WEBHOOK, "hub-a.azure-devices.net"));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.azCalls().stream().anyMatch(c -> c.startsWith("iot dps enrollment-group update")
                && c.contains("--allocation-policy custom")), run.azCalls().toString());
        assertTrue(run.azCalls().stream().noneMatch(c -> c.startsWith("iot dps enrollment-group create")));
        assertTrue(run.output().contains("updated"), run.output());
    }

    @Test
    void shouldSayWhatToDoForEachMissingPrecondition() throws Exception {
        Run noAz = run(null, args(WEBHOOK, "hub-a.azure-devices.net"));
        assertEquals(1, noAz.exit());
        assertTrue(noAz.output().contains("az) is not installed"), noAz.output());

        Run loggedOut = run(fakeAz(false, true, false), args(WEBHOOK, "hub-a.azure-devices.net"));
        assertEquals(1, loggedOut.exit());
        assertTrue(loggedOut.output().contains("run az login"), loggedOut.output());

        Run noExtension = run(fakeAz(true, false, false), args(WEBHOOK, "hub-a.azure-devices.net"));
        assertEquals(1, noExtension.exit());
        assertTrue(noExtension.output().contains("az extension add --name azure-iot"), noExtension.output());
        assertTrue(noExtension.azCalls().stream().noneMatch(c -> c.contains("enrollment-group")), "nothing changed");
    }

    @Test
    void shouldRefusePlaceholdersAndAWebhookWithoutItsKey() throws Exception {
        Path bin = fakeAz(true, true, false);
        Run placeholder = run(bin, args(WEBHOOK, "<hub-name>.azure-devices.net"));
        assertEquals(1, placeholder.exit());
        assertTrue(placeholder.output().contains("--iot-hubs still holds a placeholder"), placeholder.output());

        Run keyPlaceholder = run(bin, args("https://app.azurewebsites.net/api/validatejwt?code=<function-key>", "h.azure-devices.net"));
        assertEquals(1, keyPlaceholder.exit());
        assertTrue(keyPlaceholder.output().contains("--webhook-url still holds a placeholder"), keyPlaceholder.output());

        Run noKey = run(bin, args("https://app.azurewebsites.net/api/validatejwt", "h.azure-devices.net"));
        assertEquals(1, noKey.exit());
        assertTrue(noKey.output().contains("no ?code=<key>"), noKey.output());

        Run http = run(bin, args("http://app.example/api/validatejwt?code=k", "h.azure-devices.net"));
        assertEquals(1, http.exit());
        assertTrue(http.output().contains("must be https://"), http.output());
        assertTrue(placeholder.azCalls().isEmpty() && noKey.azCalls().isEmpty(), "checked before az is asked anything");

        Run missing = run(bin, "--dps", "my-dps");
        assertEquals(2, missing.exit());
        assertTrue(missing.output().contains("--resource-group is missing"), missing.output());
    }
}
