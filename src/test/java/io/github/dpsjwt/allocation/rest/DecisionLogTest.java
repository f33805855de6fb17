package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.post;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.token;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.decision.Decisions;
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

    record Line(String message, String thread, Level level) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            lines.add(new Line(record.getFormattedMessage(), record.getThreadName(), record.getLevel()));
        }
    };

    @BeforeEach
    void listen() {
        Ready.await();
        Logger.getLogger(Decisions.CATEGORY).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(Decisions.CATEGORY).removeHandler(capture);
    }

    private Line lineFor(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<Line> found = lines.stream().filter(l -> l.message().contains(marker)).toList();
            if (!found.isEmpty()) {
                assertEquals(1, found.size(), "one line per request: " + found);
                return found.get(0);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no decision line with " + marker + " in " + lines);
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
}
