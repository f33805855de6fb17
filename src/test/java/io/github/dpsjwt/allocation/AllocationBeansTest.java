package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.token.DeviceTokenVerifier;

class AllocationBeansTest {

    @Test
    void shouldWarmUpJsonWithARequestTheRequestTypeAccepts() {
        assertTrue(AllocationBeans.warmUpJson(new ObjectMapper()));
    }

    @Test
    void shouldReportAFailedWarmUpInsteadOfThrowing() {
        ObjectMapper broken = new ObjectMapper() {
            @Override
            public <T> T readValue(String content, Class<T> valueType) throws JsonProcessingException {
                throw new JsonParseException(null, "the request shape changed");
            }
        };
        assertFalse(AllocationBeans.warmUpJson(broken));
    }

    private static DeviceTokenVerifier verifier() {
        return new DeviceTokenVerifier(Optional.empty(), Duration.ofHours(24), Duration.ofMinutes(10), Clock.systemUTC());
    }

    private static IllegalStateException containerGone() {
        return new IllegalStateException("ArC container not initialized");
    }

    @Test
    void shouldWarmUpTheVerifierAndTheJsonMapping() {
        assertEquals(AllocationBeans.WarmUp.DONE,
                AllocationBeans.warmUp(AllocationBeansTest::verifier, ObjectMapper::new, () -> false));
    }

    @Test
    void shouldStayQuietWhenTheApplicationStopsUnderTheWarmUp() {
        AtomicBoolean stopping = new AtomicBoolean();
        assertEquals(AllocationBeans.WarmUp.STOPPED, AllocationBeans.warmUp(() -> {
            stopping.set(true);
            throw containerGone();
        }, ObjectMapper::new, stopping::get));
        assertEquals(AllocationBeans.WarmUp.STOPPED, AllocationBeans.warmUp(AllocationBeansTest::verifier, () -> {
            stopping.set(true);
            throw containerGone();
        }, stopping::get));
    }

    @Test
    void shouldReportAVerifierThatFailsItsSelfTestWhileRunning() {
        assertEquals(AllocationBeans.WarmUp.FAILED, AllocationBeans.warmUp(() -> {
            throw containerGone();
        }, ObjectMapper::new, () -> false));
        assertEquals(AllocationBeans.WarmUp.DONE, AllocationBeans.warmUp(AllocationBeansTest::verifier, () -> {
            throw containerGone();
        }, () -> false), "a JSON warm-up that fails only means the first request sets Jackson up");
    }
}
