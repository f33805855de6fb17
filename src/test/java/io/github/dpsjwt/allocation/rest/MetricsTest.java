package io.github.dpsjwt.allocation.rest;

import static io.github.dpsjwt.allocation.rest.RegistryModeTest.post;
import static io.github.dpsjwt.allocation.rest.RegistryModeTest.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.signature.FastEs256Algorithm;
import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Profiles;
import io.github.dpsjwt.support.Ready;
import io.github.dpsjwt.support.TestFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Prometheus metrics at /q/metrics on the management port: decisions, verification and request time, registry. */
@QuarkusTest
@TestProfile(Profiles.Registry.class)
class MetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$", Pattern.MULTILINE);

    @BeforeEach
    void registryLoaded() {
        Ready.await();
    }

    /** Every sample of a scrape, by name and labels as printed. */
    static Map<String, Double> scrape() {
        String text = Management.request().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
    }

    private static double value(Map<String, Double> samples, String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in /q/metrics");
        }
        return value;
    }

    @Test
    void shouldCountDecisionsByOutcomeAndReason() {
        Map<String, Double> before = scrape();
        post("dev-ec", token("ES256", "dev-ec", TestFleet.EC.getPrivate())).statusCode(200);
        post("dev-ec", token("ES256", "dev-ec", TestFleet.STRANGER.getPrivate())).statusCode(403);
        post("dev-blocked", token("ES256", "dev-blocked", TestFleet.EC.getPrivate())).statusCode(403);
        Map<String, Double> after = scrape();
        for (String series : new String[] {"allocator_decisions_total{outcome=\"allocated\",reason=\"none\"}",
                "allocator_decisions_total{outcome=\"refused\",reason=\"token_signature_invalid\"}",
                "allocator_decisions_total{outcome=\"refused\",reason=\"device_blocked\"}"}) {
            assertEquals(1.0, value(after, series) - value(before, series), series);
        }
    }

    @Test
    void shouldShowEveryReasonFromTheFirstScrapeAndNoRegistrationId() {
        Map<String, Double> samples = scrape();
        for (io.github.dpsjwt.error.Reason reason : io.github.dpsjwt.error.Reason.values()) {
            value(samples, "allocator_decisions_total{outcome=\"refused\",reason=\"" + reason.code() + "\"}");
            value(samples, "allocator_decisions_total{outcome=\"rejected\",reason=\"" + reason.code() + "\"}");
        }
        post("dev-rsa", token("RS256", "dev-rsa", TestFleet.RSA.getPrivate())).statusCode(200);
        assertTrue(scrape().keySet().stream().noneMatch(series -> series.contains("dev-rsa") || series.contains("dev-ec")),
                "a registration id is never a label");
    }

    @Test
    void shouldTimeVerificationsByAlgorithmAndRequestsByStatus() {
        Map<String, Double> before = scrape();
        post("dev-rsa", token("RS256", "dev-rsa", TestFleet.RSA.getPrivate())).statusCode(200);
        post("dev-ec", token("ES256", "dev-ec", TestFleet.STRANGER.getPrivate())).statusCode(403);
        Map<String, Double> after = scrape();
        String rs256 = "allocator_token_verification_seconds_count{alg=\"RS256\",result=\"accepted\"}";
        String refused = "allocator_token_verification_seconds_count{alg=\"ES256\",result=\"refused\"}";
        assertEquals(1.0, value(after, rs256) - value(before, rs256));
        assertEquals(1.0, value(after, refused) - value(before, refused));
        String ok = "allocator_requests_seconds_count{status=\"200\"}";
        String forbidden = "allocator_requests_seconds_count{status=\"403\"}";
        assertEquals(1.0, value(after, ok) - value(before, ok));
        assertEquals(1.0, value(after, forbidden) - value(before, forbidden));
        assertTrue(value(after, "allocator_requests_seconds_bucket{status=\"200\",le=\"+Inf\"}") >= 1);
    }

    @Test
    void shouldShowTheRegistryInUse() {
        Map<String, Double> samples = scrape();
        assertEquals(1.0, value(samples, "allocator_registry_ready"));
        int devices = Management.request().get("/q/health/ready").then().extract().jsonPath()
                .getInt("checks.find { it.name == 'device-registry' }.data.devices");
        int usable = Management.request().get("/q/health/ready").then().extract().jsonPath()
                .getInt("checks.find { it.name == 'device-registry' }.data.usableCredentials");
        assertEquals(devices, value(samples, "allocator_registry_devices"));
        assertEquals(usable, value(samples, "allocator_registry_usable_credentials"));
        assertTrue(value(samples, "allocator_registry_version_age_seconds") >= 0);
        assertEquals(0.0, value(samples, "allocator_registry_failing_seconds"));
        value(samples, "allocator_registry_reloads_total");
        value(samples, "allocator_registry_reload_failures_total");
    }

    /** Waits for the start-up's choice of engine (auto: ACCP, loaded off the start-up path) and returns the scrape. */
    static Map<String, Double> afterEngineChoice() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Map<String, Double> samples = scrape();
        while (value(samples, "allocator_token_engine{engine=\"accp\"}") != 1.0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            samples = scrape();
        }
        return samples;
    }

    @Test
    void shouldShowTheEngineInUse() throws InterruptedException {
        Map<String, Double> samples = afterEngineChoice();
        assertEquals(1.0, value(samples, "allocator_token_engine{engine=\"accp\"}"), "auto takes ACCP in the JVM build");
        assertEquals(0.0, value(samples, "allocator_token_engine{engine=\"builtin\"}"));
        assertEquals("accp", FastEs256Algorithm.inUse().name());
    }

    @Test
    void shouldCountWarmKeyTablesOfTheBuiltinEngine() throws InterruptedException {
        Map<String, Double> before = afterEngineChoice();
        Es256Engine chosen = FastEs256Algorithm.inUse();
        Map<String, Double> after;
        try {
            FastEs256Algorithm.use(Es256Engines.builtin());
            for (int i = 0; i < 3; i++) {
                post("dev-ec", token("ES256", "dev-ec", TestFleet.EC.getPrivate())).statusCode(200);
            }
            after = scrape();
            assertEquals(1.0, value(after, "allocator_token_engine{engine=\"builtin\"}"));
        } finally {
            FastEs256Algorithm.use(chosen);
        }
        double warm = value(after, "allocator_warm_keys_verifications_total{table=\"warm\"}")
                - value(before, "allocator_warm_keys_verifications_total{table=\"warm\"}");
        double small = value(after, "allocator_warm_keys_verifications_total{table=\"small\"}")
                - value(before, "allocator_warm_keys_verifications_total{table=\"small\"}");
        assertEquals(3.0, warm + small);
        assertTrue(warm >= 1, "a key used again verifies with its table");
        assertFalse(Double.isNaN(value(after, "allocator_warm_keys_built_total")));
        value(after, "allocator_warm_keys_evicted_total");
        assertEquals(10_000.0, value(after, "allocator_warm_keys_capacity"));
    }
}
