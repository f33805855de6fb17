package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.PATH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.Azurite;
import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Ready;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The webhook on a registry blob in a real Azurite, checked every second: a device blocked in the blob is refused
 * within the refresh plus 2 s, and a blob that turns unreadable leaves the last good version answering.
 */
@QuarkusTest
@TestProfile(LiveRegistryTest.OnAzurite.class)
class LiveRegistryTest {

    static final KeyPair KEY = Keys.ec();
    static final String CONTAINER = "live-" + UUID.randomUUID().toString().substring(0, 8);
    /** The bound the issue sets: the refresh (1 s here) plus 2 s. */
    static final long BOUND_MILLIS = 3_000;

    /** The registry blob in Azurite, with its connection string, checked every second. */
    public static class OnAzurite implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Azurite azurite = Azurite.shared();
            azurite.upload(CONTAINER, "registry.json", registry(false));
            return Map.of("allocator.registry.blob-url", azurite.url(CONTAINER, "registry.json"),
                    "allocator.registry.blob-connection-string", azurite.connectionString(),
                    "allocator.registry.refresh", "1s");
        }
    }

    static String registry(boolean blocked) {
        try {
            return new ObjectMapper().writeValueAsString(List.of(Map.of("id", "dev-live", "blocked", blocked,
                    "credentials", List.of(Map.of("publicKey", Map.of("format", "ES256_PEM", "key", Keys.pem(KEY.getPublic())))))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int allocate() {
        return given().contentType(ContentType.JSON)
                .body(DpsRequests.individual("dev-live", Jwts.device("ES256", "dev-live").sign(KEY.getPrivate())))
                .post(PATH).statusCode();
    }

    /** How long until the webhook answers {@code status}, polling every 50 ms. */
    static long millisUntil(int status) throws InterruptedException {
        long started = System.nanoTime();
        while (allocate() != status) {
            if (System.nanoTime() - started > 20_000_000_000L) {
                throw new AssertionError("still not " + status + " after 20 s");
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void shouldFollowTheBlobWithinTheRefreshAndKeepTheLastGoodVersion() throws Exception {
        Ready.await();
        Azurite azurite = Azurite.shared();
        Management.request().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'device-registry' }.data.devices", equalTo(1))
                .body("checks.find { it.name == 'device-registry' }.data.usableCredentials", equalTo(1))
                .body("checks.find { it.name == 'device-registry' }.data.source", containsString(CONTAINER + "/registry.json"))
                .body("checks.find { it.name == 'device-registry' }.data.version", notNullValue())
                .body("checks.find { it.name == 'device-registry' }.data.lastReloadError", nullValue())
                .body(not(containsString("AccountKey")));
        assertTrue(allocate() == 200);

        azurite.upload(CONTAINER, "registry.json", registry(true));
        long blocked = millisUntil(403);
        assertTrue(blocked <= BOUND_MILLIS, "blocked in the blob, refused after " + blocked + " ms");

        azurite.upload(CONTAINER, "registry.json", "[{\"id\":\"dev-live\",");
        Thread.sleep(2_500);
        assertTrue(allocate() == 403, "the last good version (blocked) answers");
        Management.request().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'device-registry' }.data.lastReloadError", containsString("cannot be loaded"));

        azurite.upload(CONTAINER, "registry.json", registry(false));
        long unblocked = millisUntil(200);
        assertTrue(unblocked <= BOUND_MILLIS, "unblocked in the blob, admitted after " + unblocked + " ms");
        Management.request().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'device-registry' }.data.lastReloadError", nullValue());
    }
}
