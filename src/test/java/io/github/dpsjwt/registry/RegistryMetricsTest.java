package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dpsjwt.registry.source.FileSource;
import io.github.dpsjwt.support.Keys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A failed reload shows in the metrics as well as in the log and readiness: counted, and the failing time grows. */
class RegistryMetricsTest {

    private static final KeyPair KEY = Keys.ec();

    @TempDir
    Path dir;
    private int writes;

    private void write(Path file, String content) throws Exception {
        Path next = dir.resolve("next.json");
        Files.writeString(next, content);
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().minusSeconds(120 - writes++)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String registry(int devices) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < devices; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"d-").append(i).append("\",\"credentials\":[{\"publicKey\":")
                    .append("{\"format\":\"ES256_PEM\",\"key\":\"").append(Keys.pem(KEY.getPublic()).replace("\n", "\\n"))
                    .append("\"}}]}");
        }
        return json.append(']').toString();
    }

    private static double gauge(MeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }

    private static double counter(MeterRegistry meters, String name) {
        return meters.get(name).functionCounter().count();
    }

    @Test
    void shouldShowTheVersionInUseAndAFailedReload() throws Exception {
        Path file = dir.resolve("registry.json");
        MeterRegistry meters = new SimpleMeterRegistry();
        RegistryHolderTest.Recording holder = new RegistryHolderTest.Recording();
        RegistryMetrics.register(meters, holder);
        assertEquals(0.0, gauge(meters, "allocator.registry.ready"), "nothing loaded yet");
        assertTrue(Double.isNaN(gauge(meters, "allocator.registry.devices")));

        write(file, registry(3));
        holder.useSource(new FileSource(file));
        holder.check();
        assertEquals(1.0, gauge(meters, "allocator.registry.ready"));
        assertEquals(3.0, gauge(meters, "allocator.registry.devices"));
        assertEquals(3.0, gauge(meters, "allocator.registry.usable.credentials"));
        double age = gauge(meters, "allocator.registry.version.age.seconds");
        assertTrue(age >= 110 && age < 180, "written about two minutes ago: " + age);
        assertEquals(0.0, gauge(meters, "allocator.registry.failing.seconds"));

        write(file, "[{\"id\":");
        holder.check();
        Thread.sleep(1_100);
        assertEquals(1.0, counter(meters, "allocator.registry.reload.failures"));
        assertTrue(gauge(meters, "allocator.registry.failing.seconds") >= 1, "the failure streak's age");
        assertEquals(1.0, gauge(meters, "allocator.registry.ready"), "the last good version still answers");
        assertEquals(3.0, gauge(meters, "allocator.registry.devices"));

        write(file, registry(4));
        holder.check();
        assertEquals(0.0, gauge(meters, "allocator.registry.failing.seconds"));
        assertEquals(1.0, counter(meters, "allocator.registry.reloads"));
        assertEquals(4.0, gauge(meters, "allocator.registry.devices"));
    }

    @Test
    void shouldReadTheFailureOnceAtEachScrape() {
        AtomicInteger reads = new AtomicInteger();
        RegistryHolder clearedBetweenReads = new RegistryHolder(null) {
            @Override
            public Failure failure() {
                // the refresh thread's next good check clears the failure right after the scrape's first read
                return reads.getAndIncrement() == 0 ? new Failure("store unreachable", Instant.now().minusSeconds(5)) : null;
            }
        };
        MeterRegistry meters = new SimpleMeterRegistry();
        RegistryMetrics.register(meters, clearedBetweenReads);
        double failing = gauge(meters, "allocator.registry.failing.seconds");
        assertTrue(failing >= 5 && failing < 60, "the failure as first read: " + failing);
    }
}
