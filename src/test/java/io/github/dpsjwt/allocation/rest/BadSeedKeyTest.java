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
@TestProfile(Profiles.BadSeedKey.class)
class BadSeedKeyTest {

    @Test
    void shouldStayNotReadyAndNameTheSetting() throws InterruptedException {
        // the seed key is parsed in the background: give it time, then check it did not turn ready
        Thread.sleep(300);
        Management.request().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'device-registry' }.data.detail", containsString("DEVICE_PUBLIC_KEY is not usable: EC key is not on P-256"));
        refused(post(DpsRequests.individual("dev-400", token("dev-400"))), 503, "registry_not_ready");
    }
}
