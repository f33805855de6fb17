package io.github.dpsjwt.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body DPS posts to a custom allocation webhook, built from the documented contract: an individual
 * enrollment or an enrollment group, the device's runtime context with its payload, and the linked hubs;
 * on re-registration the device's current hub and device id.
 */
final class AllocationRequests {

    private AllocationRequests() {
    }

    /**
     * @param registrationId the registering device
     * @param token the device's JWT, sent as {@code payload.jwt}, or {@code null} for no payload
     * @param linkedHubs the hubs the enrollment links
     * @param groupId the enrollment group, or {@code null} for an individual enrollment
     * @param currentHub the device's current hub on re-registration, or {@code null} for a first registration
     * @param webhookUrl the webhook URL as the enrollment records it
     * @param apiVersion the enrollment's custom allocation API version
     */
    static Map<String, Object> build(String registrationId, String token, List<String> linkedHubs, String groupId,
            String currentHub, String webhookUrl, String apiVersion) {
        Map<String, Object> allocation = new LinkedHashMap<>();
        allocation.put("webhookUrl", webhookUrl);
        allocation.put("apiVersion", apiVersion);

        Map<String, Object> enrollment = new LinkedHashMap<>();
        if (groupId != null) {
            enrollment.put("enrollmentGroupId", groupId);
        } else {
            enrollment.put("registrationId", registrationId);
        }
        enrollment.put("attestation", Map.of("type", "symmetricKey"));
        enrollment.put("capabilities", Map.of("iotEdge", false));
        enrollment.put("etag", "\"00000000-0000-0000-0000-000000000000\"");
        enrollment.put("provisioningStatus", "enabled");
        enrollment.put("reprovisionPolicy", Map.of("updateHubAssignment", true, "migrateDeviceData", true));
        enrollment.put("allocationPolicy", "custom");
        enrollment.put("iotHubs", linkedHubs);
        enrollment.put("customAllocationDefinition", allocation);

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("registrationId", registrationId);
        context.put("symmetricKey", Map.of());
        if (token != null) {
            context.put("payload", Map.of("jwt", token));
        }
        if (currentHub != null) {
            context.put("currentIotHubHostName", currentHub);
            context.put("currentDeviceId", registrationId);
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put(groupId != null ? "enrollmentGroup" : "individualEnrollment", enrollment);
        body.put("deviceRuntimeContext", context);
        body.put("linkedHubs", linkedHubs);
        return body;
    }
}
