package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.SeedModeTest.PATH;
import static io.github.dpsjwt.allocation.rest.SeedModeTest.refused;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.in;

import java.security.PrivateKey;

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
@TestProfile(Profiles.Registry.class)
class RegistryModeTest {

    @BeforeEach
    void registryLoaded() {
        Ready.await();
    }

    static String token(String alg, String id, PrivateKey key) {
        return Jwts.device(alg, id).claim("aud", "my-gcp-project").sign(key);
    }

    static ValidatableResponse post(String id, String token) {
        return given().contentType(ContentType.JSON).header("x-functions-key", "new-key")
                .body(DpsRequests.individual(id, token)).post(PATH).then();
    }

    @Test
    void shouldAllocateDeviceWithItsOwnEs256Key() {
        post("dev-ec", token("ES256", "dev-ec", TestFleet.EC.getPrivate())).statusCode(200).body("iotHubHostName", in(DpsRequests.HUBS));
    }

    @Test
    void shouldAllocateRs256DeviceWhoseIdDiffersInCase() {
        post("dev-rsa", token("RS256", "dev-rsa", TestFleet.RSA.getPrivate())).statusCode(200);
    }

    @Test
    void shouldAcceptTheRotatedKeyAndRefuseTheExpiredOne() {
        post("dev-rotated", token("ES256", "dev-rotated", TestFleet.EC.getPrivate())).statusCode(200);
        refused(post("dev-rotated", token("ES256", "dev-rotated", TestFleet.EC_OLD.getPrivate())), 403, "token_signature_invalid");
    }

    @Test
    void shouldRefuseAnotherDevicesKey() {
        refused(post("dev-ec", token("ES256", "dev-ec", TestFleet.STRANGER.getPrivate())), 403, "token_signature_invalid");
        refused(post("dev-ec", token("RS256", "dev-ec", TestFleet.RSA.getPrivate())), 403, "token_signature_invalid");
    }

    @Test
    void shouldRefuseBlockedUnknownAndExpiredDevices() {
        refused(post("dev-blocked", token("ES256", "dev-blocked", TestFleet.EC.getPrivate())), 403, "device_blocked");
        refused(post("dev-unknown", token("ES256", "dev-unknown", TestFleet.EC.getPrivate())), 403, "device_unknown");
        refused(post("dev-expired", token("ES256", "dev-expired", TestFleet.EC.getPrivate())), 403, "device_credentials_expired");
        refused(post("dev-broken-key", token("ES256", "dev-broken-key", TestFleet.EC.getPrivate())), 403, "device_credentials_invalid");
    }

    @Test
    void shouldRequireTheConfiguredAudience() {
        refused(post("dev-ec", Jwts.device("ES256", "dev-ec").sign(TestFleet.EC.getPrivate())), 403, "token_audience_mismatch");
        refused(post("dev-ec", Jwts.device("ES256", "dev-ec").claim("aud", "other").sign(TestFleet.EC.getPrivate())), 403,
                "token_audience_mismatch");
    }

    @Test
    void shouldRequireACallerKey() {
        String body = "{}";
        refused(given().contentType(ContentType.JSON).body(body).post(PATH).then(), 401, "caller_unauthorized");
        refused(given().contentType(ContentType.JSON).queryParam("code", "wrong").body(body).post(PATH).then(), 401,
                "caller_unauthorized");
        refused(given().contentType(ContentType.JSON).header("x-functions-key", "old-key-but-longer").body(body).post(PATH).then(),
                401, "caller_unauthorized");
    }

    @Test
    void shouldAcceptEachCallerKeyAsCodeOrHeader() {
        String token = token("ES256", "dev-ec", TestFleet.EC.getPrivate());
        given().contentType(ContentType.JSON).queryParam("code", "old-key").body(DpsRequests.individual("dev-ec", token))
                .post(PATH).then().statusCode(200);
        given().contentType(ContentType.JSON).queryParam("code", "new-key").body(DpsRequests.individual("dev-ec", token))
                .post(PATH).then().statusCode(200);
        given().contentType(ContentType.JSON).header("x-functions-key", "old-key").body(DpsRequests.individual("dev-ec", token))
                .post(PATH).then().statusCode(200);
    }

    @Test
    void shouldReportTheLoadedDeviceCount() {
        Management.request().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'device-registry' }.data.detail", containsString("6 devices"));
    }

    @Test
    void shouldLeaveHealthOpenWithoutCallerKey() {
        Management.request().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
