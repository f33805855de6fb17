package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.post;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.refused;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Profiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(Profiles.NoKeys.class)
class NotReadyTest {

    @Test
    void shouldAnswer503WithRetryAfterWhileNoKeysAreConfigured() {
        refused(post(DpsRequests.individual("dev-200", token("dev-200"))), 503, "registry_not_ready");
        post(DpsRequests.individual("dev-200", token("dev-200"))).header("Retry-After", equalTo("5"))
                .body("message", containsString("DEVICE_PUBLIC_KEY"));
    }

    @Test
    void shouldBeLiveButNotReady() {
        Management.request().get("/q/health/live").then().statusCode(200);
        Management.request().get("/q/health/ready").then().statusCode(503).body("checks.find { it.name == 'device-registry' }.status", equalTo("DOWN"));
    }

    @Test
    void shouldStillRefuseMalformedRequestsAsSuch() {
        refused(SeedModeTest.postRaw("not json"), 400, "malformed_request");
    }

    @Test
    void shouldNotLogALinePerReadinessPoll() {
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger health = java.util.logging.Logger.getLogger("io.smallrye.health");
        health.addHandler(capture);
        try {
            for (int i = 0; i < 5; i++) {
                Management.request().get("/q/health/ready").then().statusCode(503);
            }
        } finally {
            health.removeHandler(capture);
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), lines);
    }
}
