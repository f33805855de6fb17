package io.github.dpsjwt.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class MetersTest {

    @Test
    void shouldRegisterInTheOneRegistryOfAComposite() {
        SimpleMeterRegistry prometheus = new SimpleMeterRegistry();
        CompositeMeterRegistry one = new CompositeMeterRegistry().add(prometheus);
        assertSame(prometheus, Meters.direct(one), "no forwarding through a composite of one");
        CompositeMeterRegistry two = new CompositeMeterRegistry().add(prometheus).add(new SimpleMeterRegistry());
        assertSame(two, Meters.direct(two), "with two, each must see every count");
        assertSame(prometheus, Meters.direct(prometheus));
    }

    @Test
    void shouldTurnMillisecondsIntoBucketBounds() {
        assertArrayEquals(new Duration[] {Duration.ofNanos(50_000), Duration.ofMillis(1), Duration.ofSeconds(10)},
                Meters.millis(0.05, 1, 10_000));
    }

    @Test
    void shouldReadTheResidentMemoryOfThisProcess() {
        double rss = ProcessMetrics.residentBytes();
        assertTrue(rss > 16 * 1024 * 1024 && rss < Runtime.getRuntime().maxMemory() + 4L * 1024 * 1024 * 1024, "RSS " + rss);
    }
}
