package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.post;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.refused;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.token;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Profiles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(Profiles.MissingFile.class)
class UnreadableRegistryTest {

    @Test
    void shouldStayNotReadyAndSayWhy() throws InterruptedException {
        // the loader runs in the background: give it time to fail, then check it did not turn ready
        Thread.sleep(300);
        Management.request().get("/q/health/ready").then().statusCode(503).body("checks.find { it.name == 'device-registry' }.data.detail", containsString("/nonexistent/registry.json does not exist: check the path"));
        refused(post(DpsRequests.individual("dev-300", token("dev-300"))), 503, "registry_not_ready");
    }
}
