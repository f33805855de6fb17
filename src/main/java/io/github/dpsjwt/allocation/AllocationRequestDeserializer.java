package io.github.dpsjwt.allocation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reads an {@link AllocationRequest} in one pass over the parser's tokens. Quarkus REST's generated
 * deserializer (on with the reflection-free serializers) first reads the whole body into a tree and
 * then converts each field through a fresh lookup: 2.3 µs a request here against 0.9 µs for this.
 *
 * <p>What it accepts: an object; unknown members at either level are skipped; {@code null} or an
 * absent member reads as {@code null}; {@code registrationId}, the current hub (either spelling)
 * and {@code currentDeviceId} must be strings, {@code linkedHubs} an array of strings (a {@code null}
 * element is kept, for {@link AllocationService} to refuse), {@code deviceRuntimeContext} an object;
 * the enrollments and the device's {@code payload} may be any JSON value. Anything else fails with
 * Jackson's {@link MismatchedInputException}, its path naming the member, which the error mapper
 * turns into a 400 without quoting the input.
 */
@RegisterForReflection
public final class AllocationRequestDeserializer extends StdDeserializer<AllocationRequest> {

    public AllocationRequestDeserializer() {
        super(AllocationRequest.class);
    }

    @Override
    public AllocationRequest deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode individualEnrollment = null;
        JsonNode enrollmentGroup = null;
        AllocationRequest.DeviceRuntimeContext context = null;
        List<String> linkedHubs = null;
        for (String name = firstName(p); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            switch (name) {
                case "individualEnrollment" -> individualEnrollment = tree(p, ctxt, token);
                case "enrollmentGroup" -> enrollmentGroup = tree(p, ctxt, token);
                case "deviceRuntimeContext" -> context = deviceRuntimeContext(p, ctxt, token);
                case "linkedHubs" -> linkedHubs = linkedHubs(p, token);
                default -> p.skipChildren();
            }
        }
        return new AllocationRequest(individualEnrollment, enrollmentGroup, context, linkedHubs);
    }

    private static AllocationRequest.DeviceRuntimeContext deviceRuntimeContext(JsonParser p, DeserializationContext ctxt,
            JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw wrongType(p, AllocationRequest.DeviceRuntimeContext.class, "deviceRuntimeContext", null);
        }
        String registrationId = null;
        JsonNode payload = null;
        String currentHub = null;
        String currentDeviceId = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "registrationId" -> registrationId = text(p, value, name);
                case "payload" -> payload = tree(p, ctxt, value);
                case "currentIotHubHostName", "currentIoTHubHostName" -> currentHub = text(p, value, name);
                case "currentDeviceId" -> currentDeviceId = text(p, value, name);
                default -> p.skipChildren();
            }
        }
        return new AllocationRequest.DeviceRuntimeContext(registrationId, payload, currentHub, currentDeviceId);
    }

    private static List<String> linkedHubs(JsonParser p, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            throw wrongType(p, List.class, "linkedHubs", null);
        }
        List<String> hubs = new ArrayList<>(4);
        for (JsonToken element = p.nextToken(); element != JsonToken.END_ARRAY; element = p.nextToken()) {
            if (element == JsonToken.VALUE_STRING) {
                hubs.add(p.getText());
            } else if (element == JsonToken.VALUE_NULL) {
                hubs.add(null);
            } else {
                MismatchedInputException e = MismatchedInputException.from(p, String.class, "not a string");
                e.prependPath(hubs, hubs.size());
                e.prependPath(AllocationRequest.class, "linkedHubs");
                throw e;
            }
        }
        return hubs;
    }

    /** The name of the first member, or null for {@code {}}; refuses a body that is not an object. */
    private static String firstName(JsonParser p) throws IOException {
        if (p.isExpectedStartObjectToken()) {
            return p.nextFieldName();
        }
        if (p.hasToken(JsonToken.FIELD_NAME)) {
            return p.currentName();
        }
        throw MismatchedInputException.from(p, AllocationRequest.class, "the body is not a JSON object");
    }

    private static JsonNode tree(JsonParser p, DeserializationContext ctxt, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_NULL ? null : ctxt.readTree(p);
    }

    private static String text(JsonParser p, JsonToken token, String name) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongType(p, String.class, "deviceRuntimeContext", name);
    }

    private static MismatchedInputException wrongType(JsonParser p, Class<?> type, String member, String inner) {
        MismatchedInputException e = MismatchedInputException.from(p, type, "wrong type");
        if (inner != null) {
            e.prependPath(AllocationRequest.DeviceRuntimeContext.class, inner);
        }
        e.prependPath(AllocationRequest.class, member);
        return e;
    }
}
