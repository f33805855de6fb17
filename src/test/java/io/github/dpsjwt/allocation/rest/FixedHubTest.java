package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.post;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.refused;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.token;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Profiles;
import io.github.dpsjwt.support.Ready;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(Profiles.SeedWithHub.class)
class FixedHubTest {

    @BeforeEach
    void keysLoaded() {
        Ready.await();
    }

    @Test
    void shouldSendEveryDeviceToTheConfiguredHubWithTheInitialTwin() {
        for (String id : List.of("dev-100", "dev-101", "dev-102", "dev-103")) {
            post(DpsRequests.individual(id, token(id)))
                    .statusCode(200)
                    .body("iotHubHostName", equalTo("hub-b.azure-devices.net"))
                    .body("initialTwin.tags.migratedFrom", equalTo("gcp-iot-core"))
                    .body("initialTwin.properties.desired.telemetryInterval", equalTo(60))
                    .body("payload.iotHubHostName", equalTo("hub-b.azure-devices.net"));
        }
    }

    @Test
    void shouldPreferTheConfiguredHubOverTheCurrentOne() {
        post(DpsRequests.request("dev-104", Map.of("jwt", token("dev-104")), DpsRequests.HUBS, "hub-a.azure-devices.net"))
                .statusCode(200).body("iotHubHostName", equalTo("hub-b.azure-devices.net"));
    }

    @Test
    void shouldMatchTheConfiguredHubIgnoringCase() {
        post(DpsRequests.request("dev-105", Map.of("jwt", token("dev-105")), List.of("HUB-B.azure-devices.net"), null))
                .statusCode(200).body("iotHubHostName", equalTo("HUB-B.azure-devices.net"));
    }

    @Test
    void shouldRefuseWhenTheConfiguredHubIsNotLinked() {
        refused(post(DpsRequests.request("dev-106", Map.of("jwt", token("dev-106")), List.of("hub-a.azure-devices.net"), null)),
                409, "hub_not_linked");
    }
}
