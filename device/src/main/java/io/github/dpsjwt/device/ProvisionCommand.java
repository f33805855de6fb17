package io.github.dpsjwt.device;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.provisioning.device.AdditionalData;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderSymmetricKey;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code provision}: the seed's mydevice.py in Java, with the Azure IoT device SDK. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = { "Provision a device through DPS for real, as the seed's mydevice.py does.",
                "Registers with DPS as a migrated device does: symmetric key attestation (an individual key, or one derived",
                "from the enrollment group key), the device-signed JWT as the provisioning payload {\"jwt\": ...};",
                "prints the assigned hub and the webhook's payload, then connects to the hub and sends telemetry." })
final class ProvisionCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--id-scope", required = true, description = "The DPS ID scope (0ne...).")
    String idScope;

    @Option(names = { "-r", "--registration-id" }, required = true, description = "The device's registration id.")
    String registrationId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Attestation attestation;

    static final class Attestation {
        @Option(names = "--symmetric-key", description = "The individual enrollment's symmetric key (base64).")
        String symmetricKey;

        @Option(names = "--group-key", description = "The enrollment group's key (base64): the device key is derived from it as DPS does.")
        String groupKey;
    }

    @Option(names = { "-k", "--key" }, required = true, description = "The device's private key PEM, to sign its JWT.")
    Path key;

    @Mixin
    TokenOptions claims;

    @Option(names = "--global-endpoint", defaultValue = "global.azure-devices-provisioning.net",
            description = "The DPS global endpoint (default: ${DEFAULT-VALUE}).")
    String globalEndpoint;

    @Option(names = "--messages", defaultValue = "3", description = "Telemetry messages to send after connecting (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--dry-run", description = "Print what would be sent to DPS, and stop before the network.")
    boolean dryRun;

    /** What the device presents to DPS. */
    record Registration(String deviceKey, String payload) {
    }

    Registration prepare() throws Exception {
        String deviceKey = attestation.groupKey != null ? DerivedKeys.deviceKey(attestation.groupKey, registrationId)
                : attestation.symmetricKey.trim();
        return new Registration(deviceKey, JSON.writeValueAsString(Map.of("jwt", claims.mint(key, registrationId))));
    }

    /**
     * The SDK's own message ("Failed to register") and the root cause under it, which says what actually went
     * wrong (an unknown host, a refused connection, a TLS failure); the layers between repeat class names.
     */
    static String causes(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (root == e) {
            return top;
        }
        return top + ": " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Registration registration = prepare();
        out.printf("registering %s with DPS %s (scope %s), %s key, payload {\"jwt\": <%d-character token>}%n", registrationId,
                globalEndpoint, idScope, attestation.groupKey != null ? "group-derived" : "individual",
                registration.payload().length() - 11);
        if (dryRun) {
            out.println("dry run: stopping before the network");
            out.println("payload: " + registration.payload());
            return 0;
        }
        SecurityProviderSymmetricKey security = new SecurityProviderSymmetricKey(
                registration.deviceKey().getBytes(StandardCharsets.UTF_8), registrationId);
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(globalEndpoint, idScope,
                ProvisioningDeviceClientTransportProtocol.MQTT, security);
        ProvisioningDeviceClientRegistrationResult result;
        try {
            AdditionalData data = new AdditionalData();
            data.setProvisioningPayload(registration.payload());
            result = client.registerDeviceSync(data);
        } catch (Exception e) {
            spec.commandLine().getErr().println("dps-device provision: cannot register with DPS at " + globalEndpoint + ": "
                    + causes(e) + "; check the network, --global-endpoint and --id-scope");
            return DpsDevice.UNREACHABLE;
        } finally {
            client.close();
        }
        if (result.getProvisioningDeviceClientStatus() != ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED) {
            out.printf("refused: %s%s%n", result.getProvisioningDeviceClientStatus(),
                    result.getSubstatus() == null ? "" : " (" + result.getSubstatus() + ")");
            return DpsDevice.REFUSED;
        }
        out.println("assigned: " + result.getIothubUri() + " as " + result.getDeviceId());
        out.println("payload from the webhook: " + result.getProvisioningPayload());

        DeviceClient device = new DeviceClient(result.getIothubUri(), result.getDeviceId(), security, IotHubClientProtocol.MQTT);
        try {
            device.open(true);
            for (int i = 1; i <= messages; i++) {
                Message message = new Message("{\"deviceId\":\"" + result.getDeviceId() + "\",\"sequence\":" + i + ",\"sentAt\":\""
                        + Instant.now() + "\"}");
                message.setContentType("application/json");
                message.setContentEncoding("utf-8");
                device.sendEvent(message);
                out.println("sent telemetry message " + i);
            }
        } finally {
            device.close();
        }
        return 0;
    }
}
