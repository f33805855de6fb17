package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

class AllocationRequestDeserializerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Jackson's own record binding with the custom deserializer masked off: the reference for valid bodies. */
    private static final ObjectMapper REFERENCE = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .addMixIn(AllocationRequest.class, JacksonDefault.class)
            .addMixIn(AllocationRequest.DeviceRuntimeContext.class, ContextAlias.class);

    @JsonDeserialize(using = JsonDeserializer.None.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    private abstract static class JacksonDefault {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private abstract static class ContextAlias {
        @JsonAlias("currentIoTHubHostName")
        String currentIotHubHostName;
    }

    private static AllocationRequest read(String body) throws Exception {
        return JSON.readValue(body, AllocationRequest.class);
    }

    @Test
    void shouldReadTheShapeDpsPosts() throws Exception {
        AllocationRequest request = read("""
                {"enrollmentGroup": {"enrollmentGroupId": "g", "attestation": {"type": "symmetricKey"}},
                 "deviceRuntimeContext": {"registrationId": "dev-1", "symmetricKey": {}, "payload": {"jwt": "a.b.c"},
                   "currentIoTHubHostName": "hub-a.azure-devices.net", "currentDeviceId": "dev-1"},
                 "linkedHubs": ["hub-a.azure-devices.net", "hub-b.azure-devices.net"]}""");
        assertEquals("g", request.enrollmentGroup().get("enrollmentGroupId").asText());
        assertNull(request.individualEnrollment());
        assertEquals("dev-1", request.deviceRuntimeContext().registrationId());
        assertEquals("a.b.c", request.deviceRuntimeContext().payload().get("jwt").asText());
        assertEquals("hub-a.azure-devices.net", request.deviceRuntimeContext().currentIotHubHostName());
        assertEquals("dev-1", request.deviceRuntimeContext().currentDeviceId());
        assertEquals(List.of("hub-a.azure-devices.net", "hub-b.azure-devices.net"), request.linkedHubs());
        assertEquals("hub-b", read("{\"deviceRuntimeContext\": {\"currentIotHubHostName\": \"hub-b\"}}")
                .deviceRuntimeContext().currentIotHubHostName());
    }

    @Test
    void shouldReadNullAndAbsentMembersAsNull() throws Exception {
        assertEquals(new AllocationRequest(null, null, null, null), read("{}"));
        assertEquals(new AllocationRequest(null, null, null, null), read(
                "{\"individualEnrollment\": null, \"enrollmentGroup\": null, \"deviceRuntimeContext\": null, \"linkedHubs\": null}"));
        assertEquals(new AllocationRequest.DeviceRuntimeContext(null, null, null, null), read(
                "{\"deviceRuntimeContext\": {\"registrationId\": null, \"payload\": null, \"currentIotHubHostName\": null}}")
                .deviceRuntimeContext());
        assertEquals(Collections.singletonList(null), read("{\"linkedHubs\": [null]}").linkedHubs());
        assertNull(JSON.readValue("null", AllocationRequest.class));
    }

    @Test
    void shouldRefuseWrongTypesNamingTheMember() {
        assertPath("deviceRuntimeContext", "{\"deviceRuntimeContext\": \"dev-1\"}");
        assertPath("deviceRuntimeContext", "{\"deviceRuntimeContext\": [\"a.b.c\"]}");
        assertPath("deviceRuntimeContext.registrationId", "{\"deviceRuntimeContext\": {\"registrationId\": 123}}");
        assertPath("deviceRuntimeContext.registrationId", "{\"deviceRuntimeContext\": {\"registrationId\": {}}}");
        assertPath("deviceRuntimeContext.currentIoTHubHostName", "{\"deviceRuntimeContext\": {\"currentIoTHubHostName\": true}}");
        assertPath("deviceRuntimeContext.currentDeviceId", "{\"deviceRuntimeContext\": {\"currentDeviceId\": [1]}}");
        assertPath("linkedHubs", "{\"linkedHubs\": \"hub-a.azure-devices.net\"}");
        assertPath("linkedHubs[1]", "{\"linkedHubs\": [\"hub-a.azure-devices.net\", 7]}");
        assertPath("linkedHubs[0]", "{\"linkedHubs\": [[\"hub-a\"]]}");
        assertThrows(MismatchedInputException.class, () -> read("[1, 2, 3]"));
        assertThrows(MismatchedInputException.class, () -> read("\"text\""));
    }

    @Test
    void shouldRefuseDeepNestingAnywhereWithoutOverflowingTheStack() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        for (String body : List.of("{\"unknown\": " + deep + "}", "{\"enrollmentGroup\": " + deep + "}",
                "{\"deviceRuntimeContext\": {\"payload\": " + deep + "}}", "{\"deviceRuntimeContext\": {\"other\": " + deep + "}}")) {
            assertThrows(StreamConstraintsException.class, () -> read(body), body.substring(0, 30));
        }
    }

    private static void assertPath(String expected, String body) {
        MismatchedInputException e = assertThrows(MismatchedInputException.class, () -> read(body), body);
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.append(ref.getFieldName() != null ? (path.isEmpty() ? "" : ".") + ref.getFieldName()
                    : "[" + ref.getIndex() + "]");
        }
        assertEquals(expected, path.toString(), body);
    }

    @Test
    void shouldAgreeWithJacksonsRecordBindingOnRandomValidBodies() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            String body = randomBody(random);
            AllocationRequest expected = REFERENCE.readValue(body, AllocationRequest.class);
            AllocationRequest actual = read(body);
            assertEquals(normalized(expected), actual, body);
        }
    }

    /** Jackson's binding gives NullNode for a JSON null in a JsonNode member; the deserializer gives null. */
    private static AllocationRequest normalized(AllocationRequest r) {
        AllocationRequest.DeviceRuntimeContext c = r.deviceRuntimeContext();
        return new AllocationRequest(nullNode(r.individualEnrollment()), nullNode(r.enrollmentGroup()),
                c == null ? null
                        : new AllocationRequest.DeviceRuntimeContext(c.registrationId(), nullNode(c.payload()),
                                c.currentIotHubHostName(), c.currentDeviceId()),
                r.linkedHubs());
    }

    private static JsonNode nullNode(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static String randomBody(Random random) {
        List<String> members = new ArrayList<>();
        if (random.nextBoolean()) {
            members.add("\"individualEnrollment\": " + anyValue(random, 3));
        }
        if (random.nextBoolean()) {
            members.add("\"enrollmentGroup\": " + anyValue(random, 3));
        }
        if (random.nextInt(4) > 0) {
            members.add("\"deviceRuntimeContext\": " + (random.nextInt(8) == 0 ? "null" : context(random)));
        }
        if (random.nextInt(4) > 0) {
            members.add("\"linkedHubs\": " + (random.nextInt(8) == 0 ? "null"
                    : random.ints(random.nextInt(4), 0, 6).mapToObj(n -> n == 0 ? "null" : "\"hub-" + n + ".net\"")
                            .collect(Collectors.joining(", ", "[", "]"))));
        }
        for (int n = random.nextInt(3); n > 0; n--) {
            members.add("\"extra" + n + "\": " + anyValue(random, 3));
        }
        Collections.shuffle(members, random);
        return members.stream().collect(Collectors.joining(random.nextBoolean() ? "," : " ,\n ", "{", "}"));
    }

    private static String context(Random random) {
        List<String> members = new ArrayList<>();
        String[] names = { "registrationId", "currentDeviceId", random.nextBoolean() ? "currentIotHubHostName" : "currentIoTHubHostName" };
        for (String name : names) {
            if (random.nextBoolean()) {
                members.add("\"" + name + "\": " + (random.nextInt(5) == 0 ? "null" : "\"v-" + random.nextInt(100) + "\\u00e9\""));
            }
        }
        if (random.nextBoolean()) {
            members.add("\"payload\": " + anyValue(random, 3));
        }
        for (int n = random.nextInt(3); n > 0; n--) {
            members.add("\"symmetricKey" + n + "\": " + anyValue(random, 2));
        }
        Collections.shuffle(members, random);
        return members.stream().collect(Collectors.joining(", ", "{", "}"));
    }

    private static String anyValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> "\"s" + random.nextInt(50) + "\"";
            case 2 -> Integer.toString(random.nextInt(2000) - 1000);
            case 3 -> random.nextBoolean() ? "true" : "1.5e3";
            case 4 -> "{}";
            case 5 -> random.ints(random.nextInt(3), 0, 9).mapToObj(n -> "\"k" + n + "\": " + anyValue(random, depth - 1))
                    .distinct().collect(Collectors.joining(", ", "{", "}"));
            default -> random.ints(random.nextInt(3), 0, 9).mapToObj(n -> anyValue(random, depth - 1))
                    .collect(Collectors.joining(", ", "[", "]"));
        };
    }
}
