package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.post;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.token;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.DecisionLines;
import io.github.dpsjwt.support.DecisionLines.Line;
import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.Profiles;
import io.github.dpsjwt.support.Ready;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The decision log over HTTP: one line per request, with the request's own thread and time, never the token. */
@QuarkusTest
@TestProfile(Profiles.Seed.class)
class DecisionLogTest {

    private DecisionLines decisions;
    private List<Line> lines;

    @BeforeEach
    void listen() {
        Ready.await();
        decisions = DecisionLines.listen();
        lines = decisions.lines();
    }

    @AfterEach
    void stopListening() {
        decisions.close();
    }

    private Line lineFor(String marker) throws InterruptedException {
        return decisions.lineFor(marker);
    }

    @Test
    void shouldLogOneLinePerAllocationWithoutTheToken() throws InterruptedException {
        String token = token("log-001");
        post(DpsRequests.individual("log-001", token)).statusCode(200);
        Line line = lineFor("registrationId=log-001 ");
        assertTrue(line.message().matches("registrationId=log-001 outcome=allocated hub=hub-[ab]\\.azure-devices\\.net"
                + " credential=0 alg=ES256 latencyMs=\\d+\\.\\d{3}"), line.message());
        assertEquals(Level.INFO, line.level());
        assertFalse(line.thread().equals("decision-log"), "the line keeps the request's thread: " + line.thread());
        assertTrue(lines.stream().noneMatch(l -> l.message().contains(token.substring(token.lastIndexOf('.') + 1))));
    }

    @Test
    void shouldLogTheReasonOfARefusal() throws InterruptedException {
        String forged = Jwts.device("ES256", "log-002").sign(Keys.ec().getPrivate());
        post(DpsRequests.individual("log-002", forged)).statusCode(403);
        Line line = lineFor("registrationId=log-002 ");
        assertTrue(line.message().matches("registrationId=log-002 outcome=refused reason=token_signature_invalid status=403"
                + " latencyMs=\\d+\\.\\d{3}"), line.message());
    }

    @Test
    void shouldLogARequestRejectedBeforeItsRegistrationIdWasRead() throws InterruptedException {
        int before = lines.size();
        given().contentType("text/plain").body("hello").post(SeedModeTest.PATH).then().statusCode(415);
        Line line = lineFor("reason=unsupported_media_type");
        assertEquals("outcome=rejected reason=unsupported_media_type status=415", line.message());
        assertTrue(lines.size() > before);
    }

    @Test
    void shouldCarryTheDecisionFieldsForTheJsonLog() throws InterruptedException {
        post(DpsRequests.individual("log-003", token("log-003"))).statusCode(200);
        Map<String, String> allocated = lineFor("registrationId=log-003 ").mdc();
        assertEquals("log-003", allocated.get("registrationId"));
        assertEquals("allocated", allocated.get("outcome"));
        assertTrue(DpsRequests.HUBS.contains(allocated.get("hub")), allocated.toString());
        assertEquals("0", allocated.get("credential"));
        assertEquals("ES256", allocated.get("alg"));
        assertTrue(allocated.get("latencyMs").matches("\\d+\\.\\d{3}"), allocated.toString());

        post(DpsRequests.individual("log-004", Jwts.device("ES256", "log-004").sign(Keys.ec().getPrivate()))).statusCode(403);
        Map<String, String> refused = lineFor("registrationId=log-004 ").mdc();
        assertEquals(Map.of("registrationId", "log-004", "outcome", "refused", "reason", "token_signature_invalid",
                "status", "403", "latencyMs", refused.get("latencyMs")), refused);
    }

    @Test
    void shouldCarryTheCallersTraceContextIntoItsLineOnly() throws InterruptedException {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        given().contentType("application/json").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(DpsRequests.individual("log-005", token("log-005"))).post(SeedModeTest.PATH).then().statusCode(200);
        Line traced = lineFor("registrationId=log-005 ");
        assertEquals(traceId, traced.mdc().get("traceId"));
        assertEquals("00f067aa0ba902b7", traced.mdc().get("parentId"));
        assertTrue(traced.message().endsWith(" traceId=" + traceId), traced.message());

        for (int i = 0; i < 4; i++) {
            // the next requests, on the same event loop threads, carry no trace context of an earlier one
            post(DpsRequests.individual("log-006-" + i, token("log-006-" + i))).statusCode(200);
            assertFalse(lineFor("registrationId=log-006-" + i + " ").mdc().containsKey("traceId"));
        }
        given().contentType("application/json").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01\tinjected")
                .body(DpsRequests.individual("log-007", token("log-007"))).post(SeedModeTest.PATH).then().statusCode(200);
        Line invalid = lineFor("registrationId=log-007 ");
        assertFalse(invalid.mdc().containsKey("traceId"), "an invalid traceparent is ignored");
        assertFalse(invalid.message().contains("injected"));
    }
}
