package io.github.dpsjwt.allocation;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dpsjwt.decision.Decisions;
import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;
import io.github.dpsjwt.registry.Device;
import io.github.dpsjwt.registry.RegistrationIds;
import io.github.dpsjwt.token.DeviceTokenVerifier;
import io.github.dpsjwt.token.VerifiedToken;

/**
 * Turns one DPS allocation request into a verdict: check the request, find the device, verify its
 * token, choose its hub, and log the decision once.
 */
public final class AllocationService {

    private final Function<String, Optional<Device>> registry;
    private final DeviceTokenVerifier verifier;
    private final HubPolicy hubPolicy;
    private final ObjectNode initialTwin;
    private final String tokenField;

    /**
     * @param registry finds a device by registration id; may throw {@link RefusalException} when not ready
     * @param verifier checks the device's token
     * @param hubPolicy chooses the hub
     * @param initialTwin the twin to answer with, or {@code null} for none
     * @param tokenField the payload field that holds the token
     */
    public AllocationService(Function<String, Optional<Device>> registry, DeviceTokenVerifier verifier,
            HubPolicy hubPolicy, ObjectNode initialTwin, String tokenField) {
        this.registry = registry;
        this.verifier = verifier;
        this.hubPolicy = hubPolicy;
        this.initialTwin = initialTwin;
        this.tokenField = tokenField;
    }

    /** The token verifier, for the start-up warm-up. */
    public DeviceTokenVerifier verifier() {
        return verifier;
    }

    /**
     * @return the allocation to send to DPS
     * @throws RefusalException for every request that does not end in an allocation
     */
    public AllocationResponse allocate(AllocationRequest request) {
        long started = System.nanoTime();
        String registrationId = null;
        try {
            AllocationRequest.DeviceRuntimeContext context = request == null ? null : request.deviceRuntimeContext();
            if (context == null) {
                throw new RefusalException(Reason.MALFORMED_REQUEST, "deviceRuntimeContext is missing");
            }
            registrationId = context.registrationId();
            if (!RegistrationIds.isValid(registrationId)) {
                registrationId = null;
                throw new RefusalException(Reason.INVALID_REGISTRATION_ID, "deviceRuntimeContext.registrationId must be"
                        + " 1 to " + RegistrationIds.MAX_LENGTH + " characters of A-Z a-z 0-9 - . _ :");
            }
            List<String> linkedHubs = request.linkedHubs();
            checkLinkedHubs(linkedHubs);
            String token = token(context.payload());

            Device device = registry.apply(registrationId).orElseThrow(
                    () -> new RefusalException(Reason.DEVICE_UNKNOWN, "the device is not in the registry"));
            if (device.blocked()) {
                throw new RefusalException(Reason.DEVICE_BLOCKED, "the device is blocked in the registry");
            }
            VerifiedToken verified = verifier.verify(token, device, registrationId);
            String hub = hubPolicy.choose(registrationId, linkedHubs, context.currentIotHubHostName());

            Decisions.allocated(registrationId, hub, verified.credentialIndex(), verified.algorithm(), started);
            return new AllocationResponse(hub, initialTwin,
                    new AllocationResponse.Payload(hub, verified.expiresAt().toString()));
        } catch (RefusalException e) {
            Decisions.refused(registrationId, e.reason(), started);
            throw e;
        }
    }

    private static void checkLinkedHubs(List<String> linkedHubs) {
        if (linkedHubs == null || linkedHubs.isEmpty()) {
            throw new RefusalException(Reason.INVALID_LINKED_HUBS, "linkedHubs must list at least one IoT hub");
        }
        for (String hub : linkedHubs) {
            if (hub == null || !HostNames.isValid(hub)) {
                throw new RefusalException(Reason.INVALID_LINKED_HUBS, "linkedHubs must hold only host names");
            }
        }
    }

    private String token(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            throw new RefusalException(Reason.TOKEN_MISSING, "the device sent no payload; it must send {\"" + tokenField + "\": \"<JWT>\"}");
        }
        JsonNode token = payload.get(tokenField);
        if (token == null || token.isNull()) {
            throw new RefusalException(Reason.TOKEN_MISSING, "the device payload has no '" + tokenField + "' field");
        }
        if (!token.isTextual() || token.asText().isBlank()) {
            throw new RefusalException(Reason.TOKEN_MALFORMED, "payload." + tokenField + " must be a JWT string");
        }
        // taken as sent: a token is one exact string, never trimmed or otherwise repaired (token/TokenEncoding)
        return token.asText();
    }
}
