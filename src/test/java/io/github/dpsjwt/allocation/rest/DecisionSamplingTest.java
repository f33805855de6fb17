package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.post;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.token;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.DecisionLines;
import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.Ready;
import io.github.dpsjwt.support.TestFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** allocator.decisions.sample=0: no allocation or refusal lines, floods still logged, every decision still counted. */
@QuarkusTest
@TestProfile(DecisionSamplingTest.NoDecisionLines.class)
class DecisionSamplingTest {

    public static class NoDecisionLines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()), "allocator.decisions.sample", "0");
        }
    }

    private DecisionLines decisions;

    @BeforeEach
    void listen() {
        Ready.await();
        decisions = DecisionLines.listen();
    }

    @AfterEach
    void stopListening() {
        decisions.close();
    }

    @Test
    void shouldWriteNoAllocationLineButCountEveryDecision() throws InterruptedException {
        String allocated = "allocator_decisions_total{outcome=\"allocated\",reason=\"none\"}";
        String tooLarge = "allocator_decisions_total{outcome=\"rejected\",reason=\"payload_too_large\"}";
        Map<String, Double> before = new HashMap<>(MetricsTest.scrape());
        for (int i = 0; i < 3; i++) {
            post(DpsRequests.individual("sampled-" + i, token("sampled-" + i))).statusCode(200);
        }
        given().contentType("application/json").body("{\"x\":\"" + "a".repeat(70_000) + "\"}").post(SeedModeTest.PATH)
                .then().statusCode(413);
        Map<String, Double> after = MetricsTest.scrape();
        assertEquals(3.0, after.get(allocated) - before.get(allocated));
        assertEquals(1.0, after.get(tooLarge) - before.get(tooLarge));
        decisions.lineFor("reason=payload_too_large");  // a flood's WARN line is always written
        assertTrue(decisions.lines().stream().noneMatch(l -> l.message().contains("sampled-")), decisions.lines().toString());
    }
}
