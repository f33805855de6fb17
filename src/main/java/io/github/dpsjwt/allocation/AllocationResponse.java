package io.github.dpsjwt.allocation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The webhook's answer to DPS.
 *
 * @param iotHubHostName the assigned hub, always one of the request's {@code linkedHubs}
 * @param initialTwin {@code tags} and {@code properties.desired} for the device twin, or {@code null}
 *        (omitted) to keep the enrollment's initial twin
 * @param payload returned to the device in {@code registrationState.payload}
 */
// NON_NULL on the component too: the serializer Quarkus generates at build time (reflection-free
// serializers, application.properties) reads it there and ignores it on the class
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record AllocationResponse(String iotHubHostName, @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode initialTwin,
        Payload payload) {

    /**
     * What the device learns about its allocation.
     *
     * @param iotHubHostName the hub it was assigned to
     * @param tokenExpiresAt when the token it presented expires (ISO-8601)
     */
    @RegisterForReflection
    public record Payload(String iotHubHostName, String tokenExpiresAt) {
    }
}
