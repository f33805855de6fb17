package io.github.dpsjwt.token;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.error.RefusalException;

class VerifierWarmUpTest {

    static DeviceTokenVerifier verifier(Optional<Set<String>> audiences, Clock clock) {
        return new DeviceTokenVerifier(audiences, Duration.ofHours(24), Duration.ofMinutes(10), clock);
    }

    @Test
    void shouldPassTheSelfTestWithAndWithoutAudiences() {
        assertDoesNotThrow(() -> VerifierWarmUp.run(verifier(Optional.empty(), Clock.systemUTC()), 5));
        assertDoesNotThrow(() -> VerifierWarmUp.run(verifier(Optional.of(Set.of("project-b", "project-a")), Clock.systemUTC()), 5));
    }

    @Test
    void shouldFailTheSelfTestWhenVerificationIsBroken() {
        // a webhook clock a day ahead: the fresh token looks expired, and the self-test must say so
        Clock ahead = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        DeviceTokenVerifier broken = new DeviceTokenVerifier(Optional.empty(), Duration.ofMinutes(0), Duration.ofMinutes(0), ahead);
        assertThrows(RefusalException.class, () -> VerifierWarmUp.run(broken, 1));
    }
}
