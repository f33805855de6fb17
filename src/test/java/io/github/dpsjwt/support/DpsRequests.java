package io.github.dpsjwt.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AllocationRequest bodies in the shape DPS posts (see the contract doc). */
public final class DpsRequests {

    public static final List<String> HUBS = List.of("hub-a.azure-devices.net", "hub-b.azure-devices.net");

    private DpsRequests() {
    }

    /** A first registration through an individual enrollment, with the token in payload.jwt. */
    public static Map<String, Object> individual(String registrationId, String token) {
        return request(registrationId, token == null ? null : Map.of("jwt", token), HUBS, null);
    }

    public static Map<String, Object> request(String registrationId, Object payload, List<String> linkedHubs, String currentHub) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("registrationId", registrationId);
        context.put("symmetricKey", Map.of());
        if (payload != null) {
            context.put("payload", payload);
        }
        if (currentHub != null) {
            context.put("currentIotHubHostName", currentHub);
            context.put("currentDeviceId", registrationId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("individualEnrollment", Map.of(
                "registrationId", registrationId,
                "attestation", Map.of("type", "symmetricKey"),
                "allocationPolicy", "custom",
                "customAllocationDefinition", Map.of("webhookUrl", "https://example.invalid/api/validatejwt", "apiVersion", "2021-10-01"),
                "reprovisionPolicy", Map.of("updateHubAssignment", true, "migrateDeviceData", true),
                "iotHubs", linkedHubs));
        body.put("deviceRuntimeContext", context);
        body.put("linkedHubs", linkedHubs);
        return body;
    }

    /** A registration through an enrollment group, on the 2019-03-31 API shape. */
    public static Map<String, Object> group(String registrationId, String token) {
        Map<String, Object> body = request(registrationId, Map.of("jwt", token), HUBS, null);
        body.remove("individualEnrollment");
        body.put("enrollmentGroup", Map.of(
                "enrollmentGroupId", "gcp-fleet",
                "attestation", Map.of("type", "symmetricKey"),
                "allocationPolicy", "custom",
                "customAllocationDefinition", Map.of("webhookUrl", "https://example.invalid/api/validatejwt", "apiVersion", "2019-03-31"),
                "etag", "AAAA", "provisioningStatus", "enabled"));
        return body;
    }
}
