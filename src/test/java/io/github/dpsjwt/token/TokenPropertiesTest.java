package io.github.dpsjwt.token;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.dpsjwt.error.RefusalException;
import io.github.dpsjwt.registry.Credential;
import io.github.dpsjwt.registry.Device;
import io.github.dpsjwt.registry.KeyFormat;
import io.github.dpsjwt.registry.KeyOwners;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a device sends, the verifier either accepts the token or refuses it with a 4xx reason: random values
 * for every claim it reads, signed with the device's key (so they reach the claim checks), and random bytes and
 * strings where the token goes. A 5xx would make DPS retry for minutes; an exception other than a refusal is a
 * 500.
 */
class TokenPropertiesTest {

    static final String ID = "dev-001";
    static final KeyPair EC = Keys.ec();
    static final Device DEVICE = new Device(ID, false,
            List.of(new Credential(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM, null, KeyOwners.ONE_DEVICE)));
    static final DeviceTokenVerifier VERIFIER = new DeviceTokenVerifier(Optional.of(java.util.Set.of("project")),
            Duration.ofHours(24), Duration.ofMinutes(10), Clock.systemUTC());

    @Property(tries = 2000)
    void shouldNeverFailOnSignedClaims(@ForAll("claimValues") Object iat, @ForAll("claimValues") Object exp,
            @ForAll("claimValues") Object nbf, @ForAll("claimValues") Object subject, @ForAll("claimValues") Object audience) {
        String token = Jwts.empty("ES256").claim("iat", iat).claim("exp", exp).claim("nbf", nbf)
                .claim("registration_id", subject).claim("aud", audience).sign(EC.getPrivate());
        assertAcceptedOrRefused(token);
    }

    @Property(tries = 2000)
    void shouldNeverFailOnRandomTokenText(@ForAll("tokenText") String token) {
        assertAcceptedOrRefused(token);
    }

    @Property(tries = 1000)
    void shouldNeverFailOnRandomBytesInEachSegment(@ForAll byte[] header, @ForAll byte[] claims, @ForAll byte[] signature) {
        assertAcceptedOrRefused(Jwts.b64(header) + "." + Jwts.b64(claims) + "." + Jwts.b64(signature));
        String input = Jwts.b64(header) + "." + Jwts.b64(claims);
        assertAcceptedOrRefused(input + "." + Jwts.b64(Jwts.signature(EC.getPrivate(), input.getBytes(StandardCharsets.US_ASCII))));
    }

    @Property(tries = 1000)
    void shouldNeverFailOnRandomHeaders(@ForAll("claimValues") Object alg, @ForAll("claimValues") Object typ,
            @ForAll("claimValues") Object kid) {
        long now = System.currentTimeMillis() / 1000;
        String token = Jwts.empty("ES256").header("alg", alg).header("typ", typ).header("kid", kid)
                .claim("iat", now).claim("exp", now + 60).claim("aud", "project").sign(EC.getPrivate());
        assertAcceptedOrRefused(token);
    }

    static void assertAcceptedOrRefused(String token) {
        try {
            VERIFIER.verify(token, DEVICE, ID);
        } catch (RefusalException e) {
            assertTrue(e.reason().status() < 500 || e.reason().status() == 503, token + " -> " + e.reason());
        }
    }

    @Provide
    Arbitrary<Object> claimValues() {
        long now = System.currentTimeMillis() / 1000;
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.longs().between(now - 100_000, now + 100_000).map(Object.class::cast),
                Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, -1L, 0L, 253_402_300_799L, -62_135_596_800L)
                        .map(Object.class::cast),
                Arbitraries.doubles().map(Object.class::cast),
                Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, -1e300, 9.3e18, -9.3e18).map(Object.class::cast),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(30)), new java.math.BigInteger("1" + "0".repeat(30)))
                        .map(Object.class::cast),
                Arbitraries.strings().ofMaxLength(40).map(Object.class::cast),
                Arbitraries.of(ID, "DEV-001", "project", "ES256", "RS256", "none").map(Object.class::cast),
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.of(List.of(), List.of(1, "a"), java.util.Map.of("k", 1), List.of("project")).map(Object.class::cast),
                Arbitraries.just(null));
    }

    @Provide
    Arbitrary<String> tokenText() {
        String valid = Jwts.device("ES256", ID).claim("aud", "project").sign(EC.getPrivate());
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(400),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n")
                        .ofMinLength(1).ofMaxLength(400),
                // the valid token with one character changed, inserted or removed
                Arbitraries.integers().between(0, valid.length() - 1).flatMap(at -> Arbitraries.chars().map(c -> switch (at % 3) {
                    case 0 -> valid.substring(0, at) + c + valid.substring(at + 1);
                    case 1 -> valid.substring(0, at) + c + valid.substring(at);
                    default -> valid.substring(0, at) + valid.substring(at + 1);
                })));
    }
}
