package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.signature.FastEs256Algorithm;
import io.github.dpsjwt.token.DeviceTokenVerifier;
import io.github.dpsjwt.token.TokenConfig;

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

    @Test
    void shouldTakeAccpWhenItLoadsAndSayWhichEngineVerifies() {
        Es256Engine before = FastEs256Algorithm.inUse();
        try {
            Es256Engines.Loaded loaded = Es256Engines.accp();
            Es256Engines.Loaded accp = new Es256Engines.Loaded(loaded.engine(), loaded.description(), 480, false);
            String line = AllocationBeans.selectEngine(TokenConfig.Engine.AUTO, () -> accp);
            assertSame(accp.engine(), FastEs256Algorithm.inUse());
            assertTrue(line.matches("ES256 signatures: accp \\(Amazon Corretto Crypto Provider 2\\.5\\.0, AWS-LC v[0-9.]+, "
                    + "allocator\\.token\\.engine=auto\\), loaded in 480 ms; the builtin P-256 code verified until then"), line);
            line = AllocationBeans.selectEngine(TokenConfig.Engine.ACCP,
                    () -> new Es256Engines.Loaded(loaded.engine(), loaded.description(), 510, true));
            assertTrue(line.endsWith("allocator.token.engine=accp), loaded in 510 ms beside the boot"), line);
            assertEquals("ES256 signatures: builtin P-256 code (allocator.token.engine=builtin)",
                    AllocationBeans.selectEngine(TokenConfig.Engine.BUILTIN, () -> accp));
            assertSame(Es256Engines.builtin(), FastEs256Algorithm.inUse());
        } finally {
            FastEs256Algorithm.use(before);
        }
    }

    @Test
    void shouldFallBackToTheBuiltinCodeOnAutoAndStopTheStartOnAccp() {
        Es256Engine before = FastEs256Algorithm.inUse();
        Supplier<Es256Engines.Loaded> missing = () -> {
            throw new Es256Engines.EngineUnavailableException("ACCP is not in this build");
        };
        try {
            FastEs256Algorithm.use(Es256Engines.accp().engine());
            assertEquals("ES256 signatures: builtin P-256 code (allocator.token.engine=auto; ACCP not used: ACCP is not in this build)",
                    AllocationBeans.selectEngine(TokenConfig.Engine.AUTO, missing));
            assertSame(Es256Engines.builtin(), FastEs256Algorithm.inUse());
            IllegalStateException stop = assertThrows(IllegalStateException.class,
                    () -> AllocationBeans.selectEngine(TokenConfig.Engine.ACCP, missing));
            assertEquals("allocator.token.engine=accp, but ACCP is not in this build; set allocator.token.engine to auto or builtin",
                    stop.getMessage());
        } finally {
            FastEs256Algorithm.use(before);
        }
    }
}
