package io.github.dpsjwt.allocation;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body DPS posts to a custom allocation webhook. Read loosely where DPS varies (enrollment shapes
 * differ by API version, unknown fields are ignored, both spellings of the current hub are accepted);
 * {@link AllocationService} checks strictly what decisions depend on. Read by
 * {@link AllocationRequestDeserializer}, which says what each member may hold; registered for
 * reflection so that Jackson finds that annotation in a native image too.
 *
 * @param individualEnrollment the individual enrollment, when the device has one
 * @param enrollmentGroup the enrollment group, when the device registers through one
 * @param deviceRuntimeContext what the device presented in this registration
 * @param linkedHubs the IoT hubs this device may be assigned to
 */
@JsonDeserialize(using = AllocationRequestDeserializer.class)
@RegisterForReflection
public record AllocationRequest(
        JsonNode individualEnrollment,
        JsonNode enrollmentGroup,
        DeviceRuntimeContext deviceRuntimeContext,
        List<String> linkedHubs) {

    /**
     * @param registrationId the device's DPS registration id
     * @param payload the JSON payload the device sent with its registration, or {@code null}
     * @param currentIotHubHostName the hub the device is on, present only on re-registration
     * @param currentDeviceId the device's id on that hub, present only on re-registration
     */
    public record DeviceRuntimeContext(
            String registrationId,
            JsonNode payload,
            String currentIotHubHostName,
            String currentDeviceId) {
    }
}
