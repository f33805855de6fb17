package io.github.dpsjwt.allocation.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Profiles;
import io.github.dpsjwt.support.Ready;
import io.github.dpsjwt.support.TestFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@TestProfile(Profiles.Seed.class)
class SeedModeTest {

    @BeforeEach
    void keysLoaded() {
        Ready.await();
    }

    static final String PATH = "/api/validatejwt";

    static String token(String id) {
        return Jwts.device("ES256", id).sign(TestFleet.EC.getPrivate());
    }

    static ValidatableResponse post(Object body) {
        return given().contentType(ContentType.JSON).body(body).post(PATH).then();
    }

    static ValidatableResponse postRaw(String body) {
        return given().contentType(ContentType.JSON).body(body).post(PATH).then();
    }

    static void refused(ValidatableResponse response, int status, String reason) {
        response.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error", equalTo(reason))
                .body("message", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void shouldAllocateDeviceWhoseTokenVerifies() {
        post(DpsRequests.individual("dev-001", token("dev-001")))
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("iotHubHostName", in(DpsRequests.HUBS))
                .body("payload.iotHubHostName", in(DpsRequests.HUBS))
                .body("payload.tokenExpiresAt", notNullValue())
                .body("$", not(hasKey("initialTwin")));
    }

    @Test
    void shouldAnswerTheSameHubForTheSameDevice() {
        String first = post(DpsRequests.individual("dev-002", token("dev-002"))).statusCode(200)
                .extract().path("iotHubHostName");
        post(DpsRequests.individual("dev-002", token("dev-002"))).statusCode(200).body("iotHubHostName", equalTo(first));
    }

    @Test
    void shouldKeepTheCurrentHubOnReRegistrationInBothSpellings() {
        for (String current : List.of("hub-a.azure-devices.net", "hub-b.azure-devices.net")) {
            Map<String, Object> body = DpsRequests.request("dev-003", Map.of("jwt", token("dev-003")), DpsRequests.HUBS, current);
            post(body).statusCode(200).body("iotHubHostName", equalTo(current));

            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) body.get("deviceRuntimeContext");
            context.put("currentIoTHubHostName", context.remove("currentIotHubHostName"));
            post(body).statusCode(200).body("iotHubHostName", equalTo(current));
        }
    }

    @Test
    void shouldMoveDeviceWhoseCurrentHubIsNoLongerLinked() {
        Map<String, Object> body = DpsRequests.request("dev-004", Map.of("jwt", token("dev-004")),
                List.of("hub-b.azure-devices.net"), "hub-old.azure-devices.net");
        post(body).statusCode(200).body("iotHubHostName", equalTo("hub-b.azure-devices.net"));
    }

    @Test
    void shouldAllocateThroughAnEnrollmentGroup() {
        post(DpsRequests.group("dev-005", token("dev-005"))).statusCode(200).body("iotHubHostName", in(DpsRequests.HUBS));
    }

    @Test
    void shouldIgnoreUnknownFields() {
        Map<String, Object> body = DpsRequests.individual("dev-006", token("dev-006"));
        body.put("somethingNew", Map.of("nested", List.of(1, 2)));
        post(body).statusCode(200);
    }

    @Test
    void shouldRefuseTokenSignedByAnotherKey() {
        refused(post(DpsRequests.individual("dev-007", Jwts.device("ES256", "dev-007").sign(TestFleet.STRANGER.getPrivate()))),
                403, "token_signature_invalid");
    }

    @Test
    void shouldRefuseTokenBoundToAnotherDevice() {
        refused(post(DpsRequests.individual("dev-008", token("dev-999"))), 403, "token_subject_mismatch");
    }

    @Test
    void shouldRefuseExpiredToken() {
        String expired = Jwts.device("ES256", "dev-009").times(-7200, -3600).sign(TestFleet.EC.getPrivate());
        refused(post(DpsRequests.individual("dev-009", expired)), 403, "token_expired");
    }

    @Test
    void shouldRefuseMissingOrMistypedToken() {
        refused(post(DpsRequests.individual("dev-010", null)), 403, "token_missing");
        refused(post(DpsRequests.request("dev-010", Map.of("other", "x"), DpsRequests.HUBS, null)), 403, "token_missing");
        refused(post(DpsRequests.request("dev-010", Map.of("jwt", 42), DpsRequests.HUBS, null)), 403, "token_malformed");
        refused(post(DpsRequests.request("dev-010", Map.of("jwt", "garbage"), DpsRequests.HUBS, null)), 403, "token_malformed");
    }

    @Test
    void shouldRefuseMalformedJson() {
        refused(postRaw("{\"deviceRuntimeContext\": "), 400, "malformed_request");
        refused(postRaw("[1,2,3]"), 400, "malformed_request");
        refused(postRaw("{\"deviceRuntimeContext\": {\"registrationId\": \"dev-011\"}, \"linkedHubs\": \"hub-a\"}"), 400,
                "malformed_request");
        refused(postRaw("{\"deviceRuntimeContext\": [\"eyJhbGciOiJFUzI1NiJ9.secret\"]}"), 400, "malformed_request");
        postRaw("{\"deviceRuntimeContext\": {\"registrationId\": 11, \"payload\": {\"jwt\": \"" + token("dev-011") + "\"}}}")
                .statusCode(400).body("error", equalTo("malformed_request"))
                .body("message", containsString("'deviceRuntimeContext.registrationId' has the wrong type"));
        postRaw("{\"deviceRuntimeContext\": {\"registrationId\": \"dev-011\"}, \"linkedHubs\": [\"hub-a.azure-devices.net\", 5]}")
                .statusCode(400).body("message", containsString("'linkedHubs[1]' has the wrong type"));
    }

    @Test
    void shouldNotEchoTheBodyInErrors() {
        postRaw("{\"deviceRuntimeContext\": {\"payload\": {\"jwt\": eyJhbGciOiJFUzI1NiJ9.secret}}}")
                .statusCode(400).body(not(containsString("eyJ")));
    }

    @Test
    void shouldRefuseHostileJsonWithoutCrashing() {
        refused(postRaw("[".repeat(5000) + "]".repeat(5000)), 400, "malformed_request");
        refused(postRaw("{\"deviceRuntimeContext\": {\"registrationId\": " + "9".repeat(5000) + "}}"), 400, "malformed_request");
        refused(given().contentType("application/json").body(new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' })
                .post(PATH).then(), 400, "malformed_request");
        refused(postRaw("{\"deviceRuntimeContext\": {\"registrationId\": \"dev-016\", \"payload\": \"jwt\"},"
                + " \"linkedHubs\": [\"hub-a.azure-devices.net\"]}"), 403, "token_missing");
        refused(postRaw("{\"deviceRuntimeContext\": {\"registrationId\": \"dev-016\"}, \"linkedHubs\": [null]}"), 400,
                "invalid_linked_hubs");
    }

    @Test
    void shouldRefuseEmptyBody() {
        refused(postRaw(""), 400, "malformed_request");
    }

    @Test
    void shouldRefuseRequestWithoutRuntimeContext() {
        refused(postRaw("{\"linkedHubs\": [\"hub-a.azure-devices.net\"]}"), 400, "malformed_request");
    }

    @Test
    void shouldRefuseInvalidRegistrationIds() {
        for (String id : List.of("", "dev 1", "dev/1", "x".repeat(129), "dév")) {
            refused(post(DpsRequests.individual(id, token("dev-012"))), 400, "invalid_registration_id");
        }
        post(DpsRequests.individual("x".repeat(128), token("x".repeat(128)))).statusCode(200);
        post(DpsRequests.individual("a.b_c:d-e", token("a.b_c:d-e"))).statusCode(200);
    }

    @Test
    void shouldRefuseMissingOrInvalidLinkedHubs() {
        refused(post(DpsRequests.request("dev-013", Map.of("jwt", token("dev-013")), List.of(), null)), 400, "invalid_linked_hubs");
        refused(post(DpsRequests.request("dev-013", Map.of("jwt", token("dev-013")), List.of("https://hub-a.azure-devices.net/"), null)),
                400, "invalid_linked_hubs");
        Map<String, Object> body = DpsRequests.individual("dev-013", token("dev-013"));
        body.remove("linkedHubs");
        refused(post(body), 400, "invalid_linked_hubs");
    }

    @Test
    void shouldRefuseWrongContentType() {
        refused(given().contentType(ContentType.TEXT).body("{}").post(PATH).then(), 415, "unsupported_media_type");
    }

    @Test
    void shouldRefuseWrongMethod() {
        refused(given().get(PATH).then(), 405, "method_not_allowed");
        refused(given().contentType(ContentType.JSON).body("{}").put(PATH).then(), 405, "method_not_allowed");
    }

    @Test
    void shouldAnswerUnknownPathsWithJson() {
        refused(given().get("/api/nope").then(), 404, "not_found");
        refused(given().contentType(ContentType.JSON).body("{}").post("/api/validatejwt/extra").then(), 404, "not_found");
    }

    @Test
    void shouldRefuseBodyOverTheLimit() {
        Map<String, Object> body = DpsRequests.request("dev-014", Map.of("jwt", token("dev-014"), "pad", "x".repeat(70_000)),
                DpsRequests.HUBS, null);
        refused(post(body), 413, "payload_too_large");
    }

    @Test
    void shouldAcceptBodyJustUnderTheLimit() {
        Map<String, Object> body = DpsRequests.request("dev-015", Map.of("jwt", token("dev-015"), "pad", "x".repeat(60_000)),
                DpsRequests.HUBS, null);
        post(body).statusCode(200);
    }

    @Test
    void shouldReportLiveAndReady() {
        Management.request().get("/q/health/live").then().statusCode(200);
        Management.request().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'device-registry' }.status", equalTo("UP"));
    }

    @Test
    void shouldRequireTheTokenToNameTheDeviceWhenOneKeyServesEveryDevice() {
        String unnamed = Jwts.device("ES256", "dev-100").claim("registration_id", null).sign(TestFleet.EC.getPrivate());
        refused(post(DpsRequests.individual("dev-100", unnamed)), 403, "token_binding_missing");
        String bySub = Jwts.device("ES256", "dev-100").claim("registration_id", null).claim("sub", "dev-100")
                .sign(TestFleet.EC.getPrivate());
        post(DpsRequests.individual("dev-100", bySub)).statusCode(200);
    }

    @Test
    void shouldTakeTheTokenExactlyAsSent() {
        for (String spelling : List.of(token("dev-101") + " ", " " + token("dev-101"), token("dev-101") + "\n", token("dev-101") + "=")) {
            refused(post(DpsRequests.individual("dev-101", spelling)), 403, "token_malformed");
        }
    }

    /** Characters that change a JSON document's structure. */
    static final String JSON_BYTES = "[]{}\",:0-e1\\u";

    @Test
    void shouldAnswerEveryMangledBodyWithA4xxAndNeverA5xx() {
        java.util.Random random = new java.util.Random(20261202);
        String valid = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(DpsRequests.individual("dev-102", token("dev-102")))
                .toString();
        for (int i = 0; i < 300; i++) {
            StringBuilder body = new StringBuilder(valid);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && body.length() > 0; e++) {
                int at = random.nextInt(body.length());
                switch (random.nextInt(4)) {
                    case 0 -> body.setCharAt(at, (char) (random.nextInt(95) + 32));
                    case 1 -> body.insert(at, JSON_BYTES.charAt(random.nextInt(JSON_BYTES.length())));
                    case 2 -> body.deleteCharAt(at);
                    default -> body.setLength(at);
                }
            }
            int status = postRaw(body.toString()).extract().statusCode();
            org.junit.jupiter.api.Assertions.assertTrue(status == 200 || (status >= 400 && status < 500), status + " for " + body);
        }
    }
}
