package io.github.dpsjwt.device;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code simulate}: act as DPS and call a webhook as DPS would for one device. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = { "Act as DPS and call a custom allocation webhook for one device.",
                "Posts the AllocationRequest DPS would send for the device to the webhook,",
                "print the decision and the response, and exit 1 when the webhook refuses the device.",
                "Tests a deployment, or ./mvnw quarkus:dev, without Azure." })
final class SimulateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = { "-u", "--url" }, defaultValue = "http://localhost:8080/api/validatejwt",
            description = "The webhook URL (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--code", description = "The webhook key, sent as ?code= as DPS does when it is in the webhook URL.")
    String code;

    @Option(names = { "-r", "--registration-id" }, required = true, description = "The device's registration id.")
    String registrationId;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    TokenSource tokenSource;

    static final class TokenSource {
        @Option(names = { "-k", "--key" }, description = "Mint the device's token with this private key PEM.")
        Path key;

        @Option(names = { "-t", "--token" }, description = "Send this token as it is.")
        String token;
    }

    @Mixin
    TokenOptions claims;

    @Option(names = "--hubs", split = HubLists.SPLIT, defaultValue = "hub-a.azure-devices.net,hub-b.azure-devices.net",
            description = "The enrollment's linked hubs, separated by commas or spaces, or the option repeated (default: ${DEFAULT-VALUE}).")
    List<String> hubs;

    @Option(names = "--current-hub", description = "Simulate a re-registration of a device now on this hub.")
    String currentHub;

    @Option(names = "--group", description = "Register through this enrollment group instead of an individual enrollment.")
    String group;

    @Option(names = "--api-version", defaultValue = "2021-10-01", description = "The enrollment's webhook API version (default: ${DEFAULT-VALUE}).")
    String apiVersion;

    @Option(names = "--timeout", defaultValue = "PT10S", converter = Durations.class, description = "How long to wait for the webhook (default 10s).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String token = null;
        if (tokenSource != null) {
            token = tokenSource.token != null ? tokenSource.token
                    : claims.mint(tokenSource.key, registrationId);
        }
        byte[] body = JSON.writeValueAsBytes(AllocationRequests.build(registrationId, token, hubs, group, currentHub,
                url.toString(), apiVersion));
        URI target = code == null ? url
                : URI.create(url + (url.getRawQuery() == null ? "?" : "&") + "code=" + URLEncoder.encode(code, StandardCharsets.UTF_8));

        out.printf("DPS -> POST %s (%s, %s, %s)%n", url, group == null ? "individual enrollment" : "enrollment group " + group,
                currentHub == null ? "first registration" : "re-registration from " + currentHub,
                token == null ? "no payload" : "payload.jwt");
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(timeout).build().send(
                    HttpRequest.newBuilder(target).timeout(timeout).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            spec.commandLine().getErr().println("dps-device simulate: cannot reach " + url + " (" + e.getClass().getSimpleName() + ")");
            return DpsDevice.UNREACHABLE;
        }
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        boolean allocated = status == 200 && answer != null && !answer.path("iotHubHostName").asText("").isEmpty();
        if (allocated) {
            out.println("allocated: " + answer.path("iotHubHostName").asText());
        } else {
            out.println("refused: HTTP " + status + (answer == null ? "" : " " + answer.path("error").asText("")
                    + (answer.has("message") ? ": " + answer.path("message").asText() : "")));
            out.println(dpsOutcome(status, answer));
        }
        out.println(answer == null ? response.body() : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        out.flush();
        if (allocated) {
            return 0;
        }
        return status >= 429 ? DpsDevice.UNREACHABLE : DpsDevice.REFUSED;
    }

    /** What DPS would make of this answer (the contract's status table). */
    static String dpsOutcome(int status, JsonNode answer) {
        if (status == 200) {
            return "DPS: registration fails with 400208 CustomAllocationIotHubNotSpecified (no iotHubHostName)";
        }
        if (status == 401) {
            return "DPS: registration fails with 400209 CustomAllocationUnauthorizedAccess";
        }
        if (status >= 429) {
            return "DPS: retries the webhook (up to 10 times)";
        }
        return "DPS: registration fails with 400207 CustomAllocationFailed";
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }
}
